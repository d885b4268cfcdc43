"""The `alertsync` command group and its entry point.

Exit codes, the same for every command: 0 success (or in sync), 1 any error (usage errors
included), 2 changes pending (only `plan --detailed-exitcode`); `apply` interrupted by a
signal exits 128 + its number (130 for Ctrl-C, 143 for SIGTERM). Commands import what they
need when they run, so `--help` and `validate` start fast.
"""

from __future__ import annotations

import importlib
from typing import NoReturn

import click

from alertsync import __version__
from alertsync.cli.console import AlertsyncGroup
from alertsync.errors import EXIT_OK

# Each command's module, loaded when the command runs (or `--help` lists it): a commit hook
# running `alertsync validate` does not pay for the PostHog client, the renderers of plans
# or the emulator.
COMMANDS = {
    "validate": "alertsync.cli.validate:validate",
    "plan": "alertsync.cli.plan:plan",
    "apply": "alertsync.cli.apply:apply",
    "status": "alertsync.cli.status:status",
    "show": "alertsync.cli.show:show",
    "export": "alertsync.cli.export:export",
    "test-delivery": "alertsync.cli.delivery:test_delivery",
    "emulator": "alertsync.emulator.cli:emulator",
}


class LazyGroup(AlertsyncGroup):
    """A group whose commands are imported by name, the first time one is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, name = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), name)
            if isinstance(command, click.Command):
                self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> NoReturn:
    cli.main()
    raise SystemExit(EXIT_OK)  # pragma: no cover - cli.main always exits
