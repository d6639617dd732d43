"""ruff (E, F, I, B, UP) on the whole repository and mypy --strict on the runtime packages, as part of the suite.

Why in the suite rather than only ``make lint``: ``.ci/run`` runs the suite, so a change that
breaks the rule set or a type fails CI like any other defect. The configuration (and its few,
commented exceptions) is in pyproject.toml; the runtime packages are the Makefile's LINT_DIRS.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUNTIME = ["graph", "ingest", "api", "ontology", "cli", "common"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_mypy_strict_finds_nothing_in_the_runtime_packages() -> None:
    result = _run("mypy", "--strict", *RUNTIME)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success" in result.stdout
