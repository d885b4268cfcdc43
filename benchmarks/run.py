"""``python -m benchmarks``: the whole benchmark in one command (see BENCHMARKS.md).

    python -m benchmarks                              # N = 100, 1,000, 10,000 at 20 ms
    python -m benchmarks --quick                      # smoke run: N = 100 at 2 ms
    python -m benchmarks --output BENCHMARKS.md       # also write the results block there
    python -m benchmarks --sizes 1000 --latency-ms 50 --markdown
    python -m benchmarks.environments                 # only plan --all-envs, 11 pairs

Progress goes to stderr; the tables to stdout (plain text, or markdown with --markdown).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from benchmarks import environments, features, machine
from benchmarks.document import results_block, write_block
from benchmarks.report import text_report
from benchmarks.results import Options, Results
from benchmarks.scenarios import BenchmarkError, log, run_benchmarks

T = TypeVar("T")


@dataclass(frozen=True)
class Defaults:
    sizes: tuple[int, ...]
    apply_sizes: tuple[int, ...]
    throttled_size: int
    latency_ms: int
    repeat: int
    pairs: int
    growth_size: int
    realistic_alerts: int
    realistic_latency_ms: int
    env_projects: int
    env_alerts: int


FULL = Defaults((100, 1_000, 10_000), (100, 1_000), 1_000, 20, 3, 5, 20_000, 300, 100, 5, 200)
QUICK = Defaults((100,), (100,), 0, 2, 1, 1, 0, 30, 2, 2, 20)


def sizes(text: str) -> tuple[int, ...]:
    """``100,1000,10_000`` → (100, 1000, 10000); empty → ()."""
    try:
        values = tuple(int(part) for part in text.replace("_", "").split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected numbers like 100,1000") from None
    if any(value <= 0 for value in values):
        raise argparse.ArgumentTypeError(f"{text!r}: sizes must be positive")
    return values


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark alertsync validate / plan / apply against the emulator, "
        "beside the network floor and a Terraform-style refresh.",
    )
    add = p.add_argument
    add("--quick", action="store_true", help="smoke run: N=100, 2 ms, one repeat, no throttle")
    add("--sizes", type=sizes, help="N for validate and plan (default 100,1000,10000)")
    add("--apply-sizes", type=sizes, help="N for apply of N creates (default 100,1000)")
    add("--throttled-size", type=int, help="N for the rate-limited apply (default 1000, 0: skip)")
    add("--latency-ms", type=int, help="emulator latency per request (default 20)")
    add("--repeat", type=int, help="runs of a measurement without a target (default 3)")
    add("--pairs", type=int, help="interleaved rounds of every figure with a target (5)")
    add("--growth-size", type=int, help="N of the plan showing memory growth (20000, 0: skip)")
    add("--realistic-alerts", type=int, help="alerts of the realistic project (300, 0: skip)")
    add("--realistic-latency-ms", type=int, help="its emulated latency (default 100)")
    add("--env-projects", type=int, help="projects of plan --all-envs (default 5, 0: skip)")
    add("--env-alerts", type=int, help="live alerts in each of them (default 200)")
    add("--alerts-per-insight", type=int, default=10, help="default 10")
    add("--alerts-per-file", type=int, default=100, help="default 100")
    add("--width", type=int, default=10, help="concurrency of the concurrent baselines (10)")
    add("--profile", action="store_true", help="cProfile the no-change plan at the largest N")
    add("--markdown", action="store_true", help="print markdown instead of text tables")
    add("--output", type=Path, help="write the results block into this file (BENCHMARKS.md)")
    add("--keep", type=Path, help="keep the generated files in this folder")
    add("--label", default="", help="a note recorded with the results (e.g. what code ran)")
    return p


def _or(value: T | None, default: T) -> T:
    return default if value is None else value


def options(args: argparse.Namespace) -> Options:
    defaults = QUICK if args.quick else FULL
    return Options(
        sizes=_or(args.sizes, defaults.sizes),
        apply_sizes=_or(args.apply_sizes, defaults.apply_sizes),
        throttled_size=_or(args.throttled_size, defaults.throttled_size),
        latency_ms=_or(args.latency_ms, defaults.latency_ms),
        repeat=max(1, _or(args.repeat, defaults.repeat)),
        alerts_per_insight=max(1, args.alerts_per_insight),
        alerts_per_file=max(1, args.alerts_per_file),
        width=max(1, args.width),
        profile=args.profile,
        quick=args.quick,
        pairs=max(1, _or(args.pairs, defaults.pairs)),
        growth_size=max(0, _or(args.growth_size, defaults.growth_size)),
        realistic_alerts=max(0, _or(args.realistic_alerts, defaults.realistic_alerts)),
        realistic_latency_ms=max(0, _or(args.realistic_latency_ms, defaults.realistic_latency_ms)),
        env_projects=max(0, _or(args.env_projects, defaults.env_projects)),
        env_alerts=max(0, _or(args.env_alerts, defaults.env_alerts)),
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    described = machine.describe() + ([("Label", args.label)] if args.label else [])
    results = Results(options(args), features.detect(), command, now, described)
    log(f"alertsync benchmarks: {command}")
    start = time.perf_counter()
    try:
        run_benchmarks(results, args.keep, [environments.in_rounds])
    except BenchmarkError as error:
        log(f"benchmark failed: {error}")
        return 1
    results.duration_s = time.perf_counter() - start
    results.machine.append(("Load average at end", machine.load_average()))
    block = results_block(results)
    sys.stdout.write(block if args.markdown else text_report(results))
    if args.output:
        write_block(args.output, block)
        log(f"wrote the results into {args.output}")
    return 0
