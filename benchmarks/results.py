"""What a benchmark run produced: the options, the measurements, and look-ups over them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.features import Features
from benchmarks.measure import Run, median_run

# Measurement keys, in the order the tables show them.
VALIDATE = "validate"
PLAN_SAME = "plan_same"
PLAN_CHANGED = "plan_changed"
FLOOR = "floor"
FLOOR_PARALLEL = "floor_parallel"
FLOOR_ONE_PAGE = "floor_one_page"
TERRAFORM = "terraform"
APPLY = "apply"
APPLY_ONE = "apply_one_at_a_time"
POST_LOOP = "post_loop"
# Measured outside the sizes: start-up (size 0), the realistic project (its own size).
STARTUP = "startup"  # `alertsync --version`: interpreter and the CLI's imports
VALIDATE_EXAMPLE = "validate_example"  # `alertsync validate examples/alerts.yaml`
BARE_IMPORT = "bare_import"  # `python -c "import yaml, jsonschema"`
REALISTIC = "plan_realistic"  # no-change plan of the realistic project
REALISTIC_STARTUP = "startup_realistic"  # `alertsync --version`, paired with it
# `plan --all-envs` (issue 13), in interleaved rounds at one size: see
# `benchmarks.environments.in_rounds` and `targets.all_envs`.
ALL_ENVS = "plan_all_envs"  # plan --all-envs over the emulated projects
ONE_ENV_SLOWEST = "plan_one_env_slowest"  # the slowest single-project plan of the round
ORDER = (
    VALIDATE,
    PLAN_SAME,
    PLAN_CHANGED,
    FLOOR,
    FLOOR_PARALLEL,
    FLOOR_ONE_PAGE,
    TERRAFORM,
    APPLY,
    APPLY_ONE,
    POST_LOOP,
)


@dataclass(frozen=True)
class Options:
    sizes: tuple[int, ...]
    apply_sizes: tuple[int, ...]
    throttled_size: int  # 0: skip the throttled apply
    latency_ms: int
    repeat: int
    alerts_per_insight: int
    alerts_per_file: int
    width: int  # concurrency of the parallel floor and the Terraform-style refresh
    profile: bool
    quick: bool
    pairs: int = 5  # interleaved rounds of every figure with a target
    growth_size: int = 20_000  # N of the no-change plan that shows memory growth (0: skip)
    realistic_alerts: int = 300  # alerts of the realistic project (0: skip it)
    realistic_latency_ms: int = 100
    env_projects: int = 5  # projects of `plan --all-envs` (0: skip it)
    env_alerts: int = 200  # live alerts in each


@dataclass(frozen=True)
class Measurement:
    key: str
    size: int
    runs: tuple[Run, ...]
    label: str

    @property
    def run(self) -> Run:
        return median_run(self.runs)

    @property
    def per_alert_ms(self) -> float:
        return self.run.wall_s / max(self.size, 1) * 1000


@dataclass(frozen=True)
class Throttled:
    """The apply against an emulator enforcing PostHog's rate limits."""

    size: int
    run: Run
    refused: int  # 429 responses
    needed: dict[str, int]  # requests per rate-limit scope the job needs
    needed_source: str
    least_s: float


@dataclass(frozen=True)
class Realistic:
    """The realistic project as measured: its shape and its critical path."""

    alerts: int
    destinations: int
    insights: int
    members: int
    latency_ms: int
    round_trips: int  # the least number of sequential round trips of its no-change plan
    why: str
    requests: str  # what the measured plan sent (from the emulator's log)


@dataclass
class Results:
    options: Options
    features: Features
    command: str
    started: str
    machine: list[tuple[str, str]]
    measurements: list[Measurement] = field(default_factory=list)
    throttled: Throttled | None = None
    startup: Run | None = None  # `alertsync --version`: interpreter start and imports
    realistic: Realistic | None = None
    throttled_note: str = ""
    profile: str = ""
    finished: str = ""
    duration_s: float = 0.0

    def get(self, key: str, size: int) -> Measurement | None:
        return next((m for m in self.measurements if m.key == key and m.size == size), None)

    def sizes(self) -> list[int]:
        """The N of the per-size measurements (validate, plans, baselines, applies)."""
        return sorted({m.size for m in self.measurements if m.key in ORDER})

    def wall(self, key: str, size: int) -> float | None:
        found = self.get(key, size)
        return None if found is None else found.run.wall_s


def requests_summary(stats: dict[str, Any]) -> str:
    """``1101 (GET 1101)`` from the emulator's stats."""
    if not stats:
        return ""
    methods = stats.get("methods", {})
    parts = " ".join(f"{method} {count}" for method, count in sorted(methods.items()))
    refused = stats.get("statuses", {}).get("429")
    return f"{stats.get('requests', 0)} ({parts}{f', 429: {refused}' if refused else ''})"
