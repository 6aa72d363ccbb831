"""The house's one-way rules (README "Layout"), as import-linter contracts in pyproject.toml."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("lint-imports is missing: the dev extra installs import-linter (make creates .venv with it)")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout


def test_no_import_hides_inside_a_function_in_the_base():
    """The base modules import their kg neighbours at the top: nothing to hide, nothing to dodge."""
    for name in ("errors", "model", "vocab", "textio", "atomic"):
        text = (ROOT / "kg" / f"{name}.py").read_text(encoding="utf-8")
        inner = [line for line in text.splitlines() if line.startswith((" ", "\t")) and line.strip().startswith("from kg")]
        assert not inner, (name, inner)
