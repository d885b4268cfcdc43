"""The issues' targets, each read off the results: met, missed (and by how much), or not run.

Every target that compares two measurements reads them as interleaved pairs (see
`benchmarks.pairs`): the figure is the median of the per-round ratios, shown with their
spread. A target stated at N = 10,000 (or 1,000) is read at that N; when a run did not
include it (`--quick`), the largest N measured stands in and the verdict says so.

Issue 15 (performance, round two) first, then the targets of the first round, which must
stay met.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from benchmarks.pairs import Metric, Paired, cpu, paired, wall
from benchmarks.results import (
    ALL_ENVS,
    APPLY,
    APPLY_ONE,
    BARE_IMPORT,
    FLOOR,
    FLOOR_PARALLEL,
    ONE_ENV_SLOWEST,
    PLAN_CHANGED,
    PLAN_SAME,
    POST_LOOP,
    REALISTIC,
    REALISTIC_STARTUP,
    STARTUP,
    VALIDATE,
    VALIDATE_EXAMPLE,
    Results,
)

PLAN_N, APPLY_N, LATENCY_MS, GROWTH_FROM = 10_000, 1_000, 20, 1_000
VALIDATE_RATIO = 1.2  # validate's CPU against a bare `import yaml, jsonschema`
REALISTIC_RATIO = 1.3  # realistic no-change plan against its critical path
PARALLEL_FLOOR_RATIO = 2.0  # no-change plan against the ten-wide floor
CHANGED_RATIO = 1.3  # every alert changed against no change
PEAK_MB_NOW = 150.0
GROWTH_MB_PER_1K = 10.0
ALL_ENVS_RATIO = 1.3
# The first round's targets.
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
    ratio: str = ""  # the figure: a median ratio, or a value
    limit: str = ""  # the target it is held to
    spread: str = ""  # of the pairs the ratio is the median of


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


def _verdict(target: str, measured: str, ok: bool, miss: str, **figure: str) -> Verdict:
    return Verdict(target, measured, "met" if ok else "missed", "" if ok else miss, **figure)


def _pair(
    results: Results, a: str, b: str, size: int, metric: Metric = wall, fixed: float = 0.0
) -> Paired | None:
    found_a, found_b = results.get(a, size), results.get(b, size)
    if found_a is None or found_b is None:
        return None
    return paired(found_a.runs, found_b.runs, metric, fixed)


def _ratio_verdict(target: str, pair: Paired, limit: float, what: str, at_most: bool) -> Verdict:
    ratio = pair.median
    ok = ratio <= limit if at_most else ratio >= limit
    sign = "<=" if at_most else ">="
    miss = f"{ratio:.2f} x, {abs(ratio / limit - 1) * 100:.0f}% {'over' if at_most else 'short'}"
    return _verdict(
        target,
        f"{ratio:.2f} x ({what})",
        ok,
        miss,
        ratio=f"{ratio:.2f} x",
        limit=f"{sign} {limit:g} x",
        spread=pair.spread(),
    )


# -- issue 15 ----------------------------------------------------------------------------


def validate_startup(results: Results) -> Verdict:
    target = f"validate examples/alerts.yaml: CPU <= {VALIDATE_RATIO} x a bare import"
    pair = _pair(results, VALIDATE_EXAMPLE, BARE_IMPORT, 0, cpu)
    if pair is None:
        return Verdict(target, "", "not measured")
    what = f"{pair.a:.3f} s vs {pair.b:.3f} s of CPU for `python -c 'import yaml, jsonschema'`"
    return _ratio_verdict(target, pair, VALIDATE_RATIO, what, at_most=True)


def realistic(results: Results) -> Verdict:
    target = f"realistic project, no-change plan: <= {REALISTIC_RATIO} x its critical path"
    info = results.realistic
    if info is None:
        return Verdict(target, "", "not measured")
    fixed = info.round_trips * info.latency_ms / 1000
    pair = _pair(results, REALISTIC, REALISTIC_STARTUP, info.alerts, wall, fixed)
    if pair is None:
        return Verdict(target, "", "not measured")
    what = (
        f"{pair.a:.3f} s vs critical path {pair.b:.3f} s = {info.round_trips} round trips x "
        f"{info.latency_ms} ms + start-up {pair.b - fixed:.3f} s"
    )
    return _ratio_verdict(target, pair, REALISTIC_RATIO, what, at_most=True)


def plan_vs_parallel_floor(results: Results) -> Verdict:
    target = f"plan, no changes, N=10,000: <= {PARALLEL_FLOOR_RATIO} x the ten-wide floor"
    return _ratio_at_plan_n(results, target, PLAN_SAME, FLOOR_PARALLEL, PARALLEL_FLOOR_RATIO)


def changed_vs_same(results: Results) -> Verdict:
    target = f"plan, every alert changed, N=10,000: <= {CHANGED_RATIO} x the no-change plan"
    return _ratio_at_plan_n(results, target, PLAN_CHANGED, PLAN_SAME, CHANGED_RATIO)


def _ratio_at_plan_n(
    results: Results, target: str, measured: str, partner: str, ratio: float
) -> Verdict:
    """`measured` over `partner`, paired in the same rounds at the plan's N, held to at
    most `ratio`."""
    size, note = _at(results, PLAN_N, measured)
    pair = _pair(results, measured, partner, size) if size else None
    if pair is None:
        return Verdict(target, "", "not measured")
    what = f"{pair.a:.2f} s vs {pair.b:.2f} s{note}"
    return _ratio_verdict(target, pair, ratio, what, at_most=True)


def _peak(results: Results, size: int, keys: tuple[str, ...]) -> tuple[float, str] | None:
    """The largest median peak of `keys` at `size`, and its label."""
    runs = [results.get(key, size) for key in keys]
    peaks = [(m.run.peak_mb, m.label) for m in runs if m and m.run.peak_mb]
    return max(((p, label) for p, label in peaks if p is not None), default=None)


def _peaks_spread(results: Results, size: int, key: str) -> str:
    found = results.get(key, size)
    peaks = [r.peak_mb for r in found.runs if r.peak_mb] if found else []
    return f"{min(peaks):.0f}-{max(peaks):.0f} MB over {len(peaks)} runs" if peaks else ""


def peak_now(results: Results) -> Verdict:
    target = f"peak memory of the plan, N=10,000: < {PEAK_MB_NOW:g} MB"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    found = _peak(results, size, (PLAN_SAME, PLAN_CHANGED)) if size else None
    if found is None or size is None:
        return Verdict(target, "", "not measured")
    peak, label = found
    key = PLAN_SAME if label.startswith("plan, no") else PLAN_CHANGED
    return _verdict(
        target,
        f"{peak:.0f} MB ({label}){note}",
        peak < PEAK_MB_NOW,
        f"{peak - PEAK_MB_NOW:.0f} MB over",
        ratio=f"{peak:.0f} MB",
        limit=f"< {PEAK_MB_NOW:g} MB",
        spread=_peaks_spread(results, size, key),
    )


def memory_growth(results: Results) -> Verdict:
    top = results.options.growth_size
    upto = f"N=1,000 to {top:,}" if top else "N=1,000 and up"
    target = f"peak memory growth, {upto}: <= {GROWTH_MB_PER_1K:g} MB per 1,000"
    sizes = [s for s in results.sizes() if results.get(PLAN_SAME, s) is not None]
    low = GROWTH_FROM if GROWTH_FROM in sizes else min(sizes, default=0)
    high = max(sizes, default=0)
    small, large = results.get(PLAN_SAME, low), results.get(PLAN_SAME, high)
    if small is None or large is None or high <= low:
        return Verdict(target, "needs two sizes or more", "not measured")
    a, b = small.run.peak_mb or 0.0, large.run.peak_mb or 0.0
    per_1k = (b - a) / (high - low) * 1000
    steps = [
        f"{results.get(PLAN_SAME, s).run.peak_mb or 0:.0f} MB at {s:,}"  # type: ignore[union-attr]
        for s in sizes
    ]
    return _verdict(
        target,
        f"{per_1k:.1f} MB per 1,000 ({', '.join(steps)}; no-change plan)",
        per_1k <= GROWTH_MB_PER_1K,
        f"{per_1k - GROWTH_MB_PER_1K:.1f} MB per 1,000 over",
        ratio=f"{per_1k:.1f} MB/1k",
        limit=f"<= {GROWTH_MB_PER_1K:g} MB/1k",
        spread=_peaks_spread(results, high, PLAN_SAME),
    )


def all_envs(results: Results) -> Verdict:
    """Issue 13 measures this: `plan --all-envs` against the slowest one-project plan of
    the same round (keys ALL_ENVS and ONE_ENV_SLOWEST, at any one size)."""
    target = (
        f"plan --all-envs, five projects of 200 alerts: <= {ALL_ENVS_RATIO} x the slowest "
        "single-project plan"
    )
    sizes = sorted({m.size for m in results.measurements if m.key == ALL_ENVS})
    pair = _pair(results, ALL_ENVS, ONE_ENV_SLOWEST, sizes[-1]) if sizes else None
    if pair is None:
        return Verdict(target, "added with `plan --all-envs` (issue 13)", "not measured")
    what = f"{pair.a:.2f} s vs {pair.b:.2f} s"
    return _ratio_verdict(target, pair, ALL_ENVS_RATIO, what, at_most=True)


# -- the first round, still held ---------------------------------------------------------


def plan_vs_floor(results: Results) -> Verdict:
    target = f"plan, no changes, N=10,000: <= {PLAN_FLOOR_RATIO} x the floor"
    return _ratio_at_plan_n(results, target, PLAN_SAME, FLOOR, PLAN_FLOOR_RATIO)


def local_cpu(results: Results) -> Verdict:
    """The plan process's CPU time less start-up (interpreter and imports, measured alone).

    What is left is the work the plan does itself: load, validate, normalise, diff, render,
    and the CPU side of its HTTP client (parsing the pages): network waits are not CPU.
    """
    target = f"local work of that plan: < {LOCAL_CPU_S:g} s of CPU"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    found, startup = results.get(PLAN_SAME, size or 0), results.get(STARTUP, 0)
    if found is None or not found.runs[0].cpu_s:
        return Verdict(target, "", "not measured")
    total = statistics.median(cpu(run) for run in found.runs)
    base = statistics.median(cpu(run) for run in startup.runs) if startup else 0.0
    local = total - base
    measured = f"{local:.2f} s = {total:.2f} s CPU of the plan process - {base:.2f} s start-up"
    return _verdict(
        target,
        measured + note,
        local < LOCAL_CPU_S,
        f"{local - LOCAL_CPU_S:.2f} s over",
        ratio=f"{local:.2f} s",
        limit=f"< {LOCAL_CPU_S:g} s",
    )


def apply_speedup(results: Results) -> Verdict:
    target = f"apply of 1,000 creates: >= {APPLY_SPEEDUP:g} x faster than one request at a time"
    size, note = _at(results, APPLY_N, APPLY)
    key = APPLY_ONE if size and results.get(APPLY_ONE, size) else POST_LOOP
    pair = _pair(results, key, APPLY, size) if size else None
    if pair is None:
        return Verdict(target, "", "not measured")
    what = "apply --concurrency 1" if key == APPLY_ONE else "a bare loop of POSTs"
    measured = f"{pair.b:.2f} s vs {pair.a:.2f} s for {what}{note}"
    return _ratio_verdict(target, pair, APPLY_SPEEDUP, measured, at_most=False)


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
    figure = {"ratio": f"{ratio:.2f} x", "limit": f"<= {THROTTLED_RATIO} x, 0 x 429"}
    return _verdict(target, measured, ok, miss, **figure, spread="1 run (a limit, not load)")


def peak_memory(results: Results) -> Verdict:
    target = f"peak memory, N=10,000: < {PEAK_MB:g} MB"
    size, note = _at(results, PLAN_N, PLAN_SAME)
    found = _peak(results, size, (VALIDATE, PLAN_SAME, PLAN_CHANGED, APPLY)) if size else None
    if found is None:
        return Verdict(target, "", "not measured")
    peak, label = found
    measured = f"{peak:.0f} MB ({label}){note}"
    figure = {"ratio": f"{peak:.0f} MB", "limit": f"< {PEAK_MB:g} MB"}
    return _verdict(target, measured, peak < PEAK_MB, f"{peak - PEAK_MB:.0f} MB over", **figure)


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
    figure = {"ratio": f"{ratio:.2f} x", "limit": f"<= {LINEAR_SLACK} x"}
    miss = f"{ratio:.2f} x > {LINEAR_SLACK} x"
    return _verdict(target, measured, ratio <= LINEAR_SLACK, miss, **figure)


CHECKS: tuple[Callable[[Results], Verdict], ...] = (
    validate_startup,
    realistic,
    plan_vs_parallel_floor,
    changed_vs_same,
    peak_now,
    memory_growth,
    all_envs,
    plan_vs_floor,
    local_cpu,
    apply_speedup,
    throttled,
    peak_memory,
    linear,
)


def verdicts(results: Results) -> list[Verdict]:
    return [check(results) for check in CHECKS]
