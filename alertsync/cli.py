"""The command line: parses options, calls the flow, prints, exits. The only module that does.

Exit codes, the same for every command: 0 success (or in sync), 1 any error (usage errors
included), 2 changes pending (only `plan --detailed-exitcode`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import click

from alertsync import __version__
from alertsync.apply import Result, apply_plan
from alertsync.client import PostHogClient
from alertsync.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    AlertsyncError,
    ConfigError,
    InputError,
)
from alertsync.pipeline import build_plan, check
from alertsync.plan import Guards, Plan
from alertsync.render.report import render_result, render_summary
from alertsync.render.text import render_plan
from alertsync.settings import HOST_ENV, KEY_ENV, PROJECT_ENV, connection

ROLE_COLOURS = {"create": "green", "update": "yellow", "delete": "red", "warn": "yellow"}


@dataclass(frozen=True)
class Output:
    """Where results (stdout) and diagnostics (stderr) go, with or without colour."""

    color: bool

    def style(self, text: str, role: str) -> str:
        if not self.color or role not in ROLE_COLOURS:
            return text
        return click.style(text, fg=ROLE_COLOURS[role])

    def out(self, text: str, nl: bool = True) -> None:
        click.echo(redact(text), nl=nl, color=self.color)

    def err(self, text: str) -> None:
        click.echo(redact(text), err=True, color=self.color and sys.stderr.isatty())


def redact(text: str) -> str:
    """Last line of defence: the API key's text never reaches a terminal or a log."""
    key = os.environ.get(KEY_ENV, "").strip()
    return text.replace(key, "[redacted]") if len(key) >= 4 else text


def wants_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


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


def report_problems(exc: InputError) -> None:
    for problem in exc.problems:
        click.echo(redact(str(problem)), err=True)
    click.echo(
        f"Error: {len(exc.problems)} problem(s) found; nothing was sent to PostHog.", err=True
    )


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--host",
            envvar=HOST_ENV,
            show_envvar=True,
            help="PostHog base URL [default: https://us.posthog.com].",
        ),
        click.option(
            "--project",
            envvar=PROJECT_ENV,
            show_envvar=True,
            help="Project id (or @current).",
        ),
        click.option(
            "--allow-empty",
            is_flag=True,
            help="Allow files that declare no alerts to delete every live alert in scope.",
        ),
        click.option("--no-color", is_flag=True, help="Never colour the output."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path())


@click.group(cls=AlertsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alertsync")
def cli() -> None:
    """Keep PostHog insight alerts as YAML in git, and make a project match them.

    \b
    Typical flow:
      alertsync validate alerts/             # offline checks, file:line:col
      alertsync plan alerts/                 # what would change in PostHog
      alertsync apply alerts/                # make those changes

    Connection: --host / POSTHOG_HOST, --project / POSTHOG_PROJECT_ID, and the key
    from POSTHOG_PERSONAL_API_KEY (never from a flag, never printed).
    """


@cli.command()
@PATHS
def validate(paths: tuple[str, ...]) -> int:
    """Check alert files offline: the JSON Schema and PostHog's rules.

    PATHS are files or directories (every *.yaml / *.yml under them). Prints each
    problem as file:line:col: field: message; exits 1 if there are any.

    \b
    Example:
      alertsync validate alerts/
    """
    checked = check(paths)
    for problem in checked.problems:
        click.echo(str(problem))
    files = len(checked.files)
    if checked.problems:
        click.echo(f"{len(checked.problems)} problem(s) in {files} file(s).", err=True)
        return EXIT_ERROR
    click.echo(f"OK: {checked.alert_count} alert(s) in {files} file(s) are valid.")
    return EXIT_OK


def _plan(
    paths: tuple[str, ...], host: str | None, project: str | None, allow_empty: bool
) -> tuple[PostHogClient, Plan]:
    conn = connection(host, project, os.environ)
    client = PostHogClient(conn)
    try:
        return client, build_plan(paths, client, Guards(allow_empty=allow_empty))
    except BaseException:
        client.close()
        raise


@cli.command()
@PATHS
@connection_options
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when in sync, 2 when changes are pending, 1 on error.",
)
def plan(
    paths: tuple[str, ...],
    host: str | None,
    project: str | None,
    allow_empty: bool,
    no_color: bool,
    detailed_exitcode: bool,
) -> int:
    """Show what apply would change in PostHog, without changing anything.

    Reads every page of the project's live alerts, matches them to the files by name,
    and prints + create, ~ update (changed fields only, old -> new) and - delete.

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync plan alerts/ --detailed-exitcode
    """
    output = Output(wants_color(no_color))
    client, the_plan = _plan(paths, host, project, allow_empty)
    client.close()
    output.out(render_plan(the_plan, output.style), nl=False)
    if detailed_exitcode and not the_plan.empty:
        return EXIT_CHANGES
    return EXIT_OK


@cli.command()
@PATHS
@connection_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
def apply(
    paths: tuple[str, ...],
    host: str | None,
    project: str | None,
    allow_empty: bool,
    no_color: bool,
    auto_approve: bool,
) -> int:
    """Make PostHog match the files: POST creates, PATCH updates, DELETE deletes.

    Prints the plan, asks for confirmation (type 'yes'), then applies creates,
    updates and deletes in that order and reports each one. Without a terminal on
    stdin, --auto-approve is required.

    \b
    Example:
      alertsync apply alerts/ --auto-approve
    """
    output = Output(wants_color(no_color))
    client, the_plan = _plan(paths, host, project, allow_empty)
    with client:
        output.out(render_plan(the_plan, output.style), nl=False)
        if the_plan.empty:
            return EXIT_OK
        _confirm(auto_approve, client.conn.host, client.conn.project)
        output.out("")
        results = apply_plan(the_plan, client, _printer(output))
    output.out("")
    output.out(render_summary(results))
    return EXIT_OK if all(r.outcome == "done" for r in results) else EXIT_ERROR


def _printer(output: Output) -> Callable[[Result], None]:
    def show(result: Result) -> None:
        output.out(render_result(result, output.style))

    return show


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty()


def _confirm(auto_approve: bool, host: str, project: str) -> None:
    if auto_approve:
        return
    if not interactive():
        raise ConfigError(
            "apply needs confirmation, but stdin is not a terminal; "
            "pass --auto-approve to apply without asking (as in CI)"
        )
    answer = click.prompt(
        f"\nApply these changes to project {project} at {host}?\n"
        "  Only 'yes' will be accepted to approve.\n\n  Enter a value",
        default="",
        show_default=False,
        err=True,
    )
    if answer.strip() != "yes":
        raise Cancelled()


class Cancelled(AlertsyncError):
    def __init__(self) -> None:
        super().__init__("apply cancelled; nothing was changed")


@cli.command()
@click.option(
    "--port",
    type=int,
    default=8010,
    show_default=True,
    help="Port on 127.0.0.1 (0 = any free port).",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False),
    help="JSON file that keeps the alerts between runs (created if missing).",
)
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON or YAML seed: project, API keys, members, insights (default: built in).",
)
def emulator(port: int, state: str | None, seed: str | None) -> int:
    """Run the bundled PostHog alerts API emulator in the foreground on 127.0.0.1.

    It implements the alerts endpoints, the insights lookup by short id and the
    organization members listing, with PostHog's validation rules and error bodies.

    \b
    Example:
      alertsync emulator --port 8010 --state /tmp/alerts-state.json
    """
    from pathlib import Path

    from alertsync.emulator import Emulator

    emu = Emulator(
        seed=Path(seed) if seed else None,
        state_path=Path(state) if state else None,
        port=port,
    )
    emu.start()
    click.echo(f"PostHog alerts emulator listening on {emu.base_url}")
    click.echo("Use it with:")
    click.echo(f"  export {HOST_ENV}={emu.base_url}")
    click.echo(f"  export {PROJECT_ENV}={emu.project_id}")
    click.echo(f"  export {KEY_ENV}={emu.api_key}")
    click.echo("Press Ctrl-C to stop.", err=True)
    sys.stdout.flush()
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return EXIT_OK


def main() -> NoReturn:
    cli.main()
    raise SystemExit(EXIT_OK)  # pragma: no cover - cli.main always exits
