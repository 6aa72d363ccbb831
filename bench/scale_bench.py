"""Scale figures for ``make bench`` (issue 12), also on their own: ``python bench/run.py --only scale``.

* The same corpus slice built with ``--jobs 1`` and on a Dask cluster of 1 and 2 worker processes (a scheduler
  and workers started beforehand, as a long-lived cluster would be; the timed build includes the workers
  loading their pipelines): wall seconds, the 2-worker / 1-worker ratio, documents and triples per hour, and
  whether the N-Quads exports are byte-identical.
* The built store copied into the Oxigraph server and Virtuoso over the Graph Store Protocol (``kg push``):
  triples/s beside a bulk load of the same quads into a fresh embedded store, as ratios; and the time of a
  second push (nothing changed: nothing written).
* Cold start: CPU seconds (user + system) of ``kg build SEED --out x.ttl``, median of 5 with jieba's tables
  cached, and once with an empty cache.

A server or Dask that is not installed is reported as missing, not measured.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
SEED = ROOT.parent / "shared" / "seeds" / "000_b625d6200ca549e7.txt"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _run(args: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s of the process and its children, stderr) of one kg command; SystemExit if it fails."""
    t = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "kg.cli", *args], env={**ENV, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"kg {' '.join(args)} failed: {err}")
    return wall, usage.ru_utime + usage.ru_stime, err


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _export(store: Path, out: Path) -> bytes:
    from kg.corpus.export import export_store

    export_store(store, out)
    return out.read_bytes()


def _triples(store: Path) -> tuple[int, int]:
    from kg.corpus.store import CorpusStore

    with CorpusStore(store) as s:
        return len(s.documents()), s.count()


def cluster_builds(folder: Path, work: Path) -> dict:
    """``--jobs 1`` vs a Dask cluster of 1 and 2 workers on ``folder``."""
    from tests.tools import services

    missing = services.unavailable("dask")
    if missing:
        return {"missing": missing}
    out: dict = {}
    log("scale: build --jobs 1")
    wall, cpu, _ = _run(["build", str(folder), "--store", str(work / "jobs1"), "--jobs", "1"])
    docs, merged = _triples(work / "jobs1")
    out["jobs1"] = {"seconds": round(wall, 2), "cpu_s": round(cpu, 1)}
    reference = _export(work / "jobs1", work / "jobs1.nq")
    one = work / "one-doc"
    one.mkdir()
    first = min(folder.iterdir())
    (one / first.name).write_bytes(first.read_bytes())
    for n in (1, 2):
        with services.DaskCluster(n, work / f"dask{n}") as c:
            # A one-document build first: the workers load their pipelines (as a long-lived cluster has), and
            # the client's cost of starting (imports, connecting) is measured on its own.
            _, client0, _ = _run(["build", str(one), "--store", str(work / f"warm{n}"), "--cluster", c.address])
            log(f"scale: build --cluster with {n} worker(s)")
            before = sum(_proc_cpu(w.pid) for w in c.workers)
            wall, client, _ = _run(["build", str(folder), "--store", str(work / f"c{n}"), "--cluster", c.address])
            workers = sum(_proc_cpu(w.pid) for w in c.workers) - before
        same = _export(work / f"c{n}", work / f"c{n}.nq") == reference
        out[f"workers{n}"] = {"seconds": round(wall, 2), "docs_per_hour": round(docs * 3600 / wall),
                              "merged_triples_per_hour": round(merged * 3600 / wall), "export_identical": same,
                              "client_cpu_s": round(client, 1), "workers_cpu_s": round(workers, 1),
                              "client_start_cpu_s": round(client0, 1)}
    out["documents"], out["merged_triples"] = docs, merged
    # Per document, at steady state: worker CPU (extraction, the part that spreads over workers) and client CPU
    # beyond its start (reading, resolution, store writes: the single reduce step, which does not). With N
    # workers on their own cores a build cannot go faster than the slower of the two: that is the bound.
    w = [out[f"workers{n}"] for n in (1, 2)]
    worker_s = statistics.median([x["workers_cpu_s"] / docs for x in w])
    client_s = statistics.median([max(0.0, x["client_cpu_s"] - x["client_start_cpu_s"]) / max(1, docs - 1)
                                  for x in w])
    out["worker_cpu_s_per_doc"], out["client_cpu_s_per_doc"] = round(worker_s, 3), round(client_s, 3)
    out["docs_per_worker_cpu_hour"] = round(3600 / worker_s) if worker_s else None
    out["client_share"] = round(client_s / (client_s + worker_s), 3) if client_s + worker_s else None
    out["bound_docs_per_hour"] = {n: round(3600 / max(client_s, worker_s / n)) for n in (1, 2, 8, 32)
                                  if max(client_s, worker_s / n)}
    out["two_over_one_workers"] = round(out["workers1"]["seconds"] / out["workers2"]["seconds"], 2)
    out["one_worker_over_jobs1"] = round(out["jobs1"]["seconds"] / out["workers1"]["seconds"], 2)
    return out


LOAD_SCRIPT = """
import sys, time, pyoxigraph as o
t = time.perf_counter(); s = o.Store(sys.argv[2]); s.bulk_load(path=sys.argv[1], format=o.RdfFormat.N_QUADS); s.flush()
print(len(s), time.perf_counter() - t)
"""


def gsp_loads(store: Path, work: Path) -> dict:
    """Triples/s of ``kg push`` into each server beside an embedded bulk load of the same store."""
    from pyoxigraph import RdfFormat

    from kg.corpus.push import push_store
    from kg.corpus.store import CorpusStore
    from tests.tools import services

    with CorpusStore(store) as s:
        s.db.dump(str(work / "push.nq"), format=RdfFormat.N_QUADS)
    got = subprocess.run([PY, "-c", LOAD_SCRIPT, str(work / "push.nq"), str(work / "embedded")],
                         capture_output=True, text=True, check=True).stdout.split()
    quads, secs = int(got[0]), float(got[1])
    out: dict = {"embedded": {"quads": quads, "seconds": round(secs, 2), "triples_per_s": round(quads / secs)}}
    for name, server in (("oxigraph", services.Oxigraph), ("virtuoso", services.Virtuoso)):
        missing = services.unavailable(name)
        if missing:
            out[name] = {"missing": missing}
            continue
        log(f"scale: kg push into {name}")
        with server(work / name) as srv:
            t = time.perf_counter()
            report = push_store(store, srv.gsp, progress=False)
            first = time.perf_counter() - t
            t = time.perf_counter()
            again = push_store(store, srv.gsp, progress=False)
            second = time.perf_counter() - t
        out[name] = {"triples": report.triples, "seconds": round(first, 2),
                     "triples_per_s": round(report.triples / first),
                     "vs_embedded": round(report.triples / first / (quads / secs), 3),
                     "second_push_s": round(second, 2), "second_push_written": again.put}
    return out


def cold_start(work: Path, runs: int = 5) -> dict:
    """CPU seconds of ``kg build`` of the seed article into a Turtle file (a fresh process each time): the
    median of ``runs`` with jieba's tables in kg's cache (kg/extract/jieba_cache.py; an untimed build first
    makes sure they are), and one build with an empty cache directory (what a first run after installing pays)."""
    if not SEED.exists():
        return {"missing": f"{SEED} (the seed article)"}
    log("scale: cold start")
    _run(["build", str(SEED), "--out", str(work / "seed-warm.ttl")])
    cpu, wall = [], []
    for i in range(runs):
        w, c, _ = _run(["build", str(SEED), "--out", str(work / f"seed{i}.ttl")])
        cpu.append(c)
        wall.append(w)
    _, first_cpu, _ = _run(["build", str(SEED), "--out", str(work / "seed-first.ttl")],
                                    env={"KG_CACHE_DIR": str(work / "empty-cache")})
    same = len({(work / n).read_bytes() for n in ("seed-first.ttl", *(f"seed{i}.ttl" for i in range(runs)))}) == 1
    return {"cpu_s": round(statistics.median(cpu), 2), "wall_s": round(statistics.median(wall), 2), "runs": runs,
            "first_run_cpu_s": round(first_cpu, 2), "output_identical": same}


def run(folder: Path, work: Path) -> dict:
    """All the scale figures on the corpus slice ``folder``, working in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    builds = cluster_builds(folder, work)
    store = work / "jobs1"
    if not store.exists():
        _run(["build", str(folder), "--store", str(store), "--jobs", "1"])
    return {"kb": round(sum(p.stat().st_size for p in folder.iterdir()) / 1024), "cluster": builds,
            "gsp": gsp_loads(store, work), "cold_start": cold_start(work)}


def table(r: dict) -> str:
    """The scale figures as Markdown table rows (after bench/run.py's table)."""
    c, g, cs = r["cluster"], r["gsp"], r["cold_start"]
    lines = ["", f"scale ({r['kb']} KB slice):", "", "| figure | value |", "|---|---|"]
    if "missing" in c:
        lines.append(f"| Dask cluster | not measured: {c['missing']} |")
    else:
        for n in (1, 2):
            w = c[f"workers{n}"]
            lines.append(f"| --cluster, {n} worker(s): wall / documents per hour / merged triples per hour | "
                         f"{w['seconds']} s / {w['docs_per_hour']} / {w['merged_triples_per_hour']}; CPU: client "
                         f"{w['client_cpu_s']} s, workers {w['workers_cpu_s']} s"
                         f"{'' if w['export_identical'] else ' (EXPORT DIFFERS from --jobs 1)'} |")
        lines += [f"| --jobs 1 (same slice) | {c['jobs1']['seconds']} s ({c['jobs1']['cpu_s']} CPU s) |",
                  f"| 2 workers / 1 worker | {c['two_over_one_workers']}x |",
                  f"| --jobs 1 / 1 worker (cluster overhead) | {c['one_worker_over_jobs1']}x |",
                  (f"| per document (steady state): worker CPU / client CPU (the reduce step) | "
                   f"{c['worker_cpu_s_per_doc']} s / {c['client_cpu_s_per_doc']} s; client share {c['client_share']} |"),
                  f"| documents per worker CPU hour | {c['docs_per_worker_cpu_hour']} |",
                  "| bound on documents per hour with 1 / 2 / 8 / 32 workers (one client) | "
                  + " / ".join(str(v) for v in c["bound_docs_per_hour"].values()) + " |"]
    e = g["embedded"]
    lines.append(f"| embedded bulk load of the store's {e['quads']} quads | {e['triples_per_s']} triples/s |")
    for name in ("oxigraph", "virtuoso"):
        s = g[name]
        lines.append(f"| kg push into {name} (Graph Store Protocol) | " + (
            f"not measured: {s['missing']}" if "missing" in s else
            f"{s['triples_per_s']} triples/s = {s['vs_embedded']}x embedded; second push {s['second_push_s']} s, "
            f"{s['second_push_written']} graphs written") + " |")
    lines.append(f"| cold kg build of the seed (CPU, median of {cs.get('runs', 5)}; target <= 2.0 s) | " + (
        f"not measured: {cs['missing']}" if "missing" in cs else
        f"{cs['cpu_s']} s ({cs['wall_s']} s wall); first run, empty cache: {cs['first_run_cpu_s']} s; "
        f"Turtle {'identical' if cs['output_identical'] else 'DIFFERS'}") + " |")
    return "\n".join(lines)
