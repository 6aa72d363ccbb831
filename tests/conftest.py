"""Fixtures shared by the whole suite: what is expensive to make is made once per session.

* ``seed_graph``: the seed article (``../shared/seeds/``) built into a graph.
* ``articles``: the example articles' extractions; ``articles_graph``: their graph.
* ``small_store``: a corpus store of six generated articles (read-only: copy it before changing it).
* ``cli``: runs ``kg ...`` in this process through :func:`kg.cli.main` and returns what it printed.

Tests only read these; one that changes a graph or a store works on its own copy.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ARTICLES, SEED


@pytest.fixture(scope="session")
def seed_graph():
    """The seed article's graph, built once (``kg.build_graph``)."""
    import kg

    if not SEED.exists():
        pytest.fail(f"the seed article is missing: {SEED} (CI keeps ../shared beside the clone)", pytrace=False)
    return kg.build_graph([SEED])


@pytest.fixture(scope="session")
def articles() -> dict:
    """``{file name: Extraction}`` for every article in ``examples/articles``."""
    from kg.extract.document import Extractor
    from kg.textio import read_documents

    extractor = Extractor()
    return {Path(d.path).name: extractor.extract(d) for d in read_documents([ARTICLES])}


@pytest.fixture(scope="session")
def articles_graph(articles):
    """The example articles' graph, as ``kg build examples/articles`` writes it."""
    from kg.graph.rdf import to_graph

    return to_graph(articles.values())


@pytest.fixture(scope="session")
def small_store(tmp_path_factory) -> Path:
    """A corpus store built from six generated articles with one job (do not write to it)."""
    from bench.corpus import write_corpus
    from kg.corpus.ingest import build_store

    d = tmp_path_factory.mktemp("small-store")
    write_corpus(d / "news", docs=6, kb=0.6, seed=2)
    build_store([d / "news"], d / "store", jobs=1, progress=False)
    return d / "store"


@dataclass
class CliResult:
    """What one in-process ``kg`` run returned and printed (the fields of ``subprocess.CompletedProcess``)."""
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., CliResult]:
    """``cli("build", path, "--out", out, cwd=tmp_path)``: ``kg`` run by :func:`kg.cli.main` in this process,
    in ``cwd``, with its exit code, stdout and stderr. No interpreter start-up or spaCy load per call."""
    from kg.cli import main

    def run(*args, cwd: Path | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()                      # drop what the test printed before
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
