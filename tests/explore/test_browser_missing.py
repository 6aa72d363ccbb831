"""Without Chromium the browser tests skip and say why; with KG_REQUIRE_BROWSER=1 (what .ci/run sets) they fail.

Runs one browser test in a pytest of its own, pointed at a Chromium that does not exist (``KG_CHROMIUM``).
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import ROOT

ONE_TEST = "tests/explore/test_browser.py::test_big_graph_has_no_physics_and_settles"
NOWHERE = "/nonexistent/chromium"


def run_without_chromium(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "KG_REQUIRE_BROWSER"} | {"KG_CHROMIUM": NOWHERE} | env
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_TEST],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow      # a server or interpreter of its own, waits on purpose: in make test-all
def test_skips_with_one_line_saying_why():
    proc = run_without_chromium()
    assert proc.returncode == 0, proc.stdout[-2000:]
    reason = [line for line in proc.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reason) == 1 and f"no Chromium at {NOWHERE}" in reason[0], proc.stdout[-2000:]


@pytest.mark.slow      # a server or interpreter of its own, waits on purpose: in make test-all
def test_fails_when_the_browser_is_required():
    proc = run_without_chromium(KG_REQUIRE_BROWSER="1")
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert f"KG_REQUIRE_BROWSER=1 and no Chromium at {NOWHERE}" in proc.stdout
    assert "1 error" in proc.stdout or "1 failed" in proc.stdout
