"""`alertsync test-delivery`: PostHog's test notification for the named alerts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output
from alertsync.cli.options import connection_options, environment_options, format_option
from alertsync.errors import EXIT_ERROR, EXIT_OK

if TYPE_CHECKING:
    from alertsync.envsetup import Choice
    from alertsync.flow import Remote


@click.command("test-delivery")
@click.argument("names", nargs=-1, required=True)
@connection_options
@environment_options
@format_option(["text", "json"], "Output format.")
def test_delivery(
    names: tuple[str, ...], remote: Remote, output: Output, choice: Choice, fmt: str
) -> int:
    """Send PostHog's test notification for the named alerts.

    Each alert's subscribers get a test email and each active destination (Slack,
    webhook, Discord, Teams) a message marked [TEST]; the report lists where it went and
    what PostHog could not schedule. Exit 1 when any alert's test failed or a name has no
    live alert (then nothing is sent). Needs a PostHog with test delivery and the
    alert:write scope. With alertsync.toml, --env NAME names the environment.

    \b
    Example:
      alertsync apply alerts/ --auto-approve
      alertsync test-delivery "Signups dropped below 50 a day"
    """
    from alertsync.cli.environments import setup_for
    from alertsync.envflow import chosen_remote
    from alertsync.flow_delivery import test_deliveries
    from alertsync.render.delivery import render_deliveries, render_deliveries_json

    setup = setup_for(choice, ())
    deliveries = test_deliveries(remote if setup is None else chosen_remote(setup, remote), names)
    if fmt == "json":
        output.out(render_deliveries_json(deliveries), nl=False)
    else:
        output.out(render_deliveries(deliveries, output.style), nl=False)
    return EXIT_OK if all(d.ok for d in deliveries) else EXIT_ERROR
