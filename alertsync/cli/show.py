"""`alertsync show`: a saved plan, rendered as `plan` renders it; offline."""

from __future__ import annotations

from pathlib import Path

import click

from alertsync.cli.console import Output
from alertsync.cli.options import format_option
from alertsync.errors import EXIT_OK


@click.command()
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(dir_okay=False))
@format_option(["text", "json", "markdown"], "Output format.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def show(plan_file: str, fmt: str, no_color: bool) -> int:
    """Show a saved plan (from `plan --out`) as text, JSON or markdown.

    Prints exactly what `plan --format FORMAT` printed when it saved the file, with the
    approvals the plan carries and where it was made (commit, CI run) when known. Offline:
    needs no key and sends no request. A file changed after it was planned is refused,
    as `apply` refuses it.

    \b
    Example:
      alertsync plan alerts/ --out plan.json
      alertsync show plan.json                       # the text plan
      alertsync show plan.json --format markdown > plan.md
    """
    from alertsync.edges.planfile import read_plan_file
    from alertsync.render import FORMATS

    saved = read_plan_file(Path(plan_file))
    output = Output.make(no_color, quiet=True)
    shown = FORMATS[fmt].plan(
        saved.plan, saved.target, saved.guards, output.style, saved.provenance
    )
    output.out(shown, nl=False)
    return EXIT_OK
