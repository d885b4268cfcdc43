"""`alertsync show`: a saved plan, rendered as `plan` renders it; offline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import format_option
from alertsync.errors import EXIT_OK, ConfigError
from alertsync.model import EnvironmentPlan, SavedPlan

if TYPE_CHECKING:
    from alertsync.edges.envplanfile import SavedPlans


@click.command()
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(dir_okay=False))
@format_option(["text", "json", "markdown"], "Output format.")
@click.option(
    "--env",
    "env_name",
    metavar="NAME",
    help="Of a plan of several environments (plan --all-envs --out), show this one's part, "
    "as plan --env NAME shows it.",
)
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def show(plan_file: str, fmt: str, env_name: str | None, no_color: bool) -> int:
    """Show a saved plan (from `plan --out`) as text, JSON or markdown.

    Prints exactly what `plan --format FORMAT` printed when it saved the file (of one
    environment or of all of them), with the approvals the plan carries and where it was
    made (commit, CI run) when known. Offline:
    needs no key and sends no request. A file changed after it was planned is refused,
    as `apply` refuses it.

    \b
    Example:
      alertsync plan alerts/ --out plan.json
      alertsync show plan.json                       # the text plan
      alertsync show plan.json --format markdown > plan.md
      alertsync plan --all-envs --out plan.json && alertsync show plan.json
      alertsync show plan.json --env staging         # one environment's part
    """
    from alertsync.edges.envplanfile import SavedPlans, read_saved

    saved = read_saved(Path(plan_file))
    output = Output.make(no_color, quiet=True)
    if env_name is not None:
        saved = _part(saved, env_name, plan_file)
    if isinstance(saved, SavedPlans):
        output.out(_several(saved, fmt, output), nl=False)
    else:
        output.out(_one(saved, fmt, output), nl=False)
    return EXIT_OK


def _part(saved: SavedPlan | SavedPlans, name: str, source: str) -> SavedPlan:
    """The plan of environment `name` in the file (`--env NAME`), or why there is none."""
    from alertsync.edges.envplanfile import SavedPlans

    if isinstance(saved, SavedPlans):
        if name not in saved.plans:
            raise ConfigError(
                f"{source} has no plan for environment {name!r} (it has {', '.join(saved.plans)})"
            )
        return saved.plans[name]
    if saved.environment != name:
        made = "without an environment" if saved.environment is None else None
        made = made or f"for environment {saved.environment!r}"
        raise ConfigError(f"{source} was planned {made}, not for {name!r} (--env)")
    return saved


def _one(saved: SavedPlan, fmt: str, output: Output) -> str:
    """A plan of one target, as `plan` printed it (`plan --env NAME` names its environment)."""
    from alertsync.render import FORMATS
    from alertsync.render.environments import render_environment

    plan, target, guards, made = saved.plan, saved.target, saved.guards, saved.provenance
    if saved.environment is None:
        return FORMATS[fmt].plan(plan, target, guards, output.style, made)
    return render_environment(fmt, saved.environment, plan, target, guards, output.style, made)


def _several(saved: SavedPlans, fmt: str, output: Output) -> str:
    """A plan of several environments (`plan --all-envs`), as `plan` printed it: every part
    was made by one command, so the first says which approvals and where for all."""
    from alertsync.render.environments import PLANS_FORMATS

    sections = [EnvironmentPlan(n, p.target, p.plan) for n, p in saved.plans.items()]
    first = next(iter(saved.plans.values()))
    return PLANS_FORMATS[fmt].plan(sections, first.guards, output.style, first.provenance)
