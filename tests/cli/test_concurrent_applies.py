"""Two applies at once (PostHog has no lock): every duplicated name is named with all its ids,
and --delete-duplicates plans deleting the newer identical copies, through the guards."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from alertsync.emulator import Emulator, NoFaults
from alertsync.emulator.wire import Request, Response
from tests.builders import Runner, alert, write

N = 30


class BothListFirst(NoFaults):
    """Holds each of the first two alert listings until both have arrived, so the two runs
    surely plan from the same empty project (as two CI jobs started together would)."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=60)
        self.waited = 0
        self.lock = threading.Lock()

    def before(self, request: Request) -> Response | None:
        listing = request.method == "GET" and request.path.rstrip("/").endswith("/alerts")
        with self.lock:
            hold = listing and self.waited < 2
            self.waited += hold
        if hold:
            self.barrier.wait()
        return None


def concurrent_applies(emu: Emulator, file: Path) -> None:
    env = {
        **os.environ,
        "POSTHOG_HOST": emu.base_url,
        "POSTHOG_PROJECT_ID": str(emu.project_id),
        "POSTHOG_PERSONAL_API_KEY": emu.api_key,
    }
    argv = [sys.executable, "-m", "alertsync", "apply", str(file), "--auto-approve", "-q"]
    runs = [subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL) for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]


def test_two_applies_at_once_then_every_duplicate_is_named_and_can_be_removed(
    tmp_path: Path,
) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert(f"Alert {i:02}") for i in range(N)]})
    with Emulator(fault_policy=BothListFirst()) as emu:
        concurrent_applies(emu, file)
        assert len(emu.alerts()) == 2 * N  # both runs created everything: no lock in PostHog
        run = Runner(emu)

        refused = run("plan", str(file))
        assert refused.exit_code == 1
        for i in range(N):
            ids = sorted(a["id"] for a in emu.alerts() if a["name"] == f"Alert {i:02}")
            assert all(alert_id in refused.stderr for alert_id in ids)
        assert f"{N} name(s) are used by more than one live alert" in refused.stderr
        assert "--delete-duplicates" in refused.stderr

        guarded = run("plan", str(file), "--delete-duplicates")
        assert guarded.exit_code == 1 and "more than --max-deletes 10" in guarded.stderr

        planned = run("plan", str(file), "--delete-duplicates", "--allow-mass-delete")
        assert f"Plan: 0 to create, 0 to update, {N} to delete." in planned.stdout
        assert "a newer identical copy of id" in planned.stdout
        oldest: dict[str, str] = {}
        for a in sorted(emu.alerts(), key=lambda a: a["created_at"]):
            oldest.setdefault(a["name"], a["id"])

        run.emu.clear_requests()
        done = run(
            "apply", str(file), "--delete-duplicates", "--allow-mass-delete", "--auto-approve"
        )
        assert done.exit_code == 0, done.output
        assert {a["name"]: a["id"] for a in emu.alerts()} == oldest  # the oldest copies stay
        assert run("plan", str(file), "--detailed-exitcode").exit_code == 0


def test_copies_that_differ_are_never_deleted(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert("Twin")]})
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    body = {
        "name": "Twin",
        "insight": 101,
        "subscribed_users": [],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 99}}},
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
    }
    httpx.post(
        f"{run.emu.base_url}/api/projects/1/alerts/",
        json=body,
        headers={"Authorization": f"Bearer {run.emu.api_key}"},
    ).raise_for_status()
    result = run("plan", str(file), "--delete-duplicates")
    assert result.exit_code == 1
    assert "Their copies differ, so none is deleted" in result.stderr
