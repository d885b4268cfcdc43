"""`alertsync apply`: make PostHog match the files, or carry out a saved plan exactly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import (
    PATHS,
    connection_options,
    environment_options,
    format_option,
    guard_options,
    require_paths,
)
from alertsync.cli.signals import Stop, stop_on_signals
from alertsync.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    Cancelled,
    ConfigError,
    MassDeleteRefused,
)
from alertsync.model import EnvironmentReport, Guards, Labels, Plan, Result, Target

if TYPE_CHECKING:
    from alertsync.envsetup import Choice, Setup
    from alertsync.flow import Applied, ApplyHooks, Remote
    from alertsync.render import Format


@click.command()
@PATHS
@connection_options
@guard_options
@environment_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--expect-id",
    metavar="ID",
    help="Apply only if the plan's id is ID (the id printed on the reviewed plan); "
    "otherwise apply nothing and exit 1.",
)
@format_option(["text", "json", "markdown"], "Report format.")
def apply(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    output: Output,
    choice: Choice,
    auto_approve: bool,
    expect_id: str | None,
    fmt: str,
) -> int:
    """Make PostHog match the files: POST creates, PATCH updates, DELETE deletes.

    With alert files: prints the plan, asks for confirmation (type 'yes'), then
    applies creates, updates and deletes in that order and reports each one. Without
    a terminal on stdin, --auto-approve is required.

    With a saved plan (PLAN.json from `plan --out`): applies exactly that plan, no
    prompt; a change whose live alert moved since the plan is refused as stale, and a
    file changed after it was planned is refused whole. With --expect-id, only the
    plan whose id a reviewer saw is applied.

    With alertsync.toml: --env NAME applies one environment from the files; a saved
    plan of several environments (`plan --all-envs --out`) applies each one's changes
    against its own target, one after another (--env NAME: that one only).

    A failed change does not stop the others (deletes wait for creates and updates to
    succeed); a create whose response was lost is checked, never sent twice. Ctrl-C or
    SIGTERM lets the request in flight finish, skips the rest, reports, and exits 130 or
    143 (a second signal abandons the request in flight).

    \b
    Example:
      alertsync apply alerts/ --auto-approve
      alertsync apply plan.json --expect-id 3f9a1c2b7d4e5f60
      alertsync apply --env production plan.json
    """
    from alertsync.cli.environments import setup_for
    from alertsync.render import FORMATS

    stop = Stop()
    form = FORMATS[fmt]
    saved = saved_plan_path(paths)
    hint = " (a saved plan of several environments, from plan --all-envs --out, applies each)"
    setup = setup_for(choice, () if saved else paths, every=saved is not None, hint=hint)
    if setup is None and saved is None:
        require_paths(paths)
    hooks = _hooks(form, output, stop, prompting=saved is None and not auto_approve)
    try:
        if setup is not None and saved is not None:
            return _apply_environments(
                saved, setup, choice, remote, guards, stop, hooks, output, fmt, expect_id
            )
        applied = _apply(paths, saved, setup, remote, guards, stop, hooks, expect_id)
    except MassDeleteRefused as refused:
        if refused.plan is not None and not hooks.reviewed():  # every delete is listed first
            hooks.review(refused.plan, None)
        raise
    results = applied.results
    output.out(form.report(results, applied.target, applied.plan_id, applied.labels), nl=False)
    if stop.signum is not None:
        done = sum(1 for r in results if r.outcome == "done")
        output.err(
            f"Error: {stop.reason()}: {done} of {len(results)} change(s) done (see above); "
            "run plan to see what is left."
        )
        return EXIT_SIGNAL_BASE + stop.signum
    return EXIT_OK if all(r.outcome == "done" for r in results) else EXIT_ERROR


def _apply(
    paths: tuple[str, ...],
    saved: Path | None,
    setup: Setup | None,
    remote: Remote,
    guards: Guards,
    stop: Stop,
    hooks: ApplyHooks,
    expect_id: str | None,
) -> Applied:
    from alertsync import envflow, flow

    if saved is not None:
        return flow.apply_saved(saved, remote, guards, stop, hooks, expect_id)
    if setup is not None:
        return envflow.apply_files(setup, remote, guards, stop, hooks, expect_id)
    return flow.apply_files(paths, remote, guards, stop, hooks, expect_id)


def _apply_environments(
    saved: Path,
    setup: Setup,
    choice: Choice,
    remote: Remote,
    guards: Guards,
    stop: Stop,
    hooks: ApplyHooks,
    output: Output,
    fmt: str,
    expect_id: str | None,
) -> int:
    """A saved plan with alertsync.toml: each environment's part against its own target."""
    from alertsync import envflow
    from alertsync.render.environments import render_environment_header, render_reports

    started = [False]

    def on_environment(name: str, target: Target) -> None:
        if fmt == "text":
            lead = "\n" if started[0] else ""
            output.out(lead + render_environment_header(name, target, output.style) + "\n")
        started[0] = True

    reports = envflow.apply_saved(
        saved, setup, choice, remote, guards, stop, hooks, expect_id, on_environment
    )
    output.out(render_reports(fmt, reports), nl=False)
    for report in reports:
        if report.error:
            output.err(f"Error: environment {report.name}: {report.error}")
    if stop.signum is not None:
        output.err(f"Error: {stop.reason()}: run plan to see what is left.")
        return EXIT_SIGNAL_BASE + stop.signum
    return EXIT_OK if all(_clean(r) for r in reports) else EXIT_ERROR


def _clean(report: EnvironmentReport) -> bool:
    return not report.error and all(r.outcome == "done" for r in report.results)


def saved_plan_path(paths: tuple[str, ...]) -> Path | None:
    """`apply plan.json`: a single argument that is a JSON file is a saved plan."""
    if len(paths) == 1 and paths[0].endswith(".json") and Path(paths[0]).is_file():
        return Path(paths[0])
    return None


def _hooks(form: Format, output: Output, stop: Stop, prompting: bool) -> ApplyHooks:
    from alertsync.flow import ApplyHooks
    from alertsync.render.report import render_result
    from alertsync.render.text import render_plan

    shown = [False]

    def review(plan: Plan, target: Target | None) -> None:
        """The plan as text: on stdout in text mode, on stderr before a prompt otherwise."""
        shown[0] = True
        if form.streams_results:
            output.out(render_plan(plan, output.style, target), nl=False)
        elif prompting and not plan.empty:
            output.err(render_plan(plan, target=target), nl=False)

    def approve(plan: Plan, target: Target) -> None:
        if prompting:
            confirm(target)

    total = seen = 0
    labels = Labels()

    def start(plan: Plan) -> None:
        nonlocal total, labels
        total = len(plan.changes)
        labels = plan.labels
        if form.streams_results:
            output.out("")

    def on_result(result: Result) -> None:
        """Each result as it is known: a line of the text report, and the progress line."""
        nonlocal seen
        seen += 1
        if form.streams_results:
            output.out(render_result(result, output.style, labels))
        output.progress.update("applying", seen, total, "changes")
        if seen == total:
            output.progress.clear()

    return ApplyHooks(
        review, approve, start, on_result, lambda: stop_on_signals(stop), lambda: shown[0]
    )


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty()


def confirm(target: Target) -> None:
    if not interactive():
        raise ConfigError(
            "apply needs confirmation, but stdin is not a terminal; "
            "pass --auto-approve to apply without asking (as in CI)"
        )
    answer = click.prompt(
        f"\nApply these changes to project {target.project} at {target.host}?\n"
        "  Only 'yes' will be accepted to approve.\n\n  Enter a value",
        default="",
        show_default=False,
        err=True,
    )
    if answer.strip() != "yes":
        raise Cancelled()
