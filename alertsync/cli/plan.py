"""`alertsync plan`: what apply would change, without changing anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import PATHS, connection_options, format_option, guard_options
from alertsync.errors import EXIT_CHANGES, EXIT_OK, MassDeleteRefused
from alertsync.model import Guards

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
    scope, unless --allow-mass-delete.

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
    from alertsync.render.text import render_plan

    made = from_env(remote.env)

    try:
        the_plan, target = flow.plan(paths, remote, guards)
    except MassDeleteRefused as refused:
        if fmt == "text" and refused.plan is not None:  # every delete is listed first
            output.out(render_plan(refused.plan, output.style), nl=False)
        raise
    if out:
        write_output(out, render_json(the_plan, target, guards, provenance=made))
    output.out(FORMATS[fmt].plan(the_plan, target, guards, output.style, made), nl=False)
    if detailed_exitcode and not the_plan.empty:
        return EXIT_CHANGES
    return EXIT_OK
