"""Measuring in interleaved rounds, and ratios from pairs taken at the same moment.

On a shared machine the load changes while a benchmark runs. Timing A for a while and then
B for a while compares A under one load with B under another: a ratio of those can miss a
target that paired runs minutes later meet. So every figure with a target is measured in
rounds (A, B, A, B, …, or a round of several commands), and its ratio is taken within each
round, A_i / B_i: the figure is the median of those ratios, with their spread (lowest and
highest) beside it. A quiet moment shows as a narrow spread, a noisy one as a wide one.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.measure import Run

Metric = Callable[[Run], float]


def wall(run: Run) -> float:
    return run.wall_s


def cpu(run: Run) -> float:
    return run.cpu_s or 0.0


def interleaved(actions: Sequence[Callable[[], Run]], rounds: int) -> list[list[Run]]:
    """Run every action once per round, in order, `rounds` times: the runs of each action,
    in round order (so `runs[a][i]` and `runs[b][i]` were taken side by side)."""
    runs: list[list[Run]] = [[] for _ in actions]
    for _ in range(max(1, rounds)):
        for index, action in enumerate(actions):
            runs[index].append(action())
    return runs


@dataclass(frozen=True)
class Paired:
    """The ratio of A to B (B plus a fixed part, e.g. round trips times latency), per round."""

    ratios: tuple[float, ...]
    a: float  # median of A
    b: float  # median of B, with the fixed part

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def low(self) -> float:
        return min(self.ratios)

    @property
    def high(self) -> float:
        return max(self.ratios)

    def spread(self) -> str:
        n = len(self.ratios)
        if n < 2:
            return "1 pair (no spread)"
        return f"{self.low:.2f}-{self.high:.2f} x over {n} pairs"


def paired(
    a: Sequence[Run], b: Sequence[Run], metric: Metric = wall, fixed: float = 0.0
) -> Paired | None:
    """A_i / (B_i + fixed) for the rounds both have; None when there is none."""
    pairs = [(metric(x), metric(y) + fixed) for x, y in zip(a, b, strict=False)]
    pairs = [(x, y) for x, y in pairs if y > 0]
    if not pairs:
        return None
    return Paired(
        tuple(x / y for x, y in pairs),
        statistics.median(x for x, _ in pairs),
        statistics.median(y for _, y in pairs),
    )
