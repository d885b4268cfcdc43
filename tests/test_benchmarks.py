"""The benchmark is a documented command (`python -m benchmarks`, see BENCHMARKS.md), not a
timed test: here it only has to run, at a tiny size, and print every target's figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.measure import Run
from benchmarks.pairs import interleaved, paired
from benchmarks.realistic import critical_path, make_project
from benchmarks.targets import CHECKS

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_at_a_tiny_size_and_prints_every_target(tmp_path: Path) -> None:
    args = ["--quick", "--sizes", "20", "--apply-sizes", "10", "--latency-ms", "0"]
    args += ["--realistic-alerts", "20", "--realistic-latency-ms", "0", "--pairs", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", *args, "--output", str(tmp_path / "B.md")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Targets (median of interleaved pairs)" in done.stdout
    assert len([line for line in done.stdout.splitlines() if " pairs" in line]) >= 4
    all_envs = [line for line in done.stdout.splitlines() if "plan --all-envs" in line]
    assert all_envs and " pairs" in all_envs[0]  # measured in rounds, not "not measured"
    written = (tmp_path / "B.md").read_text()
    assert "benchmarks:begin" in written and "Realistic project" in written
    assert written.count("\n| ") > len(CHECKS)


def test_rounds_interleave_and_ratios_are_taken_within_a_round() -> None:
    order: list[str] = []

    def make(name: str, seconds: list[float]) -> object:
        def action() -> Run:
            order.append(name)
            return Run(wall_s=seconds[len([o for o in order if o == name]) - 1])

        return action

    a = make("a", [2.0, 4.0, 6.0])
    b = make("b", [1.0, 4.0, 2.0])
    runs = interleaved([a, b], 3)  # type: ignore[list-item]
    assert order == ["a", "b", "a", "b", "a", "b"]
    pair = paired(runs[0], runs[1])
    assert pair is not None and pair.ratios == (2.0, 1.0, 3.0)
    assert (pair.median, pair.low, pair.high) == (2.0, 1.0, 3.0)
    assert paired(runs[0], runs[1], fixed=1.0).ratios == (1.0, 0.8, 2.0)  # type: ignore[union-attr]


def test_the_realistic_project_has_the_shape_the_issue_names() -> None:
    project = make_project()
    alerts = [a for doc in project.files.values() for a in doc["alerts"]]
    assert len(alerts) == 300 and project.destinations == 60
    assert len({a["insight"] for a in alerts}) == 40
    assert len({u for a in alerts for u in a["subscribed_users"]}) == 8
    kinds = {a["config"]["type"] for a in alerts}
    assert kinds == {
        "TrendsAlertConfig",
        "HogQLAlertConfig",
        "FunnelsAlertConfig",
        "MetricsAlertConfig",
    }
    channels = {d.get("channel") for a in alerts for d in a.get("destinations", [])}
    assert channels - {None} == {"#growth-alerts", "#eng-alerts", "#general"}
    assert critical_path(project).round_trips == 2
