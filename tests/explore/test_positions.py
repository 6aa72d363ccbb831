"""kg.explore.layout: node positions depend on the graph only, never on string hashing."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kg.explore.layout import positions
from tests.paths import ROOT

# Forty components of 3 to 60 nodes: each one is far less than half the graph, where a networkx
# subgraph view walks its node set in hash order.
MANY_COMPONENTS = """
import json, random, sys
from kg.explore.layout import positions
rnd = random.Random(1)
nodes, edges = [], []
for c in range(40):
    names = [f"c{c}n{i}" for i in range(rnd.randint(3, 60))]
    nodes += names
    edges += [(names[i], names[rnd.randrange(i)]) for i in range(1, len(names))]
    edges += [(rnd.choice(names), rnd.choice(names)) for _ in range(len(names) // 3)]
print(json.dumps(positions(nodes, edges), sort_keys=True))
"""


@pytest.mark.slow      # a server or interpreter of its own, waits on purpose: in make test-all
def test_positions_do_not_depend_on_the_hash_seed():
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-c", MANY_COMPONENTS], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120, check=True)
        outs.append(proc.stdout)
    assert outs[0] == outs[1] and outs[0].count("c39n") >= 3


def test_positions_do_not_depend_on_input_order():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("p", "q")]
    nodes = ["a", "b", "c", "x", "y", "z", "p", "q", "lonely"]
    assert positions(nodes, edges) == positions(nodes[::-1], [(v, u) for u, v in reversed(edges)])
