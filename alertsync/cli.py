"""The command line: parses options, calls the flow, prints, exits. The only module that does.

Exit codes, the same for every command: 0 success (or in sync), 1 any error (usage errors
included), 2 changes pending (only `plan --detailed-exitcode`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from alertsync import __version__
from alertsync.apply import Result, apply_plan
from alertsync.client import PostHogClient
from alertsync.console import AlertsyncGroup, Output
from alertsync.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, AlertsyncError, ConfigError
from alertsync.export import DEFAULT_SCHEMA_URL, export_document, export_text
from alertsync.live import live_alerts
from alertsync.pipeline import build_plan, check, member_emails
from alertsync.plan import Guards, Plan
from alertsync.planfile import SavedPlan, Target, dumps, loads, plan_document
from alertsync.recheck import stale_checker
from alertsync.render.annotations import render_github
from alertsync.render.markdown import render_markdown
from alertsync.render.report import (
    render_json_report,
    render_markdown_report,
    render_result,
    render_summary,
)
from alertsync.render.text import render_plan
from alertsync.settings import (
    HOST_ENV,
    KEY_ENV,
    PROJECT_ENV,
    Connection,
    check_host,
    check_project,
    connection,
)

FORMATS = click.Choice(["text", "json", "markdown"])


@dataclass(frozen=True)
class Remote:
    """The connection options of a command, as given."""

    host: str | None
    project: str | None

    def connect(self) -> Connection:
        return connection(self.host, self.project, os.environ)


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--host",
            envvar=HOST_ENV,
            show_envvar=True,
            help="PostHog base URL [default: https://us.posthog.com].",
        ),
        click.option(
            "--project", envvar=PROJECT_ENV, show_envvar=True, help="Project id (or @current)."
        ),
        click.option("--no-color", is_flag=True, help="Never colour the output."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


ALLOW_EMPTY = click.option(
    "--allow-empty",
    is_flag=True,
    help="Let files that declare no alert delete every live alert in scope.",
)
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


# -- validate ----------------------------------------------------------------------------


@cli.command()
@PATHS
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: file:line:col lines; github: workflow annotations on the pull request.",
)
def validate(paths: tuple[str, ...], fmt: str) -> int:
    """Check alert files offline: the JSON Schema and PostHog's rules.

    PATHS are files or directories (every *.yaml / *.yml under them). Prints each
    problem as file:line:col: field: message; exits 1 if there are any.

    \b
    Example:
      alertsync validate alerts/
      alertsync validate --format github alerts/    # in GitHub Actions
    """
    checked = check(paths)
    for problem in checked.problems:
        click.echo(render_github(problem) if fmt == "github" else str(problem))
    files = len(checked.files)
    if checked.problems:
        click.echo(f"{len(checked.problems)} problem(s) in {files} file(s).", err=True)
        return EXIT_ERROR
    click.echo(f"OK: {checked.alert_count} alert(s) in {files} file(s) are valid.")
    return EXIT_OK


# -- plan --------------------------------------------------------------------------------


def compute_plan(paths: tuple[str, ...], remote: Remote, guards: Guards) -> tuple[Plan, Target]:
    conn = remote.connect()
    with PostHogClient(conn) as client:
        plan = build_plan(paths, client, guards)
    return plan, Target(conn.host, conn.project)


def show_plan(plan: Plan, target: Target, fmt: str, output: Output) -> None:
    if fmt == "json":
        output.out(dumps(plan_document(plan, target)), nl=False)
    elif fmt == "markdown":
        output.out(render_markdown(plan, target), nl=False)
    else:
        output.out(render_plan(plan, output.style), nl=False)


@cli.command()
@PATHS
@connection_options
@ALLOW_EMPTY
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when in sync, 2 when changes are pending, 1 on error.",
)
@click.option(
    "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Also save the plan as JSON, for `alertsync apply FILE` (applies exactly it).",
)
def plan(
    paths: tuple[str, ...],
    host: str | None,
    project: str | None,
    no_color: bool,
    allow_empty: bool,
    detailed_exitcode: bool,
    fmt: str,
    out: str | None,
) -> int:
    """Show what apply would change in PostHog, without changing anything.

    Reads every page of the project's live alerts, matches them to the files by name,
    and prints + create, ~ update (changed fields only, old -> new) and - delete.

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync plan alerts/ --detailed-exitcode
      alertsync plan alerts/ --out plan.json --format markdown > plan.md
    """
    output = Output.make(no_color)
    the_plan, target = compute_plan(paths, Remote(host, project), Guards(allow_empty))
    if out:
        Path(out).write_text(dumps(plan_document(the_plan, target)), encoding="utf-8")
    show_plan(the_plan, target, fmt, output)
    if detailed_exitcode and not the_plan.empty:
        return EXIT_CHANGES
    return EXIT_OK


# -- apply -------------------------------------------------------------------------------


def saved_plan_path(paths: tuple[str, ...]) -> Path | None:
    """`apply plan.json`: a single argument that is a JSON file is a saved plan."""
    if len(paths) == 1 and paths[0].endswith(".json") and Path(paths[0]).is_file():
        return Path(paths[0])
    return None


def read_saved_plan(path: Path, remote: Remote) -> tuple[SavedPlan, Connection]:
    saved = loads(path.read_text(encoding="utf-8"), str(path))
    conn = connection(
        remote.host or saved.target.host, remote.project or saved.target.project, os.environ
    )
    wanted = (check_host(saved.target.host), check_project(saved.target.project))
    if (conn.host, conn.project) != wanted:
        raise ConfigError(
            f"{path} was planned for project {saved.target.project} at {saved.target.host}, "
            f"not project {conn.project} at {conn.host}; refusing to apply it here"
        )
    return saved, conn


@cli.command()
@PATHS
@connection_options
@ALLOW_EMPTY
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Report format."
)
def apply(
    paths: tuple[str, ...],
    host: str | None,
    project: str | None,
    no_color: bool,
    allow_empty: bool,
    auto_approve: bool,
    fmt: str,
) -> int:
    """Make PostHog match the files: POST creates, PATCH updates, DELETE deletes.

    With alert files: prints the plan, asks for confirmation (type 'yes'), then
    applies creates, updates and deletes in that order and reports each one. Without
    a terminal on stdin, --auto-approve is required.

    With a saved plan (PLAN.json from `plan --out`): applies exactly that plan, no
    prompt; a change whose live alert moved since the plan is refused as stale.

    \b
    Example:
      alertsync apply alerts/ --auto-approve
      alertsync apply plan.json
    """
    output = Output.make(no_color)
    remote = Remote(host, project)
    saved_path = saved_plan_path(paths)
    if saved_path is not None:
        results, target = _apply_saved(saved_path, remote, fmt, output)
    else:
        results, target = _apply_files(
            paths, remote, Guards(allow_empty), auto_approve, fmt, output
        )
    _report(results, target, fmt, output)
    return EXIT_OK if all(r.outcome == "done" for r in results) else EXIT_ERROR


def _apply_files(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    auto_approve: bool,
    fmt: str,
    output: Output,
) -> tuple[list[Result], Target]:
    conn = remote.connect()
    with PostHogClient(conn) as client:
        the_plan = build_plan(paths, client, guards)
        target = Target(conn.host, conn.project)
        _preview(the_plan, target, fmt, output, prompting=not auto_approve)
        if the_plan.empty:
            return [], target
        confirm(auto_approve, conn)
        return apply_plan(the_plan, client, _printer(fmt, output)), target


def _apply_saved(
    path: Path, remote: Remote, fmt: str, output: Output
) -> tuple[list[Result], Target]:
    saved, conn = read_saved_plan(path, remote)
    target = Target(conn.host, conn.project)
    _preview(saved.plan, target, fmt, output, prompting=False)
    with PostHogClient(conn) as client:
        live, _labels = live_alerts(client.list_alerts())
        checker = stale_checker(saved, live)
        return apply_plan(saved.plan, client, _printer(fmt, output), checker), target


def _preview(plan: Plan, target: Target, fmt: str, output: Output, prompting: bool) -> None:
    """The plan as text: on stdout in text mode, on stderr before a prompt otherwise."""
    if fmt == "text":
        output.out(render_plan(plan, output.style), nl=False)
    elif prompting and not plan.empty:
        output.err(render_plan(plan), nl=False)


def _printer(fmt: str, output: Output) -> Callable[[Result], None] | None:
    if fmt != "text":
        return None

    def show(result: Result) -> None:
        output.out(render_result(result, output.style))

    output.out("")
    return show


def _report(results: list[Result], target: Target, fmt: str, output: Output) -> None:
    where = {"host": target.host, "project": target.project}
    if fmt == "json":
        output.out(render_json_report(results, where), nl=False)
    elif fmt == "markdown":
        output.out(render_markdown_report(results, target), nl=False)
    elif results:
        output.out("")
        output.out(render_summary(results))


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty()


def confirm(auto_approve: bool, conn: Connection) -> None:
    if auto_approve:
        return
    if not interactive():
        raise ConfigError(
            "apply needs confirmation, but stdin is not a terminal; "
            "pass --auto-approve to apply without asking (as in CI)"
        )
    answer = click.prompt(
        f"\nApply these changes to project {conn.project} at {conn.host}?\n"
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


# -- export ------------------------------------------------------------------------------


@cli.command()
@connection_options
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--name-prefix",
    help="Export only alerts whose name starts with this, as a scoped file.",
)
@click.option(
    "--schema-url",
    default=DEFAULT_SCHEMA_URL,
    show_default=True,
    help="Where the file's yaml-language-server comment points (e.g. a path in your repo).",
)
def export(
    host: str | None,
    project: str | None,
    no_color: bool,
    output_file: str | None,
    name_prefix: str | None,
    schema_url: str,
) -> int:
    """Write the project's live alerts as an alerts file, ready to commit.

    Insights appear as short ids and subscribers as emails, defaults and server-owned
    fields are left out, and alerts are sorted by name. A plan of the exported file
    against the same project prints `No changes.`

    \b
    Example:
      alertsync export --output alerts/alerts.yaml
      alertsync plan alerts/        # No changes.
    """
    conn = Remote(host, project).connect()
    with PostHogClient(conn) as client:
        live, labels = live_alerts(client.list_alerts())
        emails = member_emails(client) if any(a.spec["subscribed_users"] for a in live) else {}
    document = export_document(live, labels, emails, name_prefix or None)
    text = export_text(document, schema_url)
    if output_file:
        Path(output_file).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(document['alerts'])} alert(s) to {output_file}.", err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_OK


# -- emulator ----------------------------------------------------------------------------


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
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
