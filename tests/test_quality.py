"""The code stays mypy --strict and ruff clean: checked with every test run."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("alertsync", "tests", "action")  # action/: the GitHub Action's helper


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr
    formatted = _run(sys.executable, "-m", "ruff", "format", "--check", *CHECKED)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_mypy_strict_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy", "--strict", "alertsync", "action")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_checks_the_tests_and_benchmarks_too() -> None:
    result = _run(sys.executable, "-m", "mypy", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr
