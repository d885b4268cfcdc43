"""The issue's targets, each read off the results: met, missed (and by how much), or not run.

A target stated at N = 10,000 (or 1,000) is read at that N; when a run did not include it
(``--quick``), the largest N measured stands in and the verdict says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from benchmarks.results import (
    APPLY,
    APPLY_ONE,
    FLOOR,
    PLAN_CHANGED,
    PLAN_SAME,
    POST_LOOP,
    VALIDATE,
    Results,
)

PLAN_N, APPLY_N, LATENCY_MS = 10_000, 1_000, 20
PLAN_FLOOR_RATIO = 1.3
LOCAL_CPU_S = 2.0
APPLY_SPEEDUP = 6.0
THROTTLED_RATIO = 1.25
PEAK_MB = 300.0
LINEAR_SLACK = 1.25  # per-alert time may grow this much from one N to the next


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    status: str  # "met", "missed" or "not measured"
    detail: str = ""


def _at(results: Results, wanted: int, key: str) -> tuple[int | None, str]:
    """The N to read a target at, and a note when it is a stand-in or off-latency."""
    sizes = [s for s in results.sizes() if results.get(key, s) is not None]
    if not sizes:
        return None, ""
    size = wanted if wanted in sizes else max(sizes)
    notes = [] if size == wanted else [f"N={size:,} stands in for N={wanted:,}"]
    if results.options.latency_ms != LATENCY_MS:
        notes.append(f"at {results.options.latency_ms} ms, not {LATENCY_MS} ms")
    return size, f" ({'; '.join(notes)})" if notes else ""


def _verdict(target: str, measured: str, ok: bool, miss: str) -> Verdict:
    return Verdict(target, measured, "met" if ok else "missed", "" if ok else miss)


def plan_vs_floor(results: Results) -> Verdict:
    target = f"plan, no changes, N=10,000: <= {PLAN_FLOOR_RATIO} x the floor"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    plan = results.wall(PLAN_SAME, size) if size else None
    floor = results.wall(FLOOR, size) if size else None
    if not plan or not floor:
        return Verdict(target, "", "not measured")
    ratio = plan / floor
    measured = f"{ratio:.2f} x ({plan:.2f} s vs {floor:.2f} s){note}"
    over = plan - PLAN_FLOOR_RATIO * floor
    return _verdict(target, measured, ratio <= PLAN_FLOOR_RATIO, f"{over:.2f} s too slow")


def local_cpu(results: Results) -> Verdict:
    """The plan process's CPU time less start-up (interpreter and imports, measured alone).

    What is left is the work the plan does itself: load, validate, normalise, diff, render,
    and the CPU side of its HTTP client (parsing the pages): network waits are not CPU.
    """
    target = f"local work of that plan: < {LOCAL_CPU_S:g} s of CPU"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    found = results.get(PLAN_SAME, size) if size else None
    if found is None or found.run.cpu_s is None:
        return Verdict(target, "", "not measured")
    total = found.run.cpu_s
    startup = results.startup.cpu_s if results.startup and results.startup.cpu_s else 0.0
    cpu = total - startup
    measured = (
        f"{cpu:.2f} s = {total:.2f} s CPU of the plan process - {startup:.2f} s start-up{note}"
    )
    return _verdict(target, measured, cpu < LOCAL_CPU_S, f"{cpu - LOCAL_CPU_S:.2f} s over")


def apply_speedup(results: Results) -> Verdict:
    target = f"apply of 1,000 creates: >= {APPLY_SPEEDUP:g} x faster than one request at a time"
    size, note = _at(results, APPLY_N, APPLY)
    apply = results.wall(APPLY, size) if size else None
    key = APPLY_ONE if size and results.get(APPLY_ONE, size) else POST_LOOP
    base = results.wall(key, size) if size else None
    if not size or not apply or not base:
        return Verdict(target, "", "not measured")
    speedup = base / apply
    what = "apply --concurrency 1" if key == APPLY_ONE else "a bare loop of POSTs"
    measured = f"{speedup:.2f} x ({apply:.2f} s vs {base:.2f} s for {what}){note}"
    return _verdict(target, measured, speedup >= APPLY_SPEEDUP, f"{speedup:.2f} x < 6 x")


def throttled(results: Results) -> Verdict:
    target = (
        "apply of 1,000 creates under 480/min + 4,800/h: no 429, "
        f"<= {THROTTLED_RATIO} x the least the limits allow"
    )
    found = results.throttled
    if found is None:
        return Verdict(target, results.throttled_note, "not measured")
    ratio = found.run.wall_s / found.least_s
    note = "" if found.size == APPLY_N else f" (N={found.size:,} stands in for N={APPLY_N:,})"
    measured = (
        f"{found.refused} x 429, {found.run.wall_s:.1f} s = {ratio:.2f} x the least "
        f"({found.least_s:.1f} s), exit {found.run.exit_code}{note}"
    )
    ok = found.refused == 0 and ratio <= THROTTLED_RATIO and found.run.exit_code == 0
    miss = f"{found.refused} x 429" if found.refused else f"{ratio:.2f} x > {THROTTLED_RATIO} x"
    return _verdict(target, measured, ok, miss)


def peak_memory(results: Results) -> Verdict:
    target = f"peak memory, N=10,000: < {PEAK_MB:g} MB"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    keys = (VALIDATE, PLAN_SAME, PLAN_CHANGED, APPLY) if size else ()
    runs = [results.get(key, size or 0) for key in keys]
    peaks = [(m.run.peak_mb, m.label) for m in runs if m and m.run.peak_mb]
    if not peaks:
        return Verdict(target, "", "not measured")
    peak, label = max(peaks)
    measured = f"{peak:.0f} MB ({label}){note}"
    return _verdict(target, measured, peak < PEAK_MB, f"{peak - PEAK_MB:.0f} MB over")


def growth(results: Results, key: str) -> tuple[float, str] | None:
    """The largest step-to-step growth of the per-alert time of ``key`` across N."""
    found = [m for m in (results.get(key, s) for s in results.sizes()) if m is not None]
    steps = [
        (b.per_alert_ms / a.per_alert_ms, f"{a.label}, N={a.size:,} -> {b.size:,}")
        for a, b in pairwise(found)
    ]
    return max(steps, default=None)


def linear(results: Results) -> Verdict:
    target = f"cost linear in N: per-alert time grows <= {LINEAR_SLACK} x from one N to the next"
    steps = [growth(results, key) for key in (VALIDATE, PLAN_SAME, PLAN_CHANGED, APPLY)]
    found = [step for step in steps if step is not None]
    if not found:
        return Verdict(target, "needs two sizes or more", "not measured")
    ratio, where = max(found)
    measured = f"worst step {ratio:.2f} x ({where})"
    return _verdict(target, measured, ratio <= LINEAR_SLACK, f"{ratio:.2f} x > {LINEAR_SLACK} x")


CHECKS: tuple[Callable[[Results], Verdict], ...] = (
    plan_vs_floor,
    local_cpu,
    apply_speedup,
    throttled,
    peak_memory,
    linear,
)


def verdicts(results: Results) -> list[Verdict]:
    return [check(results) for check in CHECKS]
