"""The CLI fails cleanly: one ``kg: error:`` line, exit code 2, no traceback, no stray output file.

Commands run in this process through :func:`kg.cli.main` (the ``cli`` fixture of tests/conftest.py): the
same code a user's ``kg`` runs, without paying interpreter and spaCy start-up per case. A few run as real
processes: the console entry point, and Ctrl-C. Also here: reading inputs in the encodings news text
comes in (kg.textio), and a successful build.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.errors import InputError
from kg.graph.io import write_graph
from kg.textio import read_documents
from kg.vocab import ENT, KG
from tests.paths import ROOT

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ZH = "微软对OpenAI进行了投资。"


def kg_process(*args, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m kg ARGS`` in a process of its own, as a user runs it."""
    environ = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], check=False, cwd=cwd, env=environ,
                          capture_output=True, text=True, timeout=600)


def assert_one_line_error(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("kg: error: ")
    return lines[0]


@pytest.fixture
def good_text(tmp_path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text("微软对 OpenAI 进行了投资。\n", encoding="utf-8")
    return path


@pytest.fixture
def graph_file(tmp_path) -> Path:
    g = Graph()
    g.add((ENT.Microsoft, RDF.type, KG.Organization))
    g.add((ENT.Microsoft, RDFS.label, Literal("微软", lang="zh")))
    g.add((ENT.OpenAI, RDF.type, KG.Organization))
    g.add((ENT.OpenAI, RDFS.label, Literal("OpenAI", lang="en")))
    g.add((ENT.Microsoft, KG.investsIn, ENT.OpenAI))
    return write_graph(g, tmp_path / "graph.ttl")


@pytest.fixture
def not_rdf(tmp_path) -> Path:
    path = tmp_path / "notes.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nthis is not turtle\n", encoding="utf-8")
    return path


# -- bad input --------------------------------------------------------------------------

def _make_input(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "input.txt"
    if kind == "missing":
        return path
    if kind == "empty-dir":
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "image.png").write_bytes(PNG)
        return tmp_path / "docs"
    path.write_bytes({"empty": b"", "blank": b"  \n\t\r\n", "png": PNG,
                      "random": bytes(range(256)) * 4}[kind])
    return path


@pytest.mark.parametrize("kind, message", [
    ("missing", "no such file or directory"), ("empty", "empty file"), ("blank", "empty file"),
    ("png", "binary file, not text"), ("random", "binary file, not text"), ("empty-dir", "no *.txt"),
])
def test_build_rejects_bad_input(cli, tmp_path, kind, message):
    source = _make_input(tmp_path, kind)
    out = tmp_path / "out.ttl"
    line = assert_one_line_error(cli("build", source, "--out", out, cwd=tmp_path))
    assert message in line
    assert not out.exists()


@pytest.mark.parametrize("kind", ["missing", "png"])
def test_failed_build_keeps_existing_output(cli, tmp_path, kind):
    out, html = tmp_path / "out.ttl", tmp_path / "out.html"
    out.write_text("previous graph", encoding="utf-8")
    html.write_text("previous page", encoding="utf-8")
    assert_one_line_error(cli("build", _make_input(tmp_path, kind), "--out", out, "--html", html, cwd=tmp_path))
    assert out.read_text(encoding="utf-8") == "previous graph"
    assert html.read_text(encoding="utf-8") == "previous page"
    expected = {"out.ttl", "out.html"} | ({"input.txt"} if kind == "png" else set())
    assert {p.name for p in tmp_path.iterdir()} == expected          # no temporary files left


# -- unwritable output --------------------------------------------------------------------

@pytest.mark.parametrize("where", ["missing-dir", "parent-is-file", "out-is-dir"])
def test_build_unwritable_output(cli, tmp_path, good_text, where):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    (tmp_path / "adir").mkdir()
    out = {"missing-dir": tmp_path / "nope" / "out.ttl", "parent-is-file": tmp_path / "plain" / "out.ttl",
           "out-is-dir": tmp_path / "adir"}[where]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert_one_line_error(cli("build", good_text, "--out", out, cwd=tmp_path))
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_build_unwritable_html(cli, tmp_path, good_text):
    out = tmp_path / "out.ttl"
    assert_one_line_error(cli("build", good_text, "--out", out, "--html", tmp_path / "nope" / "g.html", cwd=tmp_path))
    assert not out.exists()      # checked before any work is done


@pytest.mark.parametrize("where", ["missing-dir", "parent-is-file"])
def test_render_unwritable_output(cli, tmp_path, graph_file, where):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    out = {"missing-dir": tmp_path / "nope" / "g.html", "parent-is-file": tmp_path / "plain" / "g.html"}[where]
    assert_one_line_error(cli("render", graph_file, "--out", out, cwd=tmp_path))
    assert not out.exists()


# -- unreadable graphs and bad queries -------------------------------------------------------

@pytest.mark.parametrize("command", [["query", "{graph}", "ASK {}"], ["stats", "{graph}"], ["validate", "{graph}"],
                                     ["render", "{graph}", "--out", "{out}"]])
@pytest.mark.parametrize("graph_kind", ["not-rdf", "missing", "png"])
def test_unreadable_graph(cli, tmp_path, not_rdf, command, graph_kind):
    graph = {"not-rdf": not_rdf, "missing": tmp_path / "missing.ttl", "png": tmp_path / "image.ttl"}[graph_kind]
    if graph_kind == "png":
        graph.write_bytes(PNG)
    out = tmp_path / "g.html"
    args = [a.replace("{graph}", str(graph)).replace("{out}", str(out)) for a in command]
    line = assert_one_line_error(cli(*args, cwd=tmp_path))
    assert str(graph) in line
    if graph_kind == "not-rdf":
        assert "not a readable RDF file (line 3" in line
    assert not out.exists()


@pytest.mark.parametrize("sparql, message", [
    ("SELECT ?s WHERE { ?s", "malformed SPARQL"),
    ("SELECT * WHERE { ?s undefined:p ?o }", "malformed SPARQL"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
])
def test_bad_query(cli, tmp_path, graph_file, sparql, message):
    before = graph_file.read_bytes()
    assert message in assert_one_line_error(cli("query", graph_file, sparql, cwd=tmp_path))
    assert graph_file.read_bytes() == before


def test_query_file_problems(cli, tmp_path, graph_file):
    assert "no such file" in assert_one_line_error(cli("query", graph_file, "--file", tmp_path / "q.rq", cwd=tmp_path))
    (tmp_path / "q.rq").write_text("ASK {}", encoding="utf-8")
    assert_one_line_error(cli("query", graph_file, "ASK {}", "--file", tmp_path / "q.rq", cwd=tmp_path))
    assert_one_line_error(cli("query", graph_file, cwd=tmp_path))


def test_usage_errors_are_one_line(cli, tmp_path, good_text):
    assert_one_line_error(cli(cwd=tmp_path))
    assert_one_line_error(cli("frobnicate", cwd=tmp_path))
    assert_one_line_error(cli("build", good_text, cwd=tmp_path))                      # no --out
    assert_one_line_error(cli("build", good_text, "--out", tmp_path / "o", "--format", "yaml", cwd=tmp_path))
    line = assert_one_line_error(cli("build", good_text, "--out", tmp_path / "o.xyz", cwd=tmp_path))
    assert "'.xyz'" in line and not (tmp_path / "o.xyz").exists()          # never Turtle under another name
    assert_one_line_error(cli("query", "g.ttl", "ASK {}", "--format", "xml", cwd=tmp_path))


@pytest.mark.slow     # waits for the process to block on stdin before it interrupts it
def test_interrupt_exits_130_quietly(tmp_path, graph_file):
    environ = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(graph_file), "--file", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environ)
    time.sleep(3)              # let it start and block reading the query from stdin
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    proc.stdin.close()
    assert proc.returncode == 130
    assert b"Traceback" not in err


def test_the_real_command_prints_one_line(tmp_path):
    """The same failure through the interpreter's own entry point (``python -m kg``): nothing else on stderr."""
    line = assert_one_line_error(kg_process("build", tmp_path / "missing.txt", "--out", tmp_path / "o.ttl",
                                            cwd=tmp_path))
    assert "no such file or directory" in line
    version = kg_process("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("kg ") and version.stderr == ""


# -- commands that work ---------------------------------------------------------------------

def test_version(cli, tmp_path):
    proc = cli("--version", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("kg ")


def test_query_stats_validate(cli, tmp_path, graph_file):
    proc = cli("query", graph_file, "SELECT ?o WHERE { ent:Microsoft kg:investsIn ?o }", cwd=tmp_path)
    assert proc.returncode == 0 and "ent:OpenAI" in proc.stdout and proc.stderr == ""
    proc = cli("stats", graph_file, "--json", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["relations"]["investsIn"] == 1
    proc = cli("validate", graph_file, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"{graph_file}: conforms\n")


def test_validate_nonconforming_exits_1(cli, tmp_path):
    g = Graph()
    g.add((ENT.Microsoft, RDF.type, KG.Organization))        # no rdfs:label
    g.add((ENT.Microsoft, KG.worksFor, ENT.Microsoft))
    path = write_graph(g, tmp_path / "bad.ttl")
    proc = cli("validate", path, cwd=tmp_path)
    assert proc.returncode == 1
    assert "subject of kg:worksFor must be a kg:Person" in proc.stdout
    assert "rdfs:label" in proc.stdout
    assert proc.stderr == ""


def test_build_gbk_input(cli, tmp_path):
    """Needs the extractor (kg.extract.document, kg.graph.rdf); tests/test_determinism.py checks the bytes
    do not depend on string hashing."""
    src = tmp_path / "gbk.txt"
    src.write_bytes(ZH.encode("gbk"))
    out, html = tmp_path / "out.ttl", tmp_path / "out.html"
    proc = cli("build", src, "--out", out, "--html", html, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert html.stat().st_size > 0
    assert len(proc.stderr.splitlines()) == 1 and "1 documents" in proc.stderr
    text = out.read_text(encoding="utf-8")
    assert ZH in text                   # the evidence sentence, decoded from GBK
    assert 'kg:sourcePath "' in text


# -- reading text (kg.textio) ---------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom"])
def test_read_encodings(tmp_path, encoding):
    path = tmp_path / "a.txt"
    text = ZH + "\n第二行：谷歌。\n"
    if encoding == "utf-16-be-bom":
        path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        path.write_bytes(text.encode(encoding))
    [doc] = read_documents([path])
    assert doc.text == text
    assert doc.lang == "zh"
    assert doc.path == str(path)
    import hashlib
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_read_normalizes_newlines_only(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Microsoft  invested\r\nin OpenAI.\rEnd\n")
    [doc] = read_documents([path])
    assert doc.text == "Microsoft  invested\nin OpenAI.\nEnd\n"
    assert doc.lang == "en"


def test_read_directory(tmp_path):
    d = tmp_path / "articles"
    (d / "sub").mkdir(parents=True)
    (d / ".hidden").mkdir()
    (d / "b.md").write_text("Google competes with OpenAI.", encoding="utf-8")
    (d / "a.txt").write_text(ZH, encoding="utf-8")
    (d / "sub" / "c.text").write_bytes("谷歌与OpenAI竞争。".encode("gbk"))
    (d / "sub" / "same.txt").write_text(ZH, encoding="utf-8")          # duplicate of a.txt
    (d / ".hidden" / "x.txt").write_text("hidden", encoding="utf-8")
    (d / ".dot.txt").write_text("hidden too", encoding="utf-8")
    (d / "image.png").write_bytes(PNG)
    (d / "notes.rst").write_text("not a text suffix we take", encoding="utf-8")
    docs = read_documents([str(d) + "/"])
    assert [Path(x.path).relative_to(d).as_posix() for x in docs] == ["a.txt", "b.md", "sub/c.text"]
    assert docs[0].path == str(d) + "/a.txt"                           # the directory as given
    assert [x.lang for x in docs] == ["zh", "en", "zh"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"), (b"\n \n", "empty file"), (PNG, "binary file, not text"),
    (bytes(range(1, 32)) * 20, "binary file, not text"), ("café".encode("latin-1") + b" \xff", "binary file"),
])
def test_read_rejects(tmp_path, data, message):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as e:
        read_documents([path])
    assert str(e.value).startswith(str(path))


def test_read_requires_input(tmp_path):
    with pytest.raises(InputError):
        read_documents([])
    with pytest.raises(InputError, match="no such file"):
        read_documents([tmp_path / "missing.txt"])
