"""Command-line conventions: help with examples, version, completion, streams, colour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alertsync import __version__
from alertsync.cli import cli
from alertsync.cli.console import wants_color
from tests.builders import EXAMPLE, Runner

COMMANDS = cli.list_commands(click.Context(cli))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"alertsync {command}" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "alertsync", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and __version__ in done.stdout


def test_shell_completion_through_click() -> None:
    env = {"_ALERTSYNC_COMPLETE": "bash_complete", "COMP_WORDS": "alertsync pl", "COMP_CWORD": "1"}
    result = CliRunner().invoke(cli, [], env=env, prog_name="alertsync")
    assert "plan" in result.output


def test_results_on_stdout_diagnostics_on_stderr() -> None:
    result = CliRunner().invoke(cli, ["validate", "does-not-exist.yaml"])
    assert result.exit_code == 1
    assert "does-not-exist.yaml:1:1: no such file or directory" in result.stdout
    assert "1 problem(s)" in result.stderr


class Tty:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(False, Tty()) is True
    assert wants_color(True, Tty()) is False  # --no-color
    assert wants_color(False, sys.stdout) is False  # pytest captures: not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert wants_color(False, Tty()) is False


def test_no_progress_line_when_stderr_is_not_a_terminal(run: Runner, tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(EXAMPLE.read_text())
    result = run("apply", str(file), "--auto-approve")
    assert result.exit_code == 0
    assert "\r" not in result.stderr and "\x1b" not in result.stdout + result.stderr
    quiet = run("plan", str(file), "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""
