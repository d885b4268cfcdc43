"""Terminal conventions: stdout for results, stderr for diagnostics, colour only on a terminal
(NO_COLOR, TERM=dumb and FORCE_COLOR as users expect), the API key redacted from everything,
one exit-code contract."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from alertsync.cli.progress import Progress
from alertsync.edges.posthog.settings import KEY_ENV
from alertsync.errors import EXIT_ERROR, EXIT_OK, AlertsyncError, InputError
from alertsync.model import Problem

ROLE_COLOURS = {"create": "green", "update": "yellow", "delete": "red", "warn": "yellow"}


_KEY_VARIABLES = {KEY_ENV}  # and each environment's key_env (see `protect`)


def protect(variables: Iterable[str]) -> None:
    """Redact the values of these variables too (the keys of alertsync.toml's environments)."""
    _KEY_VARIABLES.update(variables)


def redact(text: str) -> str:
    """Last line of defence: the API keys' text never reaches a terminal or a log, in any
    of the forms a message could quote them in (as is, repr-escaped, JSON-escaped)."""
    for variable in sorted(_KEY_VARIABLES):
        key = os.environ.get(variable, "").strip()
        if len(key) < 4:
            continue
        for form in {key, repr(key)[1:-1], json.dumps(key)[1:-1]}:
            text = text.replace(form, "[redacted]")
    return text


def wants_color(no_color: bool, stream: Any = None, env: Mapping[str, str] | None = None) -> bool:
    """Colour or not, in this order: `--no-color` and a non-empty NO_COLOR (no-color.org)
    turn it off; a non-empty FORCE_COLOR turns it on (CI logs render it); TERM=dumb turns
    it off; otherwise colour only on a terminal. An empty variable counts as unset."""
    env = os.environ if env is None else env
    if no_color or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return bool((stream or sys.stdout).isatty())


@dataclass(frozen=True)
class Output:
    """Where results (stdout) and diagnostics (stderr) go, with or without colour, and the
    progress line (stderr, on a terminal only)."""

    color: bool
    progress: Progress = field(default_factory=lambda: Progress(None))

    @classmethod
    def make(cls, no_color: bool, quiet: bool = False) -> Output:
        shown = not quiet and sys.stderr.isatty()
        return cls(wants_color(no_color), Progress(sys.stderr if shown else None))

    def style(self, text: str, role: str) -> str:
        if not self.color or role not in ROLE_COLOURS:
            return text
        return click.style(text, fg=ROLE_COLOURS[role])

    def out(self, text: str, nl: bool = True) -> None:
        self.progress.clear()
        click.echo(redact(text), nl=nl, color=self.color)

    def err(self, text: str, nl: bool = True) -> None:
        self.progress.clear()
        click.echo(redact(text), nl=nl, err=True, color=False)


def problem_count(problems: Sequence[Problem]) -> str:
    """`3 problem(s) in 2 file(s)`: the files counted are the ones that have problems."""
    files = len({p.file for p in problems})
    return f"{len(problems)} problem(s) in {files} file(s)"


def report_problems(exc: InputError) -> None:
    for problem in exc.problems:
        click.echo(redact(str(problem)), err=True)
    click.echo(f"Error: {problem_count(exc.problems)}; nothing was changed in PostHog.", err=True)


class AlertsyncGroup(click.Group):
    """Maps every failure to the exit code contract and prints `Error: …` without traceback."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        standalone = extra.pop("standalone_mode", True)
        try:
            code = super().main(args, prog_name or "alertsync", standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            code = EXIT_ERROR
        except click.ClickException as exc:
            exc.show()
            code = EXIT_ERROR
        except InputError as exc:
            report_problems(exc)
            code = exc.exit_code
        except AlertsyncError as exc:
            click.echo(redact(f"Error: {exc}"), err=True)
            code = exc.exit_code
        if not standalone:
            return code
        sys.exit(code if isinstance(code, int) else EXIT_OK)
