"""The CLI under network and API faults: retries, lost responses, inconsistent listings,
partial failures, deletion guards, timeouts, interrupts."""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from alertsync.cli.signals import Stop
from alertsync.emulator import CutBody, Emulator, FaultPlan, FaultSpec
from alertsync.emulator.faults import Outcome
from alertsync.emulator.wire import Request, Response
from tests.builders import (
    REAL_TIME_REFUSED,
    TRENDS,
    Runner,
    alert,
    live_names,
    load,
    runner,
    without_real_time,
    write,
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(TRENDS, tmp_path / "alerts.yaml"))


@pytest.fixture
def names(example: Path) -> list[str]:
    return sorted(a["name"] for a in load(example)["alerts"])


@pytest.mark.parametrize("kind", ["count", "truncate", "duplicate"])
def test_an_inconsistent_listing_plans_nothing(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("alertsync.emulator.faults.PAGE_FAULTS", (kind,))
    plan = FaultPlan(FaultSpec(page_fault_rate=1.0))
    plan.enabled = False
    with Emulator(fault_policy=plan) as emu:
        run = runner(emu)
        live = write(tmp_path / "live.yaml", {"alerts": [alert(f"a{i}") for i in range(5)]})
        assert run("apply", str(live), "--auto-approve").exit_code == 0
        other = write(tmp_path / "other.yaml", {"alerts": [alert("a0"), alert("new")]})
        plan.enabled = True
        emu.clear_requests()
        for command in (("plan",), ("apply", "--auto-approve", "--allow-mass-delete")):
            result = run(*command, str(other))
            assert result.exit_code == 1, result.output
            assert "the listing is inconsistent" in result.stderr
            assert "Nothing was planned" in result.stderr
            assert result.stdout == "" and "Traceback" not in result.output
        assert [r.method for r in emu.requests if r.method != "GET"] == []
        assert len(emu.alerts()) == 5


class CutFirstPage:
    """Cuts the body of the first alerts listing page on the wire."""

    def __init__(self) -> None:
        self.cut = False

    def before(self, request: Request) -> Response | None:
        return None

    def after(self, request: Request, response: Response) -> Outcome:
        if not self.cut and request.method == "GET" and request.path.endswith("/alerts/"):
            self.cut = True
            return CutBody(response, len(response.body) // 2)
        return response


def test_a_page_cut_on_the_wire_is_fetched_again(example: Path) -> None:
    with Emulator(fault_policy=CutFirstPage()) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve")
        assert result.exit_code == 0, result.output
        listings = [r for r in emu.requests if r.path.endswith("/alerts/") and r.method == "GET"]
        assert len(listings) == 2


def test_without_retry_budget_one_failure_is_final(example: Path) -> None:
    plan = FaultPlan(FaultSpec(fail_rate={"GET": 1.0}, statuses=(502,)))
    with Emulator(fault_policy=plan) as emu:
        run = runner(emu)
        result = run("plan", str(example), "--max-retry-time", "0")
        assert result.exit_code == 1
        assert "PostHog answered 502" in result.stderr
        assert "gave up after 1 attempt(s)" in result.stderr
        assert len(emu.requests) == 1
        emu.clear_requests()
        result = run("plan", str(example), "--max-retry-time", "0.2")
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "gave up after" in result.stderr and len(emu.requests) > 1


def test_throttled_requests_are_waited_out(example: Path, names: list[str]) -> None:
    spec = FaultSpec(seed=5, throttle_rate=0.3, burst_length=2, throttle_wait=0)
    with Emulator(fault_policy=FaultPlan(spec)) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve")
        assert result.exit_code == 0, result.output
        assert live_names(emu) == names
        assert any(r.status == 429 for r in emu.requests)


class Slow:
    """Delays the first request matching `method` by `seconds`, before or after handling."""

    def __init__(self, method: str, when: str, seconds: float) -> None:
        self.method, self.when, self.seconds = method, when, seconds
        self.done = False

    def _delay(self, request: Request, when: str) -> None:
        if request.method == self.method and self.when == when and not self.done:
            self.done = True
            time.sleep(self.seconds)

    def before(self, request: Request) -> Response | None:
        self._delay(request, "before")
        return None

    def after(self, request: Request, response: Response) -> Outcome:
        self._delay(request, "after")
        return response


def test_a_read_that_times_out_is_retried(example: Path) -> None:
    with Emulator(fault_policy=Slow("GET", "before", 1.0)) as emu:
        run = runner(emu)
        result = run("plan", str(example), "--timeout", "0.25")
        assert result.exit_code == 0, result.output


def test_a_create_that_times_out_after_commit_is_recovered(example: Path, names: list[str]) -> None:
    with Emulator(fault_policy=Slow("POST", "after", 1.0)) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve", "--timeout", "0.25")
        assert result.exit_code == 0, result.output
        assert "recovered after a lost response" in result.stdout
        assert live_names(emu) == names
        assert Counter(live_names(emu)).most_common(1)[0][1] == 1


def test_partial_failure_reports_every_change_and_a_rerun_converges(tmp_path: Path) -> None:
    with Emulator(seed=without_real_time()) as emu:
        partial_failure_then_rerun(Runner(emu), tmp_path)


def partial_failure_then_rerun(run: Runner, tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.yaml",
        {"alerts": [alert("Keep"), alert("Old"), alert("Another"), alert("Third")]},
    )
    assert run("apply", str(first), "--auto-approve").exit_code == 0
    bad = alert("Bad", calculation_interval="real_time")  # refused by PostHog at apply
    changed = [alert("Keep", enabled=False), alert("Another"), alert("Third"), bad, alert("Good")]
    file = write(tmp_path / "a.yaml", {"alerts": changed})
    result = run("apply", str(file), "--auto-approve", "--format", "json")
    assert result.exit_code == 1
    report = {(r["action"], r["name"]): r for r in json.loads(result.stdout)["results"]}
    assert report[("create", "Bad")]["outcome"] == "failed"
    assert REAL_TIME_REFUSED in report[("create", "Bad")]["message"]
    assert report[("create", "Good")]["outcome"] == "done"
    assert report[("update", "Keep")]["outcome"] == "done"
    assert report[("delete", "Old")]["outcome"] == "skipped"
    assert len(report) == 4

    fixed = write(tmp_path / "a.yaml", {"alerts": [*changed[:3], alert("Bad"), alert("Good")]})
    run.emu.clear_requests()
    again = run("apply", str(fixed), "--auto-approve")
    assert again.exit_code == 0, again.output
    assert sorted(m for m, _p, _b in run.writes()) == ["DELETE", "POST"]
    assert "No changes." in run("plan", str(fixed)).stdout


def many(tmp_path: Path, run: Runner, live: int, kept: int) -> Path:
    everything = write(tmp_path / "all.yaml", {"alerts": [alert(f"a{i:02}") for i in range(live)]})
    assert run("apply", str(everything), "--auto-approve").exit_code == 0
    return write(tmp_path / "kept.yaml", {"alerts": [alert(f"a{i:02}") for i in range(kept)]})


def test_more_than_max_deletes_is_refused_and_every_delete_listed_first(
    run: Runner, tmp_path: Path
) -> None:
    kept = many(tmp_path, run, live=30, kept=18)
    run.emu.clear_requests()
    for command in ("plan", "apply"):
        result = run(command, str(kept), "--auto-approve" if command == "apply" else "--no-color")
        assert result.exit_code == 1, result.output
        assert "deletes 12 alert(s), more than --max-deletes 10" in result.stderr
        assert all(f"'a{i:02}'" in result.stderr for i in range(18, 30))
        lines = [line for line in result.stdout.splitlines() if line.startswith("  - delete")]
        assert len(lines) == 12
        first_change = next(
            line for line in result.stdout.splitlines() if line[:4] in ("  - ", "  + ", "  ~ ")
        )
        assert first_change.startswith("  - delete 'a18'")
    assert run.writes() == []
    assert run("plan", str(kept), "--max-deletes", "12").exit_code == 0
    allowed = run("apply", str(kept), "--auto-approve", "--allow-mass-delete")
    assert allowed.exit_code == 0, allowed.output
    assert len(run.emu.alerts()) == 18


def test_more_than_half_is_refused(run: Runner, tmp_path: Path) -> None:
    kept = many(tmp_path, run, live=4, kept=1)
    result = run("apply", str(kept), "--auto-approve")
    assert result.exit_code == 1
    assert "more than half of the 4 live alert(s) in scope" in result.stderr
    assert len(run.emu.alerts()) == 4
    out = tmp_path / "plan.json"
    assert run("plan", str(kept), "--out", str(out)).exit_code == 1
    assert not out.exists()  # a refused plan is not saved
    assert run("plan", str(kept), "--allow-mass-delete", "--out", str(out)).exit_code == 0
    # The saved plan carries the approval it was made with; apply checks its deletes again.
    document = json.loads(out.read_text())
    assert document["guards"]["allow_mass_delete"] is True
    document["guards"]["allow_mass_delete"] = False
    out.write_text(json.dumps(document))
    assert run("apply", str(out)).exit_code == 1
    assert run("apply", str(out), "--allow-mass-delete").exit_code == 0
    assert len(run.emu.alerts()) == 1


def test_debug_traces_every_request(run: Runner, example: Path) -> None:
    result = run("apply", str(example), "--auto-approve", "--debug")
    assert result.exit_code == 0
    assert "debug: GET http://127.0.0.1:" in result.stderr
    assert "debug: POST http://127.0.0.1:" in result.stderr
    assert "authorization: Bearer [redacted]" in result.stderr
    assert "-> 201 Created in" in result.stderr
    assert run.emu.api_key not in result.output


# -- interrupts ----------------------------------------------------------------------------


class AckStop(Stop):
    """The CLI's Stop, telling the test when a signal was handled."""

    handled = threading.Event()

    def request(self, signum: int) -> None:
        super().request(signum)
        AckStop.handled.set()


class Signals:
    """Sends signals to this process while the n-th POST is being handled: `before` the API
    sees it (it then completes), or `after` the API committed it (and the client gives up)."""

    def __init__(self, n: int, when: str, signals: tuple[int, ...]) -> None:
        self.n, self.when, self.signals = n, when, signals
        self.count = 0

    def _maybe(self, request: Request, when: str) -> None:
        if request.method != "POST" or when != self.when:
            return
        self.count += 1
        if self.count != self.n:
            return
        for index, signum in enumerate(self.signals):
            AckStop.handled.clear()
            os.kill(os.getpid(), signum)
            if index < len(self.signals) - 1:
                assert AckStop.handled.wait(10), "the first signal was not handled"

    def before(self, request: Request) -> Response | None:
        self._maybe(request, "before")
        return None

    def after(self, request: Request, response: Response) -> Outcome:
        self._maybe(request, "after")
        return response


@pytest.fixture
def ack_stop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers can only be installed in the main thread")
    monkeypatch.setattr("alertsync.cli.apply.Stop", AckStop)
    yield


def outcomes(stdout: str) -> list[str]:
    return [r["outcome"] for r in json.loads(stdout)["results"]]


@pytest.mark.usefixtures("ack_stop")
def test_sigterm_finishes_the_request_in_flight_and_skips_the_rest(
    example: Path, names: list[str]
) -> None:
    with Emulator(fault_policy=Signals(2, "before", (signal.SIGTERM,))) as emu:
        run = runner(emu)
        result = run(
            "apply", str(example), "--auto-approve", "--format", "json", "--concurrency", "1"
        )
        assert result.exit_code == 143, result.output
        assert outcomes(result.stdout) == ["done", "done"] + ["skipped"] * (len(names) - 2)
        assert "not attempted: interrupted by SIGTERM" in result.stdout
        assert "Error: interrupted by SIGTERM: 2 of 6 change(s) done" in result.stderr
        assert len(emu.alerts()) == 2
        emu.fault_policy.n = 0  # type: ignore[attr-defined]
        plan = run("plan", str(example))
        assert f"Plan: {len(names) - 2} to create, 0 to update, 0 to delete." in plan.stdout
        assert run("apply", str(example), "--auto-approve").exit_code == 0
        assert live_names(emu) == names


@pytest.mark.usefixtures("ack_stop")
def test_sigterm_during_a_concurrent_apply_reports_the_truth(
    example: Path, names: list[str]
) -> None:
    # Answers take 50 ms, so the signal is handled before any worker picks a next change.
    with Emulator(fault_policy=Signals(2, "before", (signal.SIGTERM,)), latency_ms=50) as emu:
        run = runner(emu)
        result = run(
            "apply", str(example), "--auto-approve", "--format", "json", "--concurrency", "4"
        )
        assert result.exit_code == 143, result.output
        seen = outcomes(result.stdout)
        assert len(seen) == len(names) and set(seen) <= {"done", "skipped"}
        assert "skipped" in seen  # the changes not yet started when the signal came
        assert seen.count("done") == len(emu.alerts())  # every "done" is really there
        emu.fault_policy.n = 0  # type: ignore[attr-defined]
        assert run("apply", str(example), "--auto-approve").exit_code == 0
        assert live_names(emu) == names


@pytest.mark.usefixtures("ack_stop")
def test_a_second_sigint_abandons_the_request_in_flight(example: Path, names: list[str]) -> None:
    with Emulator(fault_policy=Signals(3, "after", (signal.SIGINT, signal.SIGINT))) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve", "--concurrency", "1")
        assert result.exit_code == 130, result.output
        assert "may or may not have made this change" in result.stdout
        assert "2 created" in result.stdout and "1 failed" in result.stdout
        assert "Error: interrupted by SIGINT" in result.stderr
        emu.fault_policy.n = 0  # type: ignore[attr-defined]
        # The abandoned create was committed: the next plan sees it, nothing is made twice.
        deadline = time.monotonic() + 10
        while len(emu.alerts()) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        plan = run("plan", str(example))
        assert f"Plan: {len(names) - 3} to create" in plan.stdout
        assert run("apply", str(example), "--auto-approve").exit_code == 0
        assert live_names(emu) == names
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
