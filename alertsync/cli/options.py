"""Options shared by several commands, each group turned into one plain value.

`connection_options` gives a command `remote` (a `flow.Remote`) and `output` (an
`Output`); `guard_options` gives it `guards` (a `Guards`); `environment_options` gives it
`choice` (an `envsetup.Choice`: the project file and the environment). A group is declared
once, as a list of click options and the function that builds the value from them.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from typing import Any

import click

from alertsync.cli.console import Output
from alertsync.edges.posthog.settings import HOST_ENV, PROJECT_ENV, Tuning
from alertsync.model import DEFAULT_MAX_DELETES, Guards

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
OptionSpec = tuple[tuple[str, ...], dict[str, Any]]


class Seconds(click.FloatRange):
    """A finite number of seconds (click's FloatRange lets `nan` and `inf` through)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number


SECONDS = Seconds(min=0)
# Required without alertsync.toml (see `require_paths`); with it, each environment's own.
PATHS = click.argument("paths", nargs=-1, required=False, type=click.Path(), metavar="PATHS...")


def require_paths(paths: tuple[str, ...]) -> None:
    """PATHS are required without a project file: the usage error click gives."""
    if not paths:
        ctx = click.get_current_context()
        raise click.MissingParameter(ctx=ctx, param_hint="'PATHS...'", param_type="argument")


def format_option(choices: list[str], help: str) -> Decorator:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help,
    )


def option_group(
    options: list[OptionSpec],
    build: Callable[..., dict[str, Any]],
) -> Decorator:
    """Declare `options` on a command and hand it what `build(**their values)` returns."""
    names = [click.Option(list(decls), **kwargs).name for decls, kwargs in options]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names if name is not None}
            return func(*args, **build(**given), **kwargs)

        command: Callable[..., Any] = wrapper
        for decls, kwargs in reversed(options):
            command = click.option(*decls, **kwargs)(command)
        return command

    return decorate


def _tuned(name: str, env: str, kind: Any, help: str, hidden: bool = False) -> OptionSpec:
    return (
        (f"--{name.replace('_', '-')}",),
        {
            "type": kind,
            "default": getattr(Tuning, name),
            "show_default": not hidden,
            "envvar": env,
            "show_envvar": not hidden,
            "hidden": hidden,
            "help": help,
        },
    )


CONNECTION_OPTIONS: list[OptionSpec] = [
    (
        ("--host",),
        {
            "envvar": HOST_ENV,
            "show_envvar": True,
            "help": "PostHog base URL [default: https://us.posthog.com].",
        },
    ),
    (
        ("--project",),
        {"envvar": PROJECT_ENV, "show_envvar": True, "help": "Project id (or @current)."},
    ),
    _tuned(
        "timeout",
        "ALERTSYNC_TIMEOUT",
        Seconds(min=0.1),
        "Seconds one request may take in all, from connecting to the last byte of the answer.",
    ),
    _tuned(
        "connect_timeout",
        "ALERTSYNC_CONNECT_TIMEOUT",
        Seconds(min=0.1),
        "Seconds to wait for a connection to PostHog to open.",
    ),
    _tuned(
        "max_retry_time",
        "ALERTSYNC_MAX_RETRY_TIME",
        SECONDS,
        "Seconds to keep retrying one request (network errors, 429, 502/503/504); 0: never retry.",
    ),
    _tuned(
        "rate_limit",
        "ALERTSYNC_RATE_LIMIT",
        click.IntRange(min=0),
        "Requests per minute at most (and 10x that per hour, as PostHog); 0: no limit.",
    ),
    _tuned(
        "concurrency",
        "ALERTSYNC_CONCURRENCY",
        click.IntRange(min=1, max=32),
        "Requests in flight at once (listing pages; changes of one kind during apply). "
        "Pacing by --rate-limit still applies.",
    ),
    _tuned(
        "retry_base_delay",
        "ALERTSYNC_RETRY_BASE_DELAY",
        SECONDS,
        "Seconds before the first retry (it doubles each time, with jitter).",
        hidden=True,
    ),
    (
        ("--debug",),
        {
            "is_flag": True,
            "envvar": "ALERTSYNC_DEBUG",
            "help": "Trace every HTTP request on stderr (the API key shown as [redacted]).",
        },
    ),
    (("--no-color",), {"is_flag": True, "help": "Never colour the output."}),
    (
        ("--quiet", "-q"),
        {"is_flag": True, "help": "No progress line on stderr (shown on a terminal)."},
    ),
]


def _remote(
    host: str | None, project: str | None, debug: bool, no_color: bool, quiet: bool, **tuned: Any
) -> dict[str, Any]:
    from click.core import ParameterSource

    from alertsync.flow import Remote

    ctx = click.get_current_context(silent=True)  # None: called outside a command
    flags = tuple(
        name
        for name in ("host", "project")
        if ctx is not None and ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
    )

    output = Output.make(no_color, quiet)
    trace = (lambda line: output.err(f"debug: {line}")) if debug else None

    def pages(done: int, total: int) -> None:
        output.progress.update("reading live alerts", done, total, "alerts")
        if done >= total:
            output.progress.clear()

    remote = Remote(
        host,
        project,
        os.environ,
        Tuning(**tuned),
        trace,
        pages,
        output.progress.waiting,
        flags=flags,
    )
    return {"remote": remote, "output": output}


connection_options = option_group(CONNECTION_OPTIONS, _remote)

GUARD_OPTIONS: list[OptionSpec] = [
    (
        ("--allow-empty",),
        {
            "is_flag": True,
            "help": "Let files that declare no alert delete every live alert in scope.",
        },
    ),
    (
        ("--max-deletes",),
        {
            "type": click.IntRange(min=0),
            "default": DEFAULT_MAX_DELETES,
            "show_default": True,
            "help": "Refuse a plan that deletes more alerts than this.",
        },
    ),
    (
        ("--allow-mass-delete",),
        {
            "is_flag": True,
            "help": "Allow deleting more than --max-deletes alerts, or more than half of the "
            "live alerts in scope.",
        },
    ),
    (
        ("--delete-duplicates",),
        {
            "is_flag": True,
            "help": "When live alerts share a name and are identical (two applies at once), "
            "plan deleting the newer copies instead of refusing.",
        },
    ),
]


def _guards(
    allow_empty: bool, max_deletes: int, allow_mass_delete: bool, delete_duplicates: bool
) -> dict[str, Any]:
    return {"guards": Guards(allow_empty, max_deletes, allow_mass_delete, delete_duplicates)}


guard_options = option_group(GUARD_OPTIONS, _guards)

ENVIRONMENT_OPTIONS: list[OptionSpec] = [
    (
        ("--config",),
        {
            "type": click.Path(dir_okay=False),
            "envvar": "ALERTSYNC_CONFIG",
            "show_envvar": True,
            "help": "The project file naming the environments [default: alertsync.toml in "
            "this folder or the nearest one above it, up to the repository root].",
        },
    ),
    (
        ("--env", "env_name"),
        {
            "metavar": "NAME",
            "help": "The environment of alertsync.toml to work on (its host, project, key "
            "variable and alert files).",
        },
    ),
]


def _choice(config: str | None, env_name: str | None) -> dict[str, Any]:
    from alertsync.envsetup import Choice

    return {"choice": Choice(config, env_name)}


environment_options = option_group(ENVIRONMENT_OPTIONS, _choice)
