"""`alertsync emulator`: the emulator in the foreground, with its fault flags.

Every fault flag is declared once, in `FAULT_FLAGS`: its name, type and help, and the
`FaultSpec` field it sets. The options and their translation into a spec both come from
that list.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from alertsync.emulator.faults import FaultSpec

RATES = "METHOD=RATE"


@dataclass(frozen=True)
class FaultFlag:
    flag: str  # the command-line flag
    field: str  # the FaultSpec field it sets
    kind: Any  # click type; None for a repeatable METHOD=RATE flag
    help: str

    @property
    def name(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")


FAULT_FLAGS = (
    FaultFlag("--fault-seed", "seed", int, "Seed of the fault decisions [default: 0]."),
    FaultFlag("--fail-rate", "fail_rate", None, "5xx instead of answering."),
    FaultFlag(
        "--fail-after-commit",
        "fail_after_commit",
        None,
        "5xx after the request was handled (writes committed).",
    ),
    FaultFlag(
        "--drop-after-commit",
        "drop_after_commit",
        None,
        "Close the connection after the request was handled (the response is lost).",
    ),
    FaultFlag(
        "--throttle-burst",
        "throttle_rate",
        click.FloatRange(0, 1),
        "Chance that a request starts a burst of 429s with PostHog's body.",
    ),
    FaultFlag("--burst-length", "burst_length", click.IntRange(min=1), "429s per burst [3]."),
    FaultFlag(
        "--throttle-wait", "throttle_wait", click.IntRange(min=0), "Seconds the 429s ask for [1]."
    ),
    FaultFlag(
        "--jitter-ms", "jitter_ms", click.IntRange(min=0), "Random delay up to N ms per answer."
    ),
    FaultFlag(
        "--page-faults",
        "page_fault_rate",
        click.FloatRange(0, 1),
        "Chance that an alerts listing page is inconsistent or cut short.",
    ),
)


def _option(flag: FaultFlag) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if flag.kind is None:
        return click.option(flag.flag, multiple=True, metavar=RATES, help=flag.help)
    return click.option(flag.flag, type=flag.kind, help=flag.help)


def fault_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The fault file and every fault flag, passed on as one `faults` (a FaultSpec, or None)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {flag.name: kwargs.pop(flag.name) for flag in FAULT_FLAGS}
        return func(*args, faults=fault_spec(kwargs.pop("fault_file"), **given), **kwargs)

    command: Callable[..., Any] = wrapper
    for flag in reversed(FAULT_FLAGS):
        command = _option(flag)(command)
    return click.option(
        "--faults",
        "fault_file",
        type=click.Path(exists=True, dir_okay=False),
        help="JSON or YAML fault file: seed, fail_rate, fail_after_commit, "
        "drop_after_commit (METHOD: RATE mappings), throttle_rate, burst_length, "
        "throttle_wait, jitter_ms, page_fault_rate, retry_after, statuses. Flags override it.",
    )(command)


def fault_spec(fault_file: str | None, **flags: Any) -> FaultSpec | None:
    """The FaultSpec the flags describe, or None when they ask for no fault at all."""
    from alertsync.emulator.faults import FaultConfigError, FaultSpec, load_fault_file
    from alertsync.emulator.faults import parse_method_rates as rates

    if fault_file is None and not any(v not in (None, ()) for v in flags.values()):
        return None
    try:
        base = load_fault_file(Path(fault_file)) if fault_file else FaultSpec()
        return base.updated(
            **{
                flag.field: rates(flags[flag.name]) if flag.kind is None else flags[flag.name]
                for flag in FAULT_FLAGS
            }
        )
    except FaultConfigError as exc:
        raise click.UsageError(str(exc)) from None


@click.command()
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
    help="JSON or YAML seed: project, timezone, plan and flags, API keys, members, insights, "
    "alerts, integrations, features (default: built in).",
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
@click.option(
    "--pid-file",
    type=click.Path(dir_okay=False),
    help="Write the emulator's process id to this file (removed when it stops), to stop "
    'exactly this emulator: kill "$(cat FILE)".',
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False),
    help="Once it is listening, write its base URL to this file (removed when it stops): "
    "wait for the file instead of sleeping.",
)
@click.option(
    "--detach",
    is_flag=True,
    help="Run in the background: return once it is listening, printing its base URL on "
    "stdout (exit 1, with its error, when it cannot start). POSIX only.",
)
@click.option(
    "--log",
    type=click.Path(dir_okay=False),
    help="With --detach: append the emulator's output to this file [default: discard it].",
)
@fault_options
def emulator(
    port: int,
    state: str | None,
    seed: str | None,
    throttle: bool,
    latency_ms: int,
    pid_file: str | None,
    ready_file: str | None,
    detach: bool,
    log: str | None,
    faults: FaultSpec | None,
) -> int:
    """Run the bundled PostHog alerts API emulator on 127.0.0.1 (--detach: in the background).

    It implements the alerts endpoints (list filters, check history, simulate), alert
    destinations (hog functions, Slack integrations and channels, test delivery), the
    insights lookup by short id and the organization members listing, with PostHog's
    validation rules and error bodies.
    With fault flags it misbehaves on purpose, reproducibly for a given --fault-seed.

    \b
    Example:
      alertsync emulator --port 8010 --state /tmp/alerts-state.json
      alertsync emulator --port 0 --pid-file emu.pid --ready-file emu.ready &
      POSTHOG_HOST="$(alertsync emulator --port 0 --detach --pid-file emu.pid)"
      alertsync emulator --throttle --fault-seed 7 --fail-rate POST=0.2 \\
          --drop-after-commit POST=0.3 --throttle-burst 0.05 --page-faults 0.1
    """
    from alertsync.emulator import Emulator, FaultPlan, SeedError, StateFileError
    from alertsync.emulator.detach import Detached, detach_now

    if log is not None and not detach:
        raise click.UsageError("--log goes with --detach (in the foreground, redirect instead)")
    detached: Detached | None = detach_now(log) if detach else None
    signal_files = [Path(f) for f in (pid_file, ready_file) if f]
    _remove(signal_files)  # a file left by an earlier run must not pass for this one
    try:
        emu = Emulator(
            seed=Path(seed) if seed else None,
            state_path=Path(state) if state else None,
            port=port,
            latency_ms=latency_ms,
            fault_policy=FaultPlan(faults) if faults is not None else None,
            throttle=throttle,
        )
        emu.start()
    except SeedError as exc:
        text = str(exc)
        where = "" if not seed or text.startswith(seed) else f"{seed}: "
        raise click.ClickException(where + text) from None
    except StateFileError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (another emulator? "
            "choose another --port, or --port 0 for any free one)"
        ) from None
    click.echo(f"PostHog alerts emulator listening on {emu.base_url}")
    if faults is not None:
        click.echo(f"Injecting faults: {faults.describe()}", err=True)
    if throttle:
        click.echo("Enforcing PostHog's rate limits (429s).", err=True)
    click.echo("Use it with:")
    click.echo(f"  export POSTHOG_HOST={emu.base_url}")
    click.echo(f"  export POSTHOG_PROJECT_ID={emu.project_id}")
    click.echo(f"  export POSTHOG_PERSONAL_API_KEY={emu.api_key}")
    stop = f'kill "$(cat {pid_file})"' if pid_file else f"kill {os.getpid()}"
    click.echo(f"Stop it with: {stop}" if detached else "Press Ctrl-C to stop.", err=True)
    sys.stdout.flush()
    previous = signal.signal(signal.SIGTERM, _interrupt)  # kill PID: stop cleanly too
    try:
        if pid_file:
            _write_atomically(Path(pid_file), f"{os.getpid()}\n")
        if ready_file:  # last: whoever waits for it may start at once
            _write_atomically(Path(ready_file), f"{emu.base_url}\n")
        if detached is not None:
            detached.listening(emu.base_url)
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        emu.stop()
        _remove(signal_files)
    return 0


def _remove(files: list[Path]) -> None:
    """The pid and ready files describe a running emulator: none before, none after."""
    for file in files:
        file.unlink(missing_ok=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _write_atomically(path: Path, text: str) -> None:
    """Whoever polls for `path` sees it whole or not at all."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
