"""The `alertsync` command group and its entry point.

Exit codes, the same for every command: 0 success (or in sync), 1 any error (usage errors
included), 2 changes pending (only `plan --detailed-exitcode`); `apply` interrupted by a
signal exits 128 + its number (130 for Ctrl-C, 143 for SIGTERM). Commands import what they
need when they run, so `--help` and `validate` start fast.
"""

from __future__ import annotations

from typing import NoReturn

import click

from alertsync import __version__
from alertsync.cli.apply import apply
from alertsync.cli.console import AlertsyncGroup
from alertsync.cli.delivery import test_delivery
from alertsync.cli.export import export
from alertsync.cli.plan import plan
from alertsync.cli.show import show
from alertsync.cli.status import status
from alertsync.cli.validate import validate
from alertsync.emulator.cli import emulator
from alertsync.errors import EXIT_OK


@click.group(cls=AlertsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alertsync")
def cli() -> None:
    """Keep PostHog insight alerts as YAML in git, and make a project match them.

    \b
    Typical flow:
      alertsync validate alerts/             # offline checks, file:line:col
      alertsync plan alerts/                 # what would change in PostHog
      alertsync show plan.json               # a plan saved with plan --out
      alertsync apply alerts/                # make those changes
      alertsync status alerts/               # is every alert working?

    Connection: --host / POSTHOG_HOST, --project / POSTHOG_PROJECT_ID, and the key
    from POSTHOG_PERSONAL_API_KEY (never from a flag, never printed). Several
    projects: an alertsync.toml names them as environments (--env NAME, --all-envs).
    """


for command in (validate, plan, show, apply, status, export, test_delivery, emulator):
    cli.add_command(command)


def main() -> NoReturn:
    cli.main()
    raise SystemExit(EXIT_OK)  # pragma: no cover - cli.main always exits
