"""`alertsync plan`: what apply would change, without changing anything."""

from __future__ import annotations

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
from alertsync.errors import (
    EXIT_CHANGES,
    EXIT_OK,
    AlertsyncError,
    InputError,
    MassDeleteRefused,
)
from alertsync.model import Guards, Plan, Provenance, Target

if TYPE_CHECKING:
    from alertsync.envsetup import Choice, Setup
    from alertsync.flow import Remote


@click.command()
@PATHS
@connection_options
@guard_options
@environment_options
@click.option(
    "--all-envs",
    is_flag=True,
    help="Plan every environment of alertsync.toml: one plan, a section per environment.",
)
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when in sync, 2 when changes are pending, 1 on error.",
)
@format_option(["text", "json", "markdown"], "Output format.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Also save the plan as JSON, for `alertsync apply FILE` (applies exactly it).",
)
def plan(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    output: Output,
    choice: Choice,
    all_envs: bool,
    detailed_exitcode: bool,
    fmt: str,
    out: str | None,
) -> int:
    """Show what apply would change in PostHog, without changing anything.

    Reads every page of the project's live alerts, matches them to the files by name,
    and prints - delete (every one first, by name), + create and ~ update (changed
    fields only, old -> new). Refuses (exit 1) a plan built from an inconsistent listing,
    and one that deletes more than --max-deletes alerts or more than half of those in
    scope, unless --allow-mass-delete. With --format markdown, a plan that fails still
    prints a comment on stdout saying why (exit 1; the error is on stderr as always).

    With alertsync.toml, PATHS default to each environment's own: --env NAME plans one
    environment, --all-envs plans all of them together, in one plan with a section each
    (--detailed-exitcode: 2 when any has changes, 1 when any failed).

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync plan alerts/ --detailed-exitcode
      alertsync plan alerts/ --out plan.json --format markdown > plan.md
      alertsync plan --all-envs --out plan.json --format markdown > plan.md
    """
    from dataclasses import replace

    from alertsync import envflow, flow
    from alertsync.cli.environments import setup_for, show_plans
    from alertsync.edges.provenance import from_env

    made = from_env(remote.env)
    hint = ", or plan them all with --all-envs"
    setup = setup_for(replace(choice, all_envs=all_envs), paths, hint=hint)
    if setup is not None and (all_envs or len(setup.names) > 1):
        sections = envflow.plan_all(setup, remote, guards)
        return show_plans(sections, guards, output, fmt, out, detailed_exitcode, made)
    if setup is None:
        require_paths(paths)
    try:
        if setup is None:
            the_plan, target = flow.plan(paths, remote, guards)
        else:
            the_plan, target = envflow.plan_one(setup, remote, guards)
        _show(the_plan, target, setup, guards, output, fmt, out, made)
    except AlertsyncError as error:
        _failed(error, fmt, output, made)
        raise
    if detailed_exitcode and not the_plan.empty:
        return EXIT_CHANGES
    return EXIT_OK


def _failed(error: AlertsyncError, fmt: str, output: Output, made: Provenance | None) -> None:
    """On stdout, before the error goes to stderr: a refused mass delete's plan (text, every
    delete first), or the failure as markdown for the pull-request comment."""
    from alertsync.render.markdown_failure import render_plan_failure
    from alertsync.render.text import render_plan

    if isinstance(error, MassDeleteRefused) and fmt == "text" and error.plan is not None:
        output.out(render_plan(error.plan, output.style), nl=False)
    elif fmt == "markdown":
        problems = error.problems if isinstance(error, InputError) else ()
        output.out(render_plan_failure(f"Error: {error}", problems, made), nl=False)


def _show(
    the_plan: Plan,
    target: Target,
    setup: Setup | None,
    guards: Guards,
    output: Output,
    fmt: str,
    out: str | None,
    made: Provenance | None,
) -> None:
    from alertsync.edges.files import write_output
    from alertsync.render import FORMATS
    from alertsync.render.environments import render_environment
    from alertsync.render.json import render_json

    name = setup.single if setup is not None else None
    if out:
        write_output(out, render_json(the_plan, target, guards, name, provenance=made))
    if name is None:
        output.out(FORMATS[fmt].plan(the_plan, target, guards, output.style, made), nl=False)
    else:
        shown = render_environment(fmt, name, the_plan, target, guards, output.style, made)
        output.out(shown, nl=False)
