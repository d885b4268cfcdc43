"""The command line: parses options, calls the flow, prints, exits. The only module that does.

Exit codes, the same for every command: 0 success (or in sync), 1 any error (usage errors
included), 2 changes pending (only `plan --detailed-exitcode`); `apply` interrupted by a
signal exits 128 + its number (130 for Ctrl-C, 143 for SIGTERM). Signal handlers are
installed here, and only while changes are being applied.
"""

from __future__ import annotations

import functools
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

import click

from alertsync import __version__
from alertsync.apply import Result, apply_plan
from alertsync.cli.console import AlertsyncGroup, Output
from alertsync.cli.signals import Interrupted, Stop, signal_name
from alertsync.core.export import DEFAULT_SCHEMA_URL, export_document, export_text
from alertsync.core.live import live_alerts
from alertsync.core.plan import DEFAULT_MAX_DELETES, Guards, Plan, check_deletes
from alertsync.core.staleness import stale_checker
from alertsync.edges.planfile import PlanFileError, SavedPlan, Target, dumps, loads, plan_document
from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.settings import (
    HOST_ENV,
    KEY_ENV,
    PROJECT_ENV,
    Connection,
    Tuning,
    check_host,
    check_project,
    connection,
)
from alertsync.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    AlertsyncError,
    ConfigError,
    MassDeleteRefused,
)
from alertsync.flow import build_plan, check, member_emails
from alertsync.render.annotations import render_github
from alertsync.render.markdown import render_markdown
from alertsync.render.report import (
    render_json_report,
    render_markdown_report,
    render_result,
    render_summary,
)
from alertsync.render.text import render_plan

if TYPE_CHECKING:
    from alertsync.emulator.faults import FaultSpec

FORMATS = click.Choice(["text", "json", "markdown"])


class Seconds(click.FloatRange):
    """A finite number of seconds (click's FloatRange lets `nan` and `inf` through)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return number


SECONDS = Seconds(min=0)


@dataclass(frozen=True)
class Remote:
    """The connection options of a command, as given."""

    host: str | None
    project: str | None
    tuning: Tuning = field(default_factory=Tuning)
    debug: bool = False

    def connect(self) -> Connection:
        return connection(self.host, self.project, os.environ)

    def client(self, conn: Connection, output: Output, stop: Stop | None = None) -> PostHogClient:
        trace = (lambda line: output.err(f"debug: {line}")) if self.debug else None
        if trace is not None:
            t = self.tuning
            trace(
                f"PostHog at {conn.host}, project {conn.project}, key from {KEY_ENV} "
                f"(never shown); timeout {t.timeout:g} s, retry budget {t.max_retry_time:g} s, "
                f"rate limit {t.rate_limit or 'off'}/minute"
            )

        def pages(done: int, total: int) -> None:
            output.progress.update("reading live alerts", done, total, "alerts")
            if done >= total:
                output.progress.clear()

        return PostHogClient(conn, self.tuning, trace=trace, stop=stop, on_page=pages)


def connection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--host, --project, the network tuning and --debug, passed on as one `remote`."""
    options = [
        click.option(
            "--host",
            envvar=HOST_ENV,
            show_envvar=True,
            help="PostHog base URL [default: https://us.posthog.com].",
        ),
        click.option(
            "--project", envvar=PROJECT_ENV, show_envvar=True, help="Project id (or @current)."
        ),
        click.option(
            "--timeout",
            type=Seconds(min=0.1),
            default=Tuning.timeout,
            show_default=True,
            envvar="ALERTSYNC_TIMEOUT",
            show_envvar=True,
            help="Seconds to wait for PostHog to answer a request.",
        ),
        click.option(
            "--connect-timeout",
            type=Seconds(min=0.1),
            default=Tuning.connect_timeout,
            show_default=True,
            envvar="ALERTSYNC_CONNECT_TIMEOUT",
            show_envvar=True,
            help="Seconds to wait for a connection to PostHog to open.",
        ),
        click.option(
            "--max-retry-time",
            type=SECONDS,
            default=Tuning.max_retry_time,
            show_default=True,
            envvar="ALERTSYNC_MAX_RETRY_TIME",
            show_envvar=True,
            help="Seconds to keep retrying one request (network errors, 429, 502/503/504); "
            "0: never retry.",
        ),
        click.option(
            "--rate-limit",
            type=click.IntRange(min=0),
            default=Tuning.rate_limit,
            show_default=True,
            envvar="ALERTSYNC_RATE_LIMIT",
            show_envvar=True,
            help="Requests per minute at most (and 10x that per hour, as PostHog); 0: no limit.",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1, max=32),
            default=Tuning.concurrency,
            show_default=True,
            envvar="ALERTSYNC_CONCURRENCY",
            show_envvar=True,
            help="Requests in flight at once (listing pages; changes of one kind during "
            "apply). Pacing by --rate-limit still applies.",
        ),
        click.option(
            "--retry-base-delay",
            type=SECONDS,
            default=Tuning.retry_base_delay,
            envvar="ALERTSYNC_RETRY_BASE_DELAY",
            hidden=True,
            help="Seconds before the first retry (it doubles each time, with jitter).",
        ),
        click.option(
            "--debug",
            is_flag=True,
            envvar="ALERTSYNC_DEBUG",
            help="Trace every HTTP request on stderr (the API key shown as [redacted]).",
        ),
        click.option("--no-color", is_flag=True, help="Never colour the output."),
        click.option(
            "--quiet", "-q", is_flag=True, help="No progress line on stderr (shown on a terminal)."
        ),
    ]

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        host: str | None,
        project: str | None,
        timeout: float,
        connect_timeout: float,
        max_retry_time: float,
        rate_limit: int,
        concurrency: int,
        retry_base_delay: float,
        debug: bool,
        no_color: bool,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        tuning = Tuning(
            timeout=timeout,
            max_retry_time=max_retry_time,
            retry_base_delay=retry_base_delay,
            rate_limit=rate_limit,
            connect_timeout=connect_timeout,
            concurrency=concurrency,
        )
        remote = Remote(host, project, tuning, debug)
        return func(*args, remote=remote, output=Output.make(no_color, quiet), **kwargs)

    command: Callable[..., Any] = wrapper
    for option in reversed(options):
        command = option(command)
    return command


def guard_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--allow-empty, --max-deletes and --allow-mass-delete, passed on as one `guards`."""
    options = [
        click.option(
            "--allow-empty",
            is_flag=True,
            help="Let files that declare no alert delete every live alert in scope.",
        ),
        click.option(
            "--max-deletes",
            type=click.IntRange(min=0),
            default=DEFAULT_MAX_DELETES,
            show_default=True,
            help="Refuse a plan that deletes more alerts than this.",
        ),
        click.option(
            "--allow-mass-delete",
            is_flag=True,
            help="Allow deleting more than --max-deletes alerts, or more than half of the live "
            "alerts in scope.",
        ),
    ]

    @functools.wraps(func)
    def wrapper(
        *args: Any, allow_empty: bool, max_deletes: int, allow_mass_delete: bool, **kwargs: Any
    ) -> Any:
        return func(*args, guards=Guards(allow_empty, max_deletes, allow_mass_delete), **kwargs)

    command: Callable[..., Any] = wrapper
    for option in reversed(options):
        command = option(command)
    return command


PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path())


@click.group(cls=AlertsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alertsync")
def cli() -> None:
    """Keep PostHog insight alerts as YAML in git, and make a project match them.

    \b
    Typical flow:
      alertsync validate alerts/             # offline checks, file:line:col
      alertsync plan alerts/                 # what would change in PostHog
      alertsync apply alerts/                # make those changes

    Connection: --host / POSTHOG_HOST, --project / POSTHOG_PROJECT_ID, and the key
    from POSTHOG_PERSONAL_API_KEY (never from a flag, never printed).
    """


# -- validate ----------------------------------------------------------------------------


@cli.command()
@PATHS
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: file:line:col lines; github: workflow annotations on the pull request.",
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
    checked = check(paths)
    for problem in checked.problems:
        click.echo(render_github(problem) if fmt == "github" else str(problem))
    files = len(checked.files)
    if checked.problems:
        click.echo(f"{len(checked.problems)} problem(s) in {files} file(s).", err=True)
        return EXIT_ERROR
    click.echo(f"OK: {checked.alert_count} alert(s) in {files} file(s) are valid.")
    return EXIT_OK


# -- plan --------------------------------------------------------------------------------


def compute_plan(
    paths: tuple[str, ...], remote: Remote, guards: Guards, output: Output
) -> tuple[Plan, Target]:
    conn = remote.connect()
    with remote.client(conn, output) as client:
        plan = build_plan(paths, client, guards)
    return plan, Target(conn.host, conn.project)


def guard_deletes(plan: Plan, guards: Guards, fmt: str, output: Output, shown: bool) -> None:
    """Refuse a mass delete; in text mode the plan (every delete first) is shown before."""
    try:
        check_deletes(plan, guards)
    except MassDeleteRefused:
        if fmt == "text" and not shown:
            output.out(render_plan(plan, output.style), nl=False)
        raise


def write_file(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc


def show_plan(plan: Plan, target: Target, fmt: str, output: Output, guards: Guards) -> None:
    if fmt == "json":
        output.out(dumps(plan_document(plan, target, guards)), nl=False)
    elif fmt == "markdown":
        output.out(render_markdown(plan, target), nl=False)
    else:
        output.out(render_plan(plan, output.style), nl=False)


@cli.command()
@PATHS
@connection_options
@guard_options
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when in sync, 2 when changes are pending, 1 on error.",
)
@click.option(
    "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Also save the plan as JSON, for `alertsync apply FILE` (applies exactly it).",
)
def plan(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    output: Output,
    detailed_exitcode: bool,
    fmt: str,
    out: str | None,
) -> int:
    """Show what apply would change in PostHog, without changing anything.

    Reads every page of the project's live alerts, matches them to the files by name,
    and prints - delete (every one first, by name), + create and ~ update (changed
    fields only, old -> new). Refuses (exit 1) a plan built from an inconsistent listing,
    and one that deletes more than --max-deletes alerts or more than half of those in
    scope, unless --allow-mass-delete.

    \b
    Example:
      export POSTHOG_PERSONAL_API_KEY=phx_...  POSTHOG_PROJECT_ID=12345
      alertsync plan alerts/ --detailed-exitcode
      alertsync plan alerts/ --out plan.json --format markdown > plan.md
    """
    the_plan, target = compute_plan(paths, remote, guards, output)
    guard_deletes(the_plan, guards, fmt, output, shown=False)
    if out:
        write_file(out, dumps(plan_document(the_plan, target, guards)))
    show_plan(the_plan, target, fmt, output, guards)
    if detailed_exitcode and not the_plan.empty:
        return EXIT_CHANGES
    return EXIT_OK


# -- apply -------------------------------------------------------------------------------


def saved_plan_path(paths: tuple[str, ...]) -> Path | None:
    """`apply plan.json`: a single argument that is a JSON file is a saved plan."""
    if len(paths) == 1 and paths[0].endswith(".json") and Path(paths[0]).is_file():
        return Path(paths[0])
    return None


def read_saved_plan(path: Path, remote: Remote) -> tuple[SavedPlan, Connection]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: cannot read the plan file ({exc})") from exc
    saved = loads(text, str(path))
    conn = connection(
        remote.host or saved.target.host, remote.project or saved.target.project, os.environ
    )
    wanted = (check_host(saved.target.host), check_project(saved.target.project))
    if (conn.host, conn.project) != wanted:
        raise ConfigError(
            f"{path} was planned for project {saved.target.project} at {saved.target.host}, "
            f"not project {conn.project} at {conn.host}; refusing to apply it here"
        )
    return saved, conn


@cli.command()
@PATHS
@connection_options
@guard_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking for confirmation.")
@click.option(
    "--format", "fmt", type=FORMATS, default="text", show_default=True, help="Report format."
)
def apply(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    output: Output,
    auto_approve: bool,
    fmt: str,
) -> int:
    """Make PostHog match the files: POST creates, PATCH updates, DELETE deletes.

    With alert files: prints the plan, asks for confirmation (type 'yes'), then
    applies creates, updates and deletes in that order and reports each one. Without
    a terminal on stdin, --auto-approve is required.

    With a saved plan (PLAN.json from `plan --out`): applies exactly that plan, no
    prompt; a change whose live alert moved since the plan is refused as stale.

    A failed change does not stop the others (deletes wait for creates and updates to
    succeed); a create whose response was lost is checked, never sent twice. Ctrl-C or
    SIGTERM lets the request in flight finish, skips the rest, reports, and exits 130 or
    143 (a second signal abandons the request in flight).

    \b
    Example:
      alertsync apply alerts/ --auto-approve
      alertsync apply plan.json
    """
    stop = Stop()
    saved_path = saved_plan_path(paths)
    if saved_path is not None:
        results, target = _apply_saved(saved_path, remote, guards, fmt, output, stop)
    else:
        results, target = _apply_files(paths, remote, guards, auto_approve, fmt, output, stop)
    _report(results, target, fmt, output)
    if stop.signum is not None:
        done = sum(1 for r in results if r.outcome == "done")
        output.err(
            f"Error: {stop.reason()}: {done} of {len(results)} change(s) done (see above); "
            "run plan to see what is left."
        )
        return EXIT_SIGNAL_BASE + stop.signum
    return EXIT_OK if all(r.outcome == "done" for r in results) else EXIT_ERROR


def _apply_files(
    paths: tuple[str, ...],
    remote: Remote,
    guards: Guards,
    auto_approve: bool,
    fmt: str,
    output: Output,
    stop: Stop,
) -> tuple[list[Result], Target]:
    conn = remote.connect()
    with remote.client(conn, output, stop) as client:
        the_plan = build_plan(paths, client, guards)
        target = Target(conn.host, conn.project)
        _preview(the_plan, target, fmt, output, prompting=not auto_approve)
        guard_deletes(the_plan, guards, fmt, output, shown=True)
        if the_plan.empty:
            return [], target
        confirm(auto_approve, conn)
        with stop_on_signals(stop):
            results = apply_plan(
                the_plan,
                client,
                _printer(fmt, output, len(the_plan.changes)),
                stop=stop.reason,
                concurrency=client.tuning.concurrency,
            )
        return results, target


def _apply_saved(
    path: Path, remote: Remote, guards: Guards, fmt: str, output: Output, stop: Stop
) -> tuple[list[Result], Target]:
    saved, conn = read_saved_plan(path, remote)
    target = Target(conn.host, conn.project)
    _preview(saved.plan, target, fmt, output, prompting=False)
    approved = Guards(
        saved.guards.allow_empty or guards.allow_empty,
        max(saved.guards.max_deletes, guards.max_deletes),
        saved.guards.allow_mass_delete or guards.allow_mass_delete,
    )
    guard_deletes(saved.plan, approved, fmt, output, shown=True)
    with remote.client(conn, output, stop) as client:
        live, _labels = live_alerts(client.list_alerts())
        checker = stale_checker(saved, live)
        with stop_on_signals(stop):
            results = apply_plan(
                saved.plan,
                client,
                _printer(fmt, output, len(saved.plan.changes)),
                checker,
                stop=stop.reason,
                concurrency=client.tuning.concurrency,
            )
        return results, target


@contextmanager
def stop_on_signals(stop: Stop) -> Iterator[Stop]:
    """While applying: the first SIGINT/SIGTERM asks to stop after the request in flight,
    a second one abandons it. Handlers are restored afterwards (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        again = stop.requested
        stop.request(signum)
        if again:
            raise Interrupted(signum)
        with suppress(Exception):  # never fail inside a signal handler
            click.echo(
                f"\n{signal_name(signum)}: finishing the request in flight, then stopping "
                "(send it again to abandon the request).",
                err=True,
            )

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _preview(plan: Plan, target: Target, fmt: str, output: Output, prompting: bool) -> None:
    """The plan as text: on stdout in text mode, on stderr before a prompt otherwise."""
    if fmt == "text":
        output.out(render_plan(plan, output.style), nl=False)
    elif prompting and not plan.empty:
        output.err(render_plan(plan), nl=False)


def _printer(fmt: str, output: Output, total: int) -> Callable[[Result], None]:
    """Each result as it is known: a line of the text report, and the progress line."""
    seen = 0

    def show(result: Result) -> None:
        nonlocal seen
        seen += 1
        if fmt == "text":
            output.out(render_result(result, output.style))
        output.progress.update("applying", seen, total, "changes")
        if seen == total:
            output.progress.clear()

    if fmt == "text":
        output.out("")
    return show


def _report(results: list[Result], target: Target, fmt: str, output: Output) -> None:
    where = {"host": target.host, "project": target.project}
    if fmt == "json":
        output.out(render_json_report(results, where), nl=False)
    elif fmt == "markdown":
        output.out(render_markdown_report(results, target), nl=False)
    elif results:
        output.out("")
        output.out(render_summary(results))


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty()


def confirm(auto_approve: bool, conn: Connection) -> None:
    if auto_approve:
        return
    if not interactive():
        raise ConfigError(
            "apply needs confirmation, but stdin is not a terminal; "
            "pass --auto-approve to apply without asking (as in CI)"
        )
    answer = click.prompt(
        f"\nApply these changes to project {conn.project} at {conn.host}?\n"
        "  Only 'yes' will be accepted to approve.\n\n  Enter a value",
        default="",
        show_default=False,
        err=True,
    )
    if answer.strip() != "yes":
        raise Cancelled()


class Cancelled(AlertsyncError):
    def __init__(self) -> None:
        super().__init__("apply cancelled; nothing was changed")


# -- export ------------------------------------------------------------------------------


@cli.command()
@connection_options
@click.option(
    "--output",
    "-o",
    "output_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--name-prefix",
    help="Export only alerts whose name starts with this, as a scoped file.",
)
@click.option(
    "--schema-url",
    default=DEFAULT_SCHEMA_URL,
    show_default=True,
    help="Where the file's yaml-language-server comment points (e.g. a path in your repo).",
)
def export(
    remote: Remote,
    output: Output,
    output_file: str | None,
    name_prefix: str | None,
    schema_url: str,
) -> int:
    """Write the project's live alerts as an alerts file, ready to commit.

    Insights appear as short ids and subscribers as emails, defaults and server-owned
    fields are left out, and alerts are sorted by name. A plan of the exported file
    against the same project prints `No changes.`

    \b
    Example:
      alertsync export --output alerts/alerts.yaml
      alertsync plan alerts/        # No changes.
    """
    conn = remote.connect()
    with remote.client(conn, output) as client:
        live, labels = live_alerts(client.list_alerts())
        emails = member_emails(client) if any(a.spec["subscribed_users"] for a in live) else {}
    document = export_document(live, labels, emails, name_prefix or None)
    text = export_text(document, schema_url)
    if output_file:
        write_file(output_file, text)
        click.echo(f"Wrote {len(document['alerts'])} alert(s) to {output_file}.", err=True)
    else:
        click.echo(text, nl=False)
    return EXIT_OK


# -- emulator ----------------------------------------------------------------------------


FAULT_FLAGS = (
    "fault_file",
    "fault_seed",
    "fail_rate",
    "fail_after_commit",
    "drop_after_commit",
    "throttle_burst",
    "burst_length",
    "throttle_wait",
    "jitter_ms",
    "page_faults",
)


def fault_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The fault-injection flags, passed on as one `faults` (a FaultSpec, or None)."""
    rates = "METHOD=RATE"
    options = [
        click.option(
            "--faults",
            "fault_file",
            type=click.Path(exists=True, dir_okay=False),
            help="JSON or YAML fault file: seed, fail_rate, fail_after_commit, "
            "drop_after_commit (METHOD: RATE mappings), throttle_rate, burst_length, "
            "throttle_wait, jitter_ms, page_fault_rate, retry_after, statuses. Flags override it.",
        ),
        click.option("--fault-seed", type=int, help="Seed of the fault decisions [default: 0]."),
        click.option("--fail-rate", multiple=True, metavar=rates, help="5xx instead of answering."),
        click.option(
            "--fail-after-commit",
            multiple=True,
            metavar=rates,
            help="5xx after the request was handled (writes committed).",
        ),
        click.option(
            "--drop-after-commit",
            multiple=True,
            metavar=rates,
            help="Close the connection after the request was handled (the response is lost).",
        ),
        click.option(
            "--throttle-burst",
            type=click.FloatRange(0, 1),
            help="Chance that a request starts a burst of 429s with PostHog's body.",
        ),
        click.option("--burst-length", type=click.IntRange(min=1), help="429s per burst [3]."),
        click.option(
            "--throttle-wait", type=click.IntRange(min=0), help="Seconds the 429s ask for [1]."
        ),
        click.option(
            "--jitter-ms", type=click.IntRange(min=0), help="Random delay up to N ms per answer."
        ),
        click.option(
            "--page-faults",
            type=click.FloatRange(0, 1),
            help="Chance that an alerts listing page is inconsistent or cut short.",
        ),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in FAULT_FLAGS}
        return func(*args, faults=fault_spec(**given), **kwargs)

    command: Callable[..., Any] = wrapper
    for option in reversed(options):
        command = option(command)
    return command


def fault_spec(fault_file: str | None, **flags: Any) -> FaultSpec | None:
    """The FaultSpec the flags describe, or None when they ask for no fault at all."""
    from alertsync.emulator.faults import FaultConfigError, FaultSpec, load_fault_file
    from alertsync.emulator.faults import parse_method_rates as rates

    if fault_file is None and not any(v not in (None, ()) for v in flags.values()):
        return None
    try:
        base = load_fault_file(Path(fault_file)) if fault_file else FaultSpec()
        return base.updated(
            seed=flags["fault_seed"],
            fail_rate=rates(flags["fail_rate"]),
            fail_after_commit=rates(flags["fail_after_commit"]),
            drop_after_commit=rates(flags["drop_after_commit"]),
            throttle_rate=flags["throttle_burst"],
            burst_length=flags["burst_length"],
            throttle_wait=flags["throttle_wait"],
            jitter_ms=flags["jitter_ms"],
            page_fault_rate=flags["page_faults"],
        )
    except FaultConfigError as exc:
        raise click.UsageError(str(exc)) from None


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8010,
    show_default=True,
    help="Port on 127.0.0.1 (0 = any free port).",
)
@click.option(
    "--state",
    type=click.Path(dir_okay=False),
    help="JSON file that keeps the alerts between runs (created if missing).",
)
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON or YAML seed: project, API keys, members, insights (default: built in).",
)
@click.option(
    "--throttle",
    is_flag=True,
    help="Enforce PostHog's rate limits per API key (480/minute, 4800/hour; insights "
    "240/minute, 1200/hour) with its 429 answers.",
)
@click.option(
    "--latency-ms",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Delay every answer by this many milliseconds.",
)
@fault_options
def emulator(
    port: int,
    state: str | None,
    seed: str | None,
    throttle: bool,
    latency_ms: int,
    faults: FaultSpec | None,
) -> int:
    """Run the bundled PostHog alerts API emulator in the foreground on 127.0.0.1.

    It implements the alerts endpoints, the insights lookup by short id and the
    organization members listing, with PostHog's validation rules and error bodies.
    With fault flags it misbehaves on purpose, reproducibly for a given --fault-seed.

    \b
    Example:
      alertsync emulator --port 8010 --state /tmp/alerts-state.json
      alertsync emulator --throttle --fault-seed 7 --fail-rate POST=0.2 \\
          --drop-after-commit POST=0.3 --throttle-burst 0.05 --page-faults 0.1
    """
    from alertsync.emulator import Emulator, FaultPlan

    emu = Emulator(
        seed=Path(seed) if seed else None,
        state_path=Path(state) if state else None,
        port=port,
        latency_ms=latency_ms,
        fault_policy=FaultPlan(faults) if faults is not None else None,
        throttle=throttle,
    )
    emu.start()
    click.echo(f"PostHog alerts emulator listening on {emu.base_url}")
    if faults is not None:
        click.echo(f"Injecting faults: {faults.describe()}", err=True)
    if throttle:
        click.echo("Enforcing PostHog's rate limits (429s).", err=True)
    click.echo("Use it with:")
    click.echo(f"  export {HOST_ENV}={emu.base_url}")
    click.echo(f"  export {PROJECT_ENV}={emu.project_id}")
    click.echo(f"  export {KEY_ENV}={emu.api_key}")
    click.echo("Press Ctrl-C to stop.", err=True)
    sys.stdout.flush()
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return EXIT_OK


def main() -> NoReturn:
    cli.main()
    raise SystemExit(EXIT_OK)  # pragma: no cover - cli.main always exits
