"""`alertsync validate`: the files checked offline, every problem at file:line:col."""

from __future__ import annotations

import click

from alertsync.cli.console import problem_count
from alertsync.cli.options import PATHS, format_option
from alertsync.errors import EXIT_ERROR, EXIT_OK


@click.command()
@PATHS
@format_option(
    ["text", "github"],
    "text: file:line:col lines; github: workflow annotations on the pull request.",
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
    from alertsync import loading
    from alertsync.render import PROBLEM_FORMATS

    checked = loading.check(paths)
    show = PROBLEM_FORMATS[fmt]
    for problem in checked.problems:
        click.echo(show(problem))
    if checked.problems:
        click.echo(f"{problem_count(checked.problems)}.", err=True)
        return EXIT_ERROR
    click.echo(f"OK: {checked.alert_count} alert(s) in {len(checked.files)} file(s) are valid.")
    return EXIT_OK
