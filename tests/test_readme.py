"""README.md's examples, read from the README itself so the two cannot drift apart: the Python API
example runs and prints what it promises, and every ``kg`` command line it shows names a real command
and real options."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.vocab import KG
from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_example() -> str:
    """The first Python block under the README's "## The Python API"."""
    section = README.split("\n## The Python API\n", 1)[1].split("\n## ", 1)[0]
    return next(body for lang, body in FENCED.findall(section) if lang == "python")


def command_lines() -> list[str]:
    """Every line of a fenced block that runs ``kg``."""
    return [line.strip() for _lang, body in FENCED.findall(README) for line in body.splitlines()
            if line.strip().startswith("kg ")]


def without_paths(graph: Graph) -> Graph:
    """A copy of ``graph`` without its ``kg:sourcePath`` triples."""
    copy = Graph()
    copy += graph
    copy.remove((None, KG.sourcePath, None))
    return copy


def test_the_python_example_runs(capsys, monkeypatch, articles_graph):
    monkeypatch.chdir(ROOT)                    # the example reads examples/articles, as a reader would run it
    scope = {"__name__": "readme_example"}
    exec(compile(python_example(), "README.md (The Python API)", "exec"), scope)  # noqa: S102 - our own README
    printed = capsys.readouterr().out.splitlines()
    assert "Microsoft 1000000000 2019" in printed and "Microsoft 10000000000 2023" in printed, printed
    # the graph `kg build examples/articles` gives; only the paths differ (relative here, absolute there)
    assert isomorphic(without_paths(scope["graph"]), without_paths(articles_graph))


@pytest.mark.parametrize("line", command_lines())
def test_every_command_line_names_real_options(cli, line):
    words = line.split("#", 1)[0].split()
    command = words[1]
    help_text = cli(command, "--help")
    assert help_text.returncode == 0, f"{line}: no command {command!r}"
    for option in (w.strip("[]") for w in words if w.strip("[").startswith("--")):
        option = option.split("=", 1)[0]
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text.stdout), f"{line}: {option} unknown"


def test_the_readme_shows_commands():
    assert len(command_lines()) >= 15
