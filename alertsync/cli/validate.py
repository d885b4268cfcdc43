"""`alertsync validate`: the files checked offline, every problem at file:line:col."""

from __future__ import annotations

import click

from alertsync.cli.console import problem_count
from alertsync.cli.options import PATHS, format_option, require_paths
from alertsync.errors import EXIT_ERROR, EXIT_OK


@click.command()
@PATHS
@format_option(
    ["text", "github"],
    "text: file:line:col lines; github: workflow annotations on the pull request.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    envvar="ALERTSYNC_CONFIG",
    show_envvar=True,
    help="The project file naming the environments [default: alertsync.toml in this folder "
    "or the nearest one above it, up to the repository root].",
)
def validate(paths: tuple[str, ...], fmt: str, config: str | None) -> int:
    """Check alert files offline: the JSON Schema and PostHog's rules.

    PATHS are files or directories (every *.yaml / *.yml under them). Prints each
    problem as file:line:col: field: message; exits 1 if there are any. With
    alertsync.toml, every environment's alerts (its overrides merged) are checked, from
    its own paths unless PATHS are given.

    \b
    Example:
      alertsync validate alerts/
      alertsync validate --format github alerts/    # in GitHub Actions
    """
    from alertsync import envsetup, loading
    from alertsync.cli.environments import setup_for
    from alertsync.render import PROBLEM_FORMATS

    setup = setup_for(envsetup.Choice(config), paths, every=True)
    if setup is None:
        require_paths(paths)
        checked = loading.check(paths)
        files, problems = len(checked.files), checked.problems
        summary = f"{checked.alert_count} alert(s) in {files} file(s) are valid."
    else:
        both = envsetup.check(setup)
        files, problems = len(both.files), both.problems
        counts = ", ".join(f"{name} {both.alert_count(name)}" for name in setup.names)
        summary = (
            f"the alerts of {len(setup.names)} environment(s) ({counts}) in {files} file(s) "
            "are valid."
        )
    show = PROBLEM_FORMATS[fmt]
    for problem in problems:
        click.echo(show(problem))
    if problems:
        click.echo(f"{problem_count(problems)}.", err=True)
        return EXIT_ERROR
    click.echo(f"OK: {summary}")
    return EXIT_OK
