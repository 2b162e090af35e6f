"""The code stays clean: ruff and mypy as configured in pyproject.toml."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize("tool, args", [("ruff", ["check", "src", "tests", "scripts", "benchmarks"]), ("mypy", [])])
def test_lint(tool, args):
    if shutil.which(tool, path=str(ROOT / ".venv" / "bin")) is None and shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")
    result = subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
