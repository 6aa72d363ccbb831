"""The built wheel is a kg that works anywhere: its own data files, nothing read from the checkout.

The wheel is built from a copy of the checkout and installed, with its dependencies resolved by pip from the
package index as any user's install would, into a fresh venv (no editable install, no checkout on
``sys.path``); its ``kg`` command builds, queries, renders, validates and serves the seed article from a
folder outside the clone.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kg.graph.io import serialize
from tests.paths import ROOT, SEED

pytestmark = pytest.mark.slow       # building and installing a wheel takes a while
SKIP_IN_COPY = shutil.ignore_patterns(".venv", ".git", "build", "dist", "__pycache__", "*.egg-info", ".pytest_cache")


def run(*args, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}: {proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, work / "src", ignore=SKIP_IN_COPY)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
        "-w", work / "dist", work / "src", cwd=work, env=env)
    [found] = (work / "dist").glob("kg-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("venv") / "fresh"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    run(sys.executable, "-m", "venv", target, cwd=target.parent, env=env)
    run(target / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=target.parent, env=env, timeout=900)
    return target


def test_the_wheel_holds_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "ontologies").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}
    assert {f"kg/{name}" for name in data} <= names
    static = {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("static/**/*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert static and static <= names
    assert "kg/corpus/static/vendor/yasgui/yasgui.min.js" in names and "kg/corpus/static/vendor/yasgui/LICENSE" in names
    queries = {f"kg/queries/{p.name}" for p in (ROOT / "examples" / "queries").glob("*.rq")}
    assert queries and queries <= names
    assert not any(n.startswith(("tests/", "bench/", "examples/", "ontologies/")) for n in names)


def test_an_installed_wheel_builds_queries_renders_and_serves_the_seed(venv, tmp_path, seed_graph):
    elsewhere = tmp_path / "elsewhere"              # outside the clone: nothing relative to it works
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    python, kg = venv / "bin" / "python", venv / "bin" / "kg"
    where = run(python, "-c", "import kg, kg.vocab, sys; print(kg.__file__); print(kg.vocab.ONTOLOGY_FILE); "
                "print(*sys.path, sep='\\n')", cwd=elsewhere, env=env).stdout.splitlines()
    assert where[0].startswith(str(venv)) and where[1].startswith(str(venv))
    inside = [p for p in where[2:] if p and Path(p).resolve().is_relative_to(ROOT)]
    assert not inside, f"the checkout is on sys.path: {inside}"

    run(kg, "build", SEED, "--out", "seed.ttl", "--html", "seed.html", cwd=elsewhere, env=env)
    assert (elsewhere / "seed.ttl").read_bytes() == serialize(seed_graph)     # the checkout's graph, byte for byte
    out = run(kg, "query", "seed.ttl", "SELECT ?o WHERE { ent:Microsoft kg:investsIn ?o }", cwd=elsewhere, env=env)
    assert "ent:OpenAI" in out.stdout
    run(kg, "render", "seed.ttl", "--out", "page.html", "--color-by", "community", cwd=elsewhere, env=env)
    page = (elsewhere / "page.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "vis.Network" in page and "Microsoft" in page
    assert run(kg, "validate", "seed.ttl", cwd=elsewhere, env=env).stdout.endswith("conforms\n")
    assert "investsIn" in run(kg, "stats", "seed.ttl", cwd=elsewhere, env=env).stdout

    run(kg, "build", SEED, "--store", "store", "--jobs", "1", cwd=elsewhere, env=env)
    server = subprocess.Popen([str(kg), "serve", "--store", "store", "--port", "0", "--workers", "1"],
                              cwd=elsewhere, env=env, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        assert "serving" in line, line
        url = line.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/", timeout=30) as r:   # the page, static/query.html
            assert r.status == 200 and "kg SPARQL endpoint" in r.read().decode("utf-8")
        with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/static/yasgui.min.js", timeout=30) as r:
            assert r.status == 200 and len(r.read()) > 500_000            # YASGUI, from the wheel's package data
    finally:
        server.terminate()
        server.wait(timeout=30)
