"""The measurements of one run: start-up, per size N the CLI commands and the baselines
beside them, memory growth, a realistic project, the applies.

Every CLI command runs as its own ``python -m alertsync`` process against an emulator that
runs in another process. Each apply gets a fresh emulator, so it starts from an empty
project; the read-only measurements at one N share one emulator seeded with N live alerts.
Everything a target compares is measured in interleaved rounds (`benchmarks.pairs`): one
run of each command per round, `--pairs` rounds.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from benchmarks import baselines
from benchmarks.emulator_process import THROTTLED_STATUS, EmulatorProcess, Endpoint
from benchmarks.features import RATE_LIMIT_FLAG
from benchmarks.limits import least_time
from benchmarks.measure import (
    Run,
    alertsync_argv,
    cli_env,
    median_run,
    python_argv,
    run_measured,
    spread,
    timed,
)
from benchmarks.pairs import interleaved
from benchmarks.profiling import profile_plan
from benchmarks.realistic import EXAMPLE, critical_path, make_project
from benchmarks.results import (
    APPLY,
    APPLY_ONE,
    BARE_IMPORT,
    FLOOR,
    FLOOR_ONE_PAGE,
    FLOOR_PARALLEL,
    PLAN_CHANGED,
    PLAN_SAME,
    POST_LOOP,
    REALISTIC,
    REALISTIC_STARTUP,
    STARTUP,
    TERRAFORM,
    VALIDATE,
    VALIDATE_EXAMPLE,
    Measurement,
    Realistic,
    Results,
    Throttled,
    requests_summary,
)
from benchmarks.workload import Workload, make_workload, seed_for, write_yaml_files

EXIT_OK, EXIT_CHANGES = 0, 2
OFFLINE = Endpoint("http://127.0.0.1:9", 1, "unused")  # validate sends nothing
BARE = ("-c", "import yaml, jsonschema")  # the start-up `validate` is compared with
Action = Callable[[], Run]
Scenario = Callable[["Bench"], None]  # records its measurements (`Bench.rounds`)


class BenchmarkError(RuntimeError):
    """A measured command did not do what it should; its timing would mean nothing."""


@dataclass(frozen=True)
class Prepared:
    workload: Workload
    same: Path  # YAML files matching the seeded alerts
    changed: Path  # the same alerts, every one with a changed threshold bound


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Bench:
    def __init__(self, results: Results, folder: Path, extra: Sequence[Scenario] = ()) -> None:
        self.results = results
        self.extra = extra  # scenarios of other modules, run after the realistic project
        self.options = results.options
        self.folder = folder
        self._prepared: dict[int, Prepared] = {}

    # -- set-up ------------------------------------------------------------------------

    def prepare(self, size: int) -> Prepared:
        if size not in self._prepared:
            self._prepared[size] = self._generate(size)
        return self._prepared[size]

    def _generate(self, size: int) -> Prepared:
        per_insight, per_file = self.options.alerts_per_insight, self.options.alerts_per_file
        workload = make_workload(size, per_insight)
        changed = make_workload(size, per_insight, shift=1.0)
        base = self.folder / f"n{size}"
        return Prepared(
            workload,
            write_yaml_files(workload.items, base / "same", per_file),
            write_yaml_files(changed.items, base / "changed", per_file),
        )

    def emulator(self, size: int, live: bool, throttle: bool = False) -> EmulatorProcess:
        seed = seed_for(self.prepare(size).workload, live)
        return EmulatorProcess(seed, self.options.latency_ms, throttle)

    # -- measuring ---------------------------------------------------------------------

    def record(self, key: str, size: int, label: str, runs: list[Run]) -> Measurement:
        measurement = Measurement(key, size, tuple(runs), label)
        self.results.measurements.append(measurement)
        run = measurement.run
        extra = f" cpu {run.cpu_s:.2f} s, peak {run.peak_mb:.0f} MB" if run.cpu_s else ""
        log(f"  N={size:<6} {label:<44} {run.wall_s:8.3f} s{extra}  {spread(runs)}")
        return measurement

    def repeated(self, action: Callable[[], Run]) -> list[Run]:
        return [action() for _ in range(max(1, self.options.repeat))]

    def rounds(self, size: int, actions: list[tuple[str, str, Action]]) -> None:
        """Every action once per round, `--pairs` rounds; recorded in round order."""
        runs = interleaved([action for _, _, action in actions], self.options.pairs)
        for (key, label, _), found in zip(actions, runs, strict=True):
            self.record(key, size, label, found)

    def cli(
        self,
        emu: EmulatorProcess | None,
        args: list[str],
        expect: int | None,
        extra_env: dict[str, str] | None = None,
    ) -> Run:
        """``alertsync ARGS`` against ``emu`` (``None``: offline, for validate)."""
        endpoint = emu.endpoint if emu is not None else OFFLINE
        env = cli_env(endpoint.base_url, endpoint.project_id, endpoint.api_key)
        env.update(extra_env or {})
        if emu is not None:
            emu.reset()
        run = run_measured(alertsync_argv(*args), env)
        if emu is not None:
            run = replace(run, requests=emu.stats())
        if expect is not None and run.exit_code != expect:
            raise BenchmarkError(
                f"`alertsync {' '.join(args)}` exited {run.exit_code}, expected {expect}:\n"
                f"{run.stderr[-3000:]}{run.stdout[-2000:]}"
            )
        return run

    def loop(self, emu: EmulatorProcess, action: Callable[[], object]) -> Run:
        emu.reset()
        return replace(timed(action), requests=emu.stats())

    # -- scenarios ---------------------------------------------------------------------

    def run_all(self) -> None:
        self.startup()
        for size in self.options.sizes:
            log(f"N={size}: validate, plan and baselines, {self.options.pairs} rounds")
            self.read_only(size)
        if self.options.growth_size:
            self.growth(self.options.growth_size)
        if self.options.realistic_alerts:
            self.realistic(self.options.realistic_alerts)
        for scenario in self.extra:
            scenario(self)
        for size in self.options.apply_sizes:
            log(f"N={size}: apply of {size} creates")
            self.applies(size)
        if self.options.throttled_size:
            self.throttled(self.options.throttled_size)
        else:
            self.results.throttled_note = "skipped (--throttled-size 0, or --quick)"

    def startup(self) -> None:
        """`alertsync --version`, `validate` of the example and a bare `import yaml,
        jsonschema`, in rounds (CPU is what the start-up target compares)."""
        self.cli(None, ["--version"], EXIT_OK)  # untimed: fills the bytecode cache
        env = cli_env(OFFLINE.base_url, OFFLINE.project_id, OFFLINE.api_key)
        example = ["validate", str(EXAMPLE)]
        pairs = self.options.pairs if self.options.quick else max(self.options.pairs, 7)
        runs = interleaved(
            [
                lambda: self.cli(None, ["--version"], EXIT_OK),
                lambda: self.cli(None, example, EXIT_OK),
                lambda: run_measured(python_argv(*BARE), env),
            ],
            pairs,
        )
        labels = (
            "alertsync --version",
            "validate examples/alerts.yaml",
            "python -c 'import yaml, jsonschema'",
        )
        for key, label, found in zip(
            (STARTUP, VALIDATE_EXAMPLE, BARE_IMPORT), labels, runs, strict=True
        ):
            self.record(key, 0, label, found)
        self.results.startup = median_run(runs[0])
        log(f"startup (alertsync --version): {self.results.startup.wall_s:.3f} s")

    def read_only(self, size: int) -> None:
        prepared = self.prepare(size)
        same, changed = str(prepared.same), str(prepared.changed)
        with self.emulator(size, live=True) as emu:
            page, width, endpoint = (
                self.results.features.page_size,
                self.options.width,
                emu.endpoint,
            )
            self.rounds(
                size,
                [
                    (VALIDATE, "validate", lambda: self.cli(None, ["validate", same], EXIT_OK)),
                    (PLAN_SAME, "plan, no changes", partial(self.plan_same, emu, same)),
                    (PLAN_CHANGED, "plan, every alert changed",
                     partial(self.plan_changed, emu, changed, size)),
                    (FLOOR, f"floor: bare loop, {page} per page",
                     self.looped(emu, baselines.floor, endpoint, page)),
                    (FLOOR_PARALLEL, f"floor: {page} per page, {width} pages at a time",
                     self.looped(emu, baselines.floor_parallel, endpoint, page, width)),
                    (FLOOR_ONE_PAGE, "floor: one page of every alert",
                     self.looped(emu, baselines.floor_one_page, endpoint, size)),
                ],
            )  # fmt: skip
            ids = baselines.alert_ids(endpoint, size)
            terraform = self.looped(emu, baselines.terraform_refresh, endpoint, ids, width)
            label = f"Terraform-style refresh: GET per alert, {width} at a time"
            self.record(TERRAFORM, size, label, self.repeated(terraform))
            if self.options.profile and size == max(self.options.sizes):
                log(f"  N={size:<6} profiling plan (no changes) with cProfile")
                self.results.profile = profile_plan(emu, same, self.folder / "plan.prof")

    def plan_same(self, emu: EmulatorProcess, same: str) -> Run:
        return self.cli(emu, ["plan", same, "--detailed-exitcode"], EXIT_OK)

    def plan_changed(self, emu: EmulatorProcess, changed: str, size: int) -> Run:
        run = self.cli(emu, ["plan", changed, "--detailed-exitcode"], EXIT_CHANGES)
        if f"0 to create, {size} to update, 0 to delete" not in run.stdout:
            raise BenchmarkError(f"the plan is not {size} updates:\n{run.stdout[-500:]}")
        return run

    def looped(self, emu: EmulatorProcess, loop: Callable[..., object], *args: object) -> Action:
        return partial(self.loop, emu, partial(loop, *args))

    def growth(self, size: int) -> None:
        """A no-change plan at a large N alone: how peak memory grows (no ratio is taken
        from it, so it needs no partner; memory does not depend on the machine's load)."""
        log(f"N={size}: plan, no changes (memory growth)")
        same = str(self.prepare(size).same)
        with self.emulator(size, live=True) as emu:
            runs = self.repeated(partial(self.plan_same, emu, same))
        self.record(PLAN_SAME, size, "plan, no changes", runs)

    def realistic(self, alerts: int) -> None:
        """The realistic project at its latency: set up by one untimed apply, then its
        no-change plan and `alertsync --version` in rounds."""
        project = make_project(alerts)
        folder = str(project.write(self.folder / "realistic"))
        latency = self.options.realistic_latency_ms
        log(
            f"realistic project: {alerts} alerts, {project.destinations} destinations, {latency} ms"
        )
        with EmulatorProcess(project.seed, latency) as emu:
            made = self.cli(
                emu, ["apply", folder, "--auto-approve", *self.unpaced()], EXIT_OK, project.env
            )
            if made.requests.get("alerts") != alerts:
                raise BenchmarkError(f"the set-up apply left {made.requests.get('alerts')} alerts")
            plan = partial(
                self.cli, emu, ["plan", folder, "--detailed-exitcode"], EXIT_OK, project.env
            )
            self.rounds(
                alerts,
                [
                    (REALISTIC, "plan, no changes (realistic project)", plan),
                    (REALISTIC_STARTUP, "alertsync --version", self.version),
                ],
            )  # fmt: skip
        path = critical_path(project)
        sent = requests_summary(median_run(self.results_of(REALISTIC, alerts)).requests)
        self.results.realistic = Realistic(
            alerts,
            project.destinations,
            project.insights,
            project.members,
            latency,
            path.round_trips,
            path.why,
            sent,
        )

    def version(self) -> Run:
        return self.cli(None, ["--version"], EXIT_OK)

    def results_of(self, key: str, size: int) -> tuple[Run, ...]:
        found = self.results.get(key, size)
        return found.runs if found is not None else ()

    def applies(self, size: int) -> None:
        same = str(self.prepare(size).same)
        unpaced = self.unpaced()
        self.record(APPLY, size, "apply, N creates", [self.apply_once(size, same, unpaced)])
        if self.results.features.concurrency_flag:
            one = self.apply_once(size, same, [*unpaced, "--concurrency", "1"])
            self.record(APPLY_ONE, size, "apply --concurrency 1", [one])
        with self.emulator(size, live=False) as emu:
            bodies = self.prepare(size).workload.bodies
            run = self.loop(emu, lambda: baselines.sequential_creates(emu.endpoint, bodies))
        self.record(POST_LOOP, size, "one POST at a time: bare loop", [run])

    def unpaced(self) -> list[str]:
        """The emulator's rate limit is off, so the client's own pacing is too (if it has one)."""
        return [RATE_LIMIT_FLAG, "0"] if self.results.features.rate_limit_flag else []

    def apply_once(self, size: int, same: str, extra: list[str]) -> Run:
        with self.emulator(size, live=False) as emu:
            run = self.cli(emu, ["apply", same, "--auto-approve", *extra], EXIT_OK)
        if run.requests.get("alerts") != size:
            raise BenchmarkError(f"apply left {run.requests.get('alerts')} alerts, not {size}")
        return run

    def throttled(self, size: int) -> None:
        if not self.results.features.throttle:
            self.results.throttled_note = (
                "not available: this emulator has no `throttle` option (PostHog's rate limits)"
            )
            log(f"N={size}: throttled apply skipped ({self.results.throttled_note})")
            return
        log(f"N={size}: apply of {size} creates under PostHog's rate limits (minutes)")
        same = str(self.prepare(size).same)
        with self.emulator(size, live=False, throttle=True) as emu:
            run = self.cli(emu, ["apply", same, "--auto-approve"], None)
        self.results.throttled = self.throttled_result(size, run)
        log(f"  N={size:<6} throttled apply {run.wall_s:8.3f} s, exit {run.exit_code}")

    def throttled_result(self, size: int, run: Run) -> Throttled:
        refused = int(run.requests.get("statuses", {}).get(str(THROTTLED_STATUS), 0))
        unthrottled = self.results.get(APPLY, size)
        if unthrottled is not None:
            needed = dict(unthrottled.run.requests.get("counted", {}))
            source = f"the requests of the unthrottled apply of {size} creates"
        else:
            needed = dict(run.requests.get("counted", {}))
            source = "the requests the throttled apply made (not refused)"
        least = least_time(needed, self.options.latency_ms / 1000)
        return Throttled(size, run, refused, needed, source, least)


def run_benchmarks(results: Results, keep: Path | None, extra: Sequence[Scenario] = ()) -> None:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        Bench(results, keep, extra).run_all()
        return
    with tempfile.TemporaryDirectory(prefix="alertsync-bench-") as folder:
        Bench(results, Path(folder), extra).run_all()
