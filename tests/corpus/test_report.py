"""The build report: facts per document for file and store builds, zero-fact warnings, --report JSON, the
progress bar (only on a terminal), the --store hint for big graph files and the CSV byte order mark."""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from kg.corpus.report import BuildFacts, progress_bar
from kg.explore.facts import document_facts, fact_counts
from kg.graph.rdf import to_graph
from kg.vocab import DOC
from tests.paths import ARTICLES, ROOT

# Our own sentences: one document that states facts, one that names a company and states none.
FACTS_EN = "Microsoft invested $1 billion in OpenAI in 2019. Google competes with OpenAI.\n"
NO_FACT_EN = "Microsoft held its annual meeting in Seattle on a rainy Tuesday.\n"
NO_FACT_ZH = "今天北京天气晴朗，气温适宜。\n"


@pytest.fixture
def news(tmp_path: Path) -> Path:
    d = tmp_path / "news"
    d.mkdir()
    (d / "a-facts.en.txt").write_text(FACTS_EN, encoding="utf-8")
    (d / "b-quiet.en.txt").write_text(NO_FACT_EN, encoding="utf-8")
    (d / "c-weather.zh.txt").write_text(NO_FACT_ZH, encoding="utf-8")
    return d


def test_per_document_counts_agree_with_each_document_alone(articles):
    """document_facts on the merged graph gives, per document, what that document's graph alone holds."""
    merged = document_facts(to_graph(articles.values()))
    assert len(merged) == len(articles)
    for x in articles.values():
        alone = fact_counts((str(s), str(p), str(o)) for s, p, o in to_graph([x]))
        assert merged[str(DOC[x.document.id])] == alone
        assert alone == {"entities": len(x.entities), "relations": len({(r.subject, r.predicate, r.object)
                                                                         for r in x.relations}),
                         "events": len(x.investments) + len(x.acquisitions)}
        assert alone["relations"] > 0


def test_file_build_warns_and_writes_the_report(cli, news, tmp_path):
    r = cli("build", news, "--out", tmp_path / "g.ttl", "--report", tmp_path / "report.json")
    assert r.returncode == 0, r.stderr
    warning = [line for line in r.stderr.splitlines() if line.startswith("kg: warning:")]
    assert len(warning) == 1 and "2 of 3 documents gave no fact" in warning[0], r.stderr
    assert "b-quiet.en.txt" in warning[0] and "c-weather.zh.txt" in warning[0]
    assert "a-facts.en.txt" not in warning[0]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [Path(p).name for p in report["zero_fact"]] == ["b-quiet.en.txt", "c-weather.zh.txt"]
    rows = {Path(d["path"]).name: d for d in report["documents"]}
    assert rows["a-facts.en.txt"]["relations"] >= 2 and rows["a-facts.en.txt"]["events"] == 1
    assert rows["b-quiet.en.txt"]["entities"] >= 1 and rows["b-quiet.en.txt"]["relations"] == 0
    assert rows["c-weather.zh.txt"]["lang"] == "zh"
    assert report["totals"]["documents"] == 3 and report["totals"]["zero_fact"] == 2


def test_store_build_reports_the_same_and_unchanged_documents(cli, news, tmp_path):
    cli("build", news, "--out", tmp_path / "g.ttl", "--report", tmp_path / "file.json")
    r = cli("build", news, "--store", tmp_path / "s", "--jobs", "1", "--report", tmp_path / "store.json")
    assert r.returncode == 0, r.stderr
    assert "2 of 3 documents gave no fact" in r.stderr
    file_rep = json.loads((tmp_path / "file.json").read_text(encoding="utf-8"))
    store_rep = json.loads((tmp_path / "store.json").read_text(encoding="utf-8"))
    assert store_rep["documents"] == file_rep["documents"]
    again = cli("build", news, "--store", tmp_path / "s", "--jobs", "1", "--report", tmp_path / "again.json")
    rep = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert {d["status"] for d in rep["documents"]} == {"unchanged"}
    assert [{k: v for k, v in d.items() if k != "status"} for d in rep["documents"]] == \
           [{k: v for k, v in d.items() if k != "status"} for d in file_rep["documents"]]
    assert "2 of 3 documents gave no fact" in again.stderr


def test_no_warning_when_every_document_gives_a_fact(cli, tmp_path):
    r = cli("build", ARTICLES, "--out", tmp_path / "g.ttl")
    assert r.returncode == 0 and "kg: warning:" not in r.stderr, r.stderr


def test_report_path_must_be_its_own_and_writable(cli, news, tmp_path):
    r = cli("build", news, "--out", tmp_path / "g.ttl", "--report", tmp_path / "g.ttl")
    assert r.returncode == 2 and "--report" in r.stderr
    r = cli("build", news, "--out", tmp_path / "g.ttl", "--report", tmp_path / "missing" / "r.json")
    assert r.returncode == 2 and r.stderr.startswith("kg: error:")
    assert not (tmp_path / "g.ttl").exists()          # refused before any extraction


def test_warning_names_at_most_ten_documents():
    r = BuildFacts()
    for i in range(13):
        r.add(f"d{i:02d}.txt", f"{i:016x}", "en", 10, {"entities": 1})
    w = r.warning()
    assert w.startswith("13 of 13 documents gave no fact") and "d09.txt" in w and "d10.txt" not in w
    assert w.endswith("and 3 more (see --report)")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_bar(5) is None                      # a pipe or a log file: no bar
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = progress_bar(5)
    assert bar is not None
    bar.update(2, 4096)
    bar.close()
    assert "0/5" in terminal.getvalue() and "doc/s" in terminal.getvalue()
    assert progress_bar(1) is None                      # one document: nothing to follow
    assert progress_bar(5, wanted=False) is None


def test_file_build_shows_progress_when_asked(news, capsys):
    from kg.build import build_graph

    build_graph([news], progress=True)
    err = capsys.readouterr().err
    assert "/3 [" in err and "doc" in err


def _run_on_a_terminal(args: list[str], cwd: Path) -> str:
    """``kg ARGS`` with stderr (and stdout) on a pseudo-terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))   # a real terminal has a size
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=follower, stderr=follower, env={**env, "PYTHONPATH": str(ROOT)})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:                                  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode("utf-8", "replace")
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_real_builds_show_a_bar_on_a_terminal_and_none_in_a_pipe(news, tmp_path):
    for i, target in enumerate([["--out", "g{}.ttl"], ["--store", "s{}", "--jobs", "1"]]):
        terminal = [a.format(f"{i}t") for a in target]
        shown = _run_on_a_terminal(["build", str(news), *terminal], tmp_path)
        assert "/3 [" in shown and "doc" in shown, shown
        piped = subprocess.run([sys.executable, "-m", "kg", "build", str(news), *[a.format(f"{i}p") for a in target]],
                               cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert piped.returncode == 0, piped.stderr
        assert "/3 [" not in piped.stderr and "\r" not in piped.stderr, piped.stderr


def test_query_on_a_big_file_suggests_a_store(cli, tmp_path, monkeypatch, articles_graph):
    import kg.cli

    path = tmp_path / "g.ttl"
    articles_graph.serialize(path, format="turtle")
    r = cli("query", path, "ASK { ?s ?p ?o }")
    assert r.returncode == 0 and "--store" not in r.stderr
    monkeypatch.setattr(kg.cli, "SUGGEST_STORE_BYTES", path.stat().st_size - 1)
    r = cli("query", path, "ASK { ?s ?p ?o }")
    assert r.returncode == 0 and r.stdout == "true\n"
    assert "kg query --store DIR" in r.stderr and r.stderr.count("\n") == 1


def test_query_csv_with_a_bom_reads_in_excel_and_csv(cli, tmp_path, articles_graph):
    path = tmp_path / "g.ttl"
    articles_graph.serialize(path, format="turtle")
    q = 'SELECT ?n WHERE { ?e rdfs:label ?n FILTER(lang(?n) = "zh") } ORDER BY ?n LIMIT 3'
    plain = cli("query", path, q, "--format", "csv")
    assert plain.returncode == 0 and not plain.stdout.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(plain.stdout))) == ["n"]        # machine readers see a clean header
    excel = cli("query", path, q, "--format", "csv", "--bom")
    assert excel.stdout == "\ufeff" + plain.stdout
    data = excel.stdout.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["n"] and all(any("\u4e00" <= ch <= "\u9fff" for ch in r[0]) for r in rows[1:])
    bad = cli("query", path, q, "--bom")
    assert bad.returncode == 2 and "--bom" in bad.stderr
