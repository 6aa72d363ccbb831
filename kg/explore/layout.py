"""Node positions computed in Python, so a big graph opens without a long physics simulation.

Each connected component is laid out on its own (networkx's spring layout when small, a sampled
Fruchterman-Reingold in numpy when large), then components are packed in rows, largest first.
Seeds are fixed and coordinates rounded: the same graph always gets the same picture.

>>> pos = positions(["a", "b", "c", "d"], [("a", "b"), ("b", "c")])
>>> sorted(pos), all(isinstance(x, float) for xy in pos.values() for x in xy)
(['a', 'b', 'c', 'd'], True)
>>> positions(["a", "b"], [("a", "b")]) == positions(["b", "a"], [("b", "a")])
True
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
SPACING = 120.0     # about one edge length, in vis-network's pixel units
SMALL = 300         # components up to this size use networkx's spring layout (dense, exact)


def positions(nodes: list[str], edges: list[tuple[str, str]], spacing: float = SPACING) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` for an undirected reading of ``edges``; deterministic."""
    H = nx.Graph()
    H.add_nodes_from(sorted(nodes))
    H.add_edges_from(sorted(tuple(sorted(e)) for e in edges if e[0] != e[1]))
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    boxes = []
    for comp in comps:
        local = _component(_sorted_subgraph(H, comp), comp)
        xy = np.array([local[v] for v in comp], dtype=float).reshape(-1, 2)
        xy -= xy.mean(axis=0)
        radius = float(np.sqrt((xy ** 2).sum(axis=1)).max()) if len(comp) > 1 else 0.0
        # Scale so a component's area grows with its node count.
        target = spacing * 0.6 * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        if radius > 0:
            xy *= target / radius
        boxes.append((comp, xy, target + spacing * 0.5))
    return _pack(boxes)


def _sorted_subgraph(H: nx.Graph, comp: list[str]) -> nx.Graph:
    """``comp``'s part of ``H`` as a new graph in sorted order. ``H.subgraph`` is a view that walks a
    small node set in set order (string hashing, so PYTHONHASHSEED), and the layout's floating-point
    sums follow node and edge order."""
    C = nx.Graph()
    C.add_nodes_from(comp)
    C.add_edges_from(sorted(tuple(sorted(e)) for e in H.edges(comp)))
    return C


def _component(C: nx.Graph, comp: list[str]) -> dict[str, tuple[float, float]]:
    n = len(comp)
    if n == 1:
        return {comp[0]: (0.0, 0.0)}
    if n == 2:
        return {comp[0]: (-1.0, 0.0), comp[1]: (1.0, 0.0)}
    if n <= SMALL:
        start = nx.circular_layout(comp)    # fixed start: spring_layout's result then depends on the seed only
        pos = nx.spring_layout(C, pos=start, seed=SEED, iterations=80)
        return {v: (float(pos[v][0]), float(pos[v][1])) for v in comp}
    index = {v: i for i, v in enumerate(comp)}
    links = np.array([(index[u], index[v]) for u, v in C.edges()], dtype=np.int64).reshape(-1, 2)
    xy = _sampled_fr(n, links)
    return {v: (float(xy[i, 0]), float(xy[i, 1])) for v, i in index.items()}


def _sampled_fr(n: int, links: np.ndarray, iterations: int = 50, sample: int = 200) -> np.ndarray:
    """Fruchterman-Reingold where each node is pushed by a random sample of the others (scaled
    up to all of them), so one step costs O(n * sample) rather than O(n^2).

    >>> xy = _sampled_fr(400, np.array([(i, i + 1) for i in range(399)]))
    >>> xy.shape, bool(np.isfinite(xy).all())
    ((400, 2), True)
    """
    rng = np.random.default_rng(SEED)
    xy = rng.random((n, 2)) * math.sqrt(n)
    k = 1.0                                # ideal edge length; area ~ n
    temp = math.sqrt(n) / 10
    m = min(sample, n - 1)
    for step in range(iterations):
        others = rng.choice(n, size=m, replace=False)
        dx = xy[:, 0, None] - xy[None, others, 0]                     # n x m, one array per axis
        dy = xy[:, 1, None] - xy[None, others, 1]
        push = (k * k * (n - 1) / m) / np.maximum(dx * dx + dy * dy, 1e-4)
        force = np.stack(((dx * push).sum(axis=1), (dy * push).sum(axis=1)), axis=1)
        if len(links):
            d = xy[links[:, 0]] - xy[links[:, 1]]
            dist = np.maximum(np.sqrt((d ** 2).sum(axis=1)), 1e-4)
            pull = d * (dist / k)[:, None]
            np.add.at(force, links[:, 0], -pull)
            np.add.at(force, links[:, 1], pull)
        force -= (xy - xy.mean(axis=0)) * 0.05                      # mild gravity keeps it round
        length = np.maximum(np.sqrt((force ** 2).sum(axis=1)), 1e-9)
        xy += force * (np.minimum(length, temp) / length)[:, None]
        temp *= 1 - 1.0 / iterations if step < iterations - 1 else 1
    return xy


def _pack(boxes: list[tuple[list[str], np.ndarray, float]]) -> dict[str, tuple[float, float]]:
    """Shelf-pack components (circles of the given radius) in rows about as wide as tall."""
    if not boxes:
        return {}
    area = sum((2 * r) ** 2 for _, _, r in boxes)
    width = max(math.sqrt(area) * 1.2, 2 * boxes[0][2])
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, xy, r in boxes:
        if x > 0 and x + 2 * r > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        cx, cy = x + r, y + r
        for v, (px, py) in zip(comp, xy):
            out[v] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r
        row_h = max(row_h, 2 * r)
    # Centre the whole picture on the origin, where vis-network looks first.
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {v: (round(px - mx, 1), round(py - my, 1)) for v, (px, py) in sorted(out.items())}
