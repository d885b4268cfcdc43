"""What the commands share about environments: choosing them (and redacting their keys),
and printing a plan of several."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from alertsync.cli.console import Output, protect, redact
from alertsync.errors import EXIT_CHANGES, EXIT_ERROR, EXIT_OK
from alertsync.model import EnvironmentPlan, Guards, Provenance

if TYPE_CHECKING:
    from alertsync.envsetup import Choice, Setup


def setup_for(
    choice: Choice, paths: Sequence[str], *, every: bool = False, hint: str = ""
) -> Setup | None:
    """The environments a command works on (None: no project file, as before it); the
    values of every environment's key variable are redacted from then on."""
    from alertsync.envsetup import choose

    setup = choose(choice, paths, every=every, hint=hint)
    if setup is not None:
        protect(env.key_env for env in setup.project.environments.values())
        for note in ignored_variables(setup, os.environ):
            click.echo(note, err=True)
    return setup


def ignored_variables(setup: Setup, env: Mapping[str, str]) -> list[str]:
    """A note for POSTHOG_HOST or POSTHOG_PROJECT_ID set to another target than the chosen
    environments': alertsync.toml's target wins, and nobody should find out after an apply.
    The value set is not shown (a host may carry a password)."""
    from alertsync.edges.posthog.settings import HOST_ENV, PROJECT_ENV, check_host
    from alertsync.errors import ConfigError

    def same(variable: str, given: str, wanted: str) -> bool:
        if variable == PROJECT_ENV:
            return given == wanted
        try:
            return check_host(given) == wanted
        except ConfigError:
            return False

    notes = []
    for variable, what in ((HOST_ENV, "host"), (PROJECT_ENV, "project")):
        given = env.get(variable, "").strip()
        targets = [(name, getattr(setup.environment(name), what)) for name in setup.names]
        others = [f"{name}: {value}" for name, value in targets if not same(variable, given, value)]
        if given and others:
            notes.append(
                f"Note: {variable} is set but not read: {setup.project.file} gives each "
                f"environment its {what} ({'; '.join(others)}); unset {variable} to silence "
                "this note."
            )
    return notes


def show_plans(
    sections: Sequence[EnvironmentPlan],
    guards: Guards,
    output: Output,
    fmt: str,
    out: str | None,
    detailed_exitcode: bool,
    made: Provenance | None = None,
) -> int:
    """Print a plan of several environments, save it (only when every one was planned),
    and say which failed; the exit code: 1 when any failed, else 2 for changes pending with
    --detailed-exitcode, else 0."""
    from alertsync.edges.files import write_output
    from alertsync.render.environments import PLANS_FORMATS, render_json_plans

    output.out(PLANS_FORMATS[fmt].plan(sections, guards, output.style, made), nl=False)
    failed = [s for s in sections if s.failed]
    if failed:
        if fmt != "text":  # text shows them in its sections already
            for section in failed:
                output.err(f"environment {section.name}: {section.error}")
                for problem in section.problems:
                    output.err(redact(str(problem)))
        names = ", ".join(s.name for s in failed)
        kept = f"; {out} was not written" if out else ""
        output.err(
            f"Error: {len(failed)} of {len(sections)} environment(s) could not be planned: "
            f"{names}{kept}."
        )
        return EXIT_ERROR
    if out:
        write_output(out, render_json_plans(sections, guards, made))
    changes = any(s.plan is not None and not s.plan.empty for s in sections)
    return EXIT_CHANGES if detailed_exitcode and changes else EXIT_OK
