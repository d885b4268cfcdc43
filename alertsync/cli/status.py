"""`alertsync status`: is every alert the files own actually working? Reads only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from alertsync.cli.console import Output
from alertsync.cli.options import (
    PATHS,
    connection_options,
    environment_options,
    format_option,
    require_paths,
)
from alertsync.core.health import CONDITIONS, DEFAULT_FAIL_ON
from alertsync.errors import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from alertsync.envsetup import Choice
    from alertsync.flow import Remote

NONE = "none"


class Conditions(click.ParamType):  # type: ignore[type-arg]
    """A comma-separated list of status conditions, or `none`."""

    name = "conditions"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        names = [part.strip() for part in str(value).split(",") if part.strip()]
        unknown = [n for n in names if n not in (*CONDITIONS, NONE)]
        if unknown or not names:
            given = ", ".join(unknown) if unknown else "nothing"
            choices = ", ".join((*CONDITIONS, NONE))
            self.fail(f"{given} is not a condition; choose from {choices}", param, ctx)
        if NONE in names:
            if len(names) > 1:
                self.fail(f"{NONE} cannot be combined with other conditions", param, ctx)
            return ()
        return tuple(c for c in CONDITIONS if c in names)


@click.command()
@PATHS
@connection_options
@environment_options
@click.option(
    "--all-envs",
    is_flag=True,
    help="Every environment of alertsync.toml, side by side in one report.",
)
@format_option(["text", "json", "markdown"], "Output format.")
@click.option(
    "--fail-on",
    type=Conditions(),
    default=",".join(DEFAULT_FAIL_ON),
    show_default=True,
    help="Exit 1 when an alert is in any of these states (comma-separated): "
    f"{', '.join(CONDITIONS)}; or {NONE}.",
)
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="The project's timezone (an IANA name, as in its PostHog settings): quiet hours and "
    "skipped weekends are in it. PostHog's alerts API does not say it.",
)
@click.option(
    "--checks",
    type=click.IntRange(min=1, max=500),
    default=20,
    show_default=True,
    help="Recent checks read per alert: how far back 'since' and the last deliveries can see.",
)
def status(
    paths: tuple[str, ...],
    remote: Remote,
    output: Output,
    choice: Choice,
    all_envs: bool,
    fmt: str,
    fail_on: tuple[str, ...],
    timezone: str,
    checks: int,
) -> int:
    """Show whether every alert the files own is working, without changing anything.

    For each alert (the same files and scope as plan): its state and since when, the last
    check's error, whether a check is overdue (cadence, quiet hours and skipped weekends
    taken into account, with a grace margin), a snooze, disabled in PostHog while the file
    says enabled, and destinations PostHog disabled or degraded with their last delivery.
    Exits 1 when an alert is in a state --fail-on selects, or on any error; 0 otherwise.
    With alertsync.toml: --env NAME reports one environment, --all-envs every one.

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync status alerts/ --timezone Europe/Paris
      alertsync status alerts/ --format markdown --fail-on errored,overdue > status.md
    """
    from alertsync import status as use_case
    from alertsync.core.health import Now
    from alertsync.core.status_report import StatusReport, TargetStatus
    from alertsync.edges import clock
    from alertsync.render import STATUS_FORMATS

    def progress(done: int, total: int) -> None:
        output.progress.update("reading checks", done, total, "alerts")
        if done >= total:
            output.progress.clear()

    offset = clock.zone_offset(timezone)

    def now() -> Now:  # taken once everything is read
        return Now(clock.now(), offset)

    from dataclasses import replace

    from alertsync.cli.environments import setup_for
    from alertsync.envstatus import read_targets

    hint = ", or report them all with --all-envs"
    setup = setup_for(replace(choice, all_envs=all_envs), paths, hint=hint)
    if setup is None:
        require_paths(paths)
        targets: tuple[TargetStatus, ...] = (
            use_case.read_target(paths, remote, now, checks, progress),
        )
    else:
        targets = read_targets(setup, remote, now, checks, progress)
    given = click.get_current_context().get_parameter_source("timezone")
    default = click.core.ParameterSource.DEFAULT
    report = StatusReport(targets, timezone, fail_on, timezone_given=given != default)
    output.out(STATUS_FORMATS[fmt](report, output.style), nl=False)
    for unread in report.unread if fmt != "text" else ():  # text shows them in its sections
        output.err(f"Error: environment {unread.environment}: {unread.error}")
    return EXIT_ERROR if report.failed else EXIT_OK
