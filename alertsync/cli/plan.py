"""`alertsync plan`: what apply would change, without changing anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import PATHS, connection_options, format_option, guard_options
from alertsync.errors import (
    EXIT_CHANGES,
    EXIT_OK,
    AlertsyncError,
    InputError,
    MassDeleteRefused,
)
from alertsync.model import Guards, Provenance

if TYPE_CHECKING:
    from alertsync.flow import Remote


@click.command()
@PATHS
@connection_options
@guard_options
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

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync plan alerts/ --detailed-exitcode
      alertsync plan alerts/ --out plan.json --format markdown > plan.md
    """
    from alertsync import flow
    from alertsync.edges.files import write_output
    from alertsync.edges.provenance import from_env
    from alertsync.render import FORMATS
    from alertsync.render.json import render_json

    made = from_env(remote.env)
    try:
        the_plan, target = flow.plan(paths, remote, guards)
        if out:
            write_output(out, render_json(the_plan, target, guards, provenance=made))
    except AlertsyncError as error:
        _failed(error, fmt, output, made)
        raise
    output.out(FORMATS[fmt].plan(the_plan, target, guards, output.style, made), nl=False)
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
