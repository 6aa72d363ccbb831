"""A document whose graph cannot be rendered is reported and left as it was, like one whose extraction failed;
the documents around it are committed. The render runs once, after the store's resolution: in this process with
one job, in a worker with --jobs 2 (forked from this process, so the fault put in here is in the workers too)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus import work
from kg.corpus.ingest import build_store
from kg.corpus.store import CorpusStore
from kg.errors import InputError

TEXTS = {"a.txt": "Microsoft invested in OpenAI.\n", "b.txt": "Nvidia invested in Mistral.\n",
         "c.txt": "Google competes with OpenAI.\n"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    for name, text in TEXTS.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def b_cannot_be_rendered(monkeypatch):
    real = work.rendered

    def rendered(x):
        if x.document.path.endswith("b.txt"):
            raise ValueError("no graph for this one")
        return real(x)

    monkeypatch.setattr(work, "rendered", rendered)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_that_fails_to_render_is_a_notice_and_the_others_are_committed(
        tmp_path: Path, corpus: Path, b_cannot_be_rendered, jobs: int):
    notices: list = []
    report = build_store([str(corpus)], tmp_path / "st", jobs=jobs, progress=False, notices=notices)
    assert (report.extracted, report.failed) == (2, 1)
    assert [(Path(n.path).name, n.message) for n in notices] == [
        ("b.txt", "rendering " + str(corpus / "b.txt") + " failed (ValueError: no graph for this one)")]
    with CorpusStore(tmp_path / "st") as store:
        assert sorted(Path(f).name for files in store.files().values() for f in files) == ["a.txt", "c.txt"]
        assert store.check() == []


def test_without_a_notices_list_the_failure_is_raised_after_the_documents_before_it(
        tmp_path: Path, corpus: Path, b_cannot_be_rendered):
    with pytest.raises(InputError, match=r"b\.txt: rendering .* failed"):
        build_store([str(corpus)], tmp_path / "st", jobs=2, progress=False)
    with CorpusStore(tmp_path / "st") as store:
        assert sorted(Path(f).name for files in store.files().values() for f in files) == ["a.txt"]
