"""The fault suite: the real CLI against an emulator that misbehaves, over many seeds.

Each seed builds a scenario (live alerts, a desired file that creates, updates, keeps and
deletes some of them, and a fault plan: 5xx per method before or after the API handled the
request, dropped connections after commit, 429 bursts, latency, inconsistent or truncated
listing pages). Pages are made small so listings span several pages. After the faulty
`apply`, these invariants must hold:

1. no two live alerts share a name;
2. no alert was deleted that the fault-free plan did not delete, and no alert the plan did
   not touch changed at all;
3. the exit code and the report tell the truth: exit 0 only if the project now matches the
   files; every change reported done is done; every change reported skipped (or "not
   created") was not made; a non-zero exit comes with an error or a change not done;
4. once the faults stop, one more apply exits 0 and the next plan says `No changes.`

`ALERTSYNC_FAULT_SEEDS` sets the number of seeds (default 240).
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator, FaultPlan, FaultSpec
from tests.builders import CliResult, Runner, write

SEEDS = range(int(os.environ.get("ALERTSYNC_FAULT_SEEDS", "240")))
GUARDS = ("--allow-empty", "--allow-mass-delete")
ENV = {
    "ALERTSYNC_RETRY_BASE_DELAY": "0.001",
    "ALERTSYNC_MAX_RETRY_TIME": "20",
    "ALERTSYNC_TIMEOUT": "20",
}
INSIGHTS = ("Ab3dE9fG", "Kx7pQ2mN", "Pq9rS4tU", "Bn5vC8xZ", "Hm2kL5jD")
EMAILS = ("ada@example.com", "grace@example.com", "alan@example.com", "margaret@example.com")
VOLATILE = {"state", "next_check_at", "last_checked_at", "last_notified_at", "checks"}


@dataclass(frozen=True)
class Scenario:
    live: list[dict[str, Any]]
    desired: list[dict[str, Any]]
    faults: FaultSpec


def random_alert(rng: random.Random, name: str) -> dict[str, Any]:
    bound = rng.choice([{"lower": rng.randint(1, 99)}, {"upper": rng.randint(100, 999)}])
    alert: dict[str, Any] = {
        "name": name,
        "insight": rng.choice(INSIGHTS),
        "subscribed_users": rng.sample(EMAILS, rng.randint(0, 2)),
        "threshold": {"configuration": {"type": "absolute", "bounds": bound}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
        "calculation_interval": rng.choice(["hourly", "daily", "weekly"]),
    }
    if rng.random() < 0.3:
        alert["enabled"] = False
    return alert


def mutated(rng: random.Random, alert: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(alert))
    what = rng.choice(["bound", "enabled", "interval", "subscribers"])
    if what == "bound":
        changed["threshold"]["configuration"]["bounds"] = {"lower": rng.randint(1000, 2000)}
    elif what == "enabled":
        changed["enabled"] = not alert.get("enabled", True)
    elif what == "interval":
        changed["calculation_interval"] = "monthly"
    else:
        changed["subscribed_users"] = [e for e in EMAILS if e not in alert["subscribed_users"]]
    return changed


def rates(rng: random.Random, methods: tuple[str, ...], choices: list[float]) -> dict[str, float]:
    return {method: rng.choice(choices) for method in methods}


def fault_spec(rng: random.Random, seed: int) -> FaultSpec:
    if seed % 8 == 0:
        return FaultSpec(seed=seed)  # a clean run now and then: the baseline must hold too
    writes = ("POST", "PATCH", "DELETE")
    return FaultSpec(
        seed=seed,
        fail_rate=rates(rng, ("GET", *writes), [0, 0, 0.05, 0.15, 0.3]),
        fail_after_commit=rates(rng, writes, [0, 0, 0.1, 0.25]),
        drop_after_commit=rates(rng, ("GET", *writes), [0, 0, 0.1, 0.3]),
        throttle_rate=rng.choice([0, 0, 0.05, 0.1]),
        burst_length=rng.randint(1, 3),
        throttle_wait=0,
        jitter_ms=rng.choice([0, 0, 2]),
        page_fault_rate=rng.choice([0, 0, 0, 0.05, 0.15]),
        retry_after=0,
    )


def scenario(seed: int) -> Scenario:
    rng = random.Random(seed)
    live = [random_alert(rng, f"alert {i:02}") for i in range(rng.randint(0, 10))]
    desired: list[dict[str, Any]] = []
    for alert in live:
        roll = rng.random()
        if roll < 0.6:
            desired.append(alert if roll < 0.35 else mutated(rng, alert))
    desired += [random_alert(rng, f"new {j}") for j in range(rng.randint(0, 6))]
    rng.shuffle(desired)
    return Scenario(live, desired, fault_spec(rng, seed))


class Run:
    """One seed: the emulator, the CLI, and what the fault-free plan said."""

    def __init__(self, emu: Emulator, plan: FaultPlan, file: Path) -> None:
        self.emu, self.faults, self.file = emu, plan, file
        self.cli = Runner(emu)
        self.cli.env.update(ENV)

    def __call__(self, *args: str) -> CliResult:
        return self.cli(*args)

    def plan(self) -> dict[str, Any]:
        self.faults.enabled = False
        result = self("plan", str(self.file), "--format", "json", *GUARDS)
        assert result.exit_code == 0, result.output
        document: dict[str, Any] = json.loads(result.stdout)
        return document

    def snapshot(self) -> dict[str, dict[str, Any]]:
        return {
            a["id"]: {k: v for k, v in a.items() if k not in VOLATILE} for a in self.emu.alerts()
        }


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alertsync.edges.posthog.listing.PAGE_SIZE", 3)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seeded_faulty_run_keeps_every_invariant(seed: int, tmp_path: Path) -> None:
    case = scenario(seed)
    faults = FaultPlan(case.faults)
    faults.enabled = False
    with Emulator(fault_policy=faults) as emu:
        run = Run(emu, faults, write(tmp_path / "alerts.yaml", {"alerts": case.desired}))
        if case.live:
            live = write(tmp_path / "live.yaml", {"alerts": case.live})
            assert run("apply", str(live), "--auto-approve", *GUARDS).exit_code == 0
        before = run.snapshot()
        planned = run.plan()

        faults.enabled = True
        result = run("apply", str(run.file), "--auto-approve", "--format", "json", *GUARDS)
        faults.enabled = False

        context = f"seed {seed}: {case.faults.describe()}\n{faults.injected}\n{result.output}"
        check_invariants(run, before, planned, result, context)

        final = run("apply", str(run.file), "--auto-approve", *GUARDS)
        assert final.exit_code == 0, context + final.output
        again = run("plan", str(run.file), "--detailed-exitcode", *GUARDS)
        assert again.exit_code == 0 and "No changes." in again.stdout, context + again.output


def check_invariants(
    run: Run,
    before: dict[str, dict[str, Any]],
    planned: dict[str, Any],
    result: CliResult,
    context: str,
) -> None:
    after = run.snapshot()
    names = Counter(alert["name"] for alert in after.values())
    assert all(n == 1 for n in names.values()), f"duplicate names {names}\n{context}"

    deletes = {c["alert_id"] for c in planned["changes"] if c["action"] == "delete"}
    touched = deletes | {c["alert_id"] for c in planned["changes"] if c["action"] == "update"}
    assert set(before) - set(after) <= deletes, f"unplanned delete\n{context}"
    for alert_id in set(before) - touched:
        assert after.get(alert_id) == before[alert_id], f"untouched {alert_id} changed\n{context}"

    assert "Traceback" not in result.output, context
    assert result.exit_code in (0, 1), context
    pending = {(c["action"], c["name"]) for c in run.plan()["changes"]}
    if result.exit_code == 0:
        assert not pending, f"exit 0 but not in sync: {pending}\n{context}"
    if not result.stdout:
        assert result.exit_code == 1 and "Error:" in result.stderr, context
        return
    results = json.loads(result.stdout)["results"]
    assert len(results) == len(planned["changes"]), context
    if result.exit_code == 1:
        assert any(r["outcome"] != "done" for r in results), context
    live_names = set(names)
    for entry in results:
        check_claim(entry, live_names, set(after), pending, context)


def check_claim(
    entry: dict[str, Any],
    live_names: set[str],
    live_ids: set[str],
    pending: set[tuple[str, str]],
    context: str,
) -> None:
    """What the report says about one change is what happened."""
    action, name, outcome = entry["action"], entry["name"], entry["outcome"]
    message = entry["message"] or ""
    made = {
        "create": name in live_names,
        "delete": entry["alert_id"] not in live_ids,
        "update": ("update", name) not in pending,
    }[action]
    if outcome == "done":
        assert made, f"reported done, not done: {entry}\n{context}"
    if outcome == "skipped" or "so it was not created" in message:
        assert not made, f"reported not made, but made: {entry}\n{context}"
