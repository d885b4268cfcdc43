"""Lost responses: a create whose response never arrives is found, never made twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alertsync.emulator import DROP, Emulator, FaultPlan, FaultSpec
from alertsync.emulator.faults import Outcome, server_error_response
from alertsync.emulator.wire import Request, Response
from tests.builders import EXAMPLE, alert, live_names, load, posts, runner


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "alerts.yaml"))


@pytest.fixture
def names(example: Path) -> list[str]:
    return sorted(a["name"] for a in load(example)["alerts"])


class PerName:
    """A policy that does something to the first POST of each alert name."""

    def __init__(self, when: str) -> None:
        self.when = when  # "before": 503 instead of handling; "after": drop the response
        self.seen: set[str] = set()

    def _first(self, request: Request) -> bool:
        body = request.json_or_none()
        name = body.get("name") if request.method == "POST" and isinstance(body, dict) else None
        if name is None or name in self.seen:
            return False
        self.seen.add(name)
        return True

    def before(self, request: Request) -> Response | None:
        if self.when == "before" and self._first(request):
            return server_error_response(503, retry_after=0)
        return None

    def after(self, request: Request, response: Response) -> Outcome:
        if self.when == "after" and self._first(request):
            return DROP
        return response


def test_every_post_response_lost_still_one_alert_per_name(example: Path, names: list[str]) -> None:
    plan = FaultPlan(FaultSpec(drop_after_commit={"POST": 1.0}))
    with Emulator(fault_policy=plan) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve")
        assert result.exit_code == 0, result.output
        assert live_names(emu) == names
        assert posts(emu) == len(names)  # never a second POST for one name
        routes = 5  # the example's destinations, also recovered by a listing
        assert result.stdout.count("recovered after a lost response") == len(names) + routes
        plan.enabled = False
        assert run("plan", str(example), "--detailed-exitcode").exit_code == 0


def test_the_first_post_of_each_name_dropped_after_commit(example: Path, names: list[str]) -> None:
    with Emulator(fault_policy=PerName("after")) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve")
        assert result.exit_code == 0, result.output
        assert live_names(emu) == names
        assert posts(emu) == len(names)
        assert len(emu.hog_functions()) == 5  # each destination once, though its answer was lost
        assert run("plan", str(example), "--detailed-exitcode").exit_code == 0


def test_a_create_that_did_not_happen_is_sent_again_once(example: Path, names: list[str]) -> None:
    with Emulator(fault_policy=PerName("before")) as emu:
        run = runner(emu)
        result = run("apply", str(example), "--auto-approve")
        assert result.exit_code == 0, result.output
        assert live_names(emu) == names
        assert posts(emu) == 2 * len(names)
        routes = 5  # the example's destinations: each refused once and sent again, once
        assert result.stdout.count("sent again") == len(names) + routes
        assert len(emu.hog_functions()) == routes


def test_lost_responses_during_a_concurrent_apply_are_recovered(tmp_path: Path) -> None:
    """Other creates land while a lost one is looked for: the check still finds it."""
    import yaml

    names = [f"alert {i:03}" for i in range(250)]
    file = tmp_path / "many.yaml"
    file.write_text(yaml.safe_dump({"alerts": [alert(n) for n in names]}))
    spec = FaultSpec(seed=7, drop_after_commit={"POST": 0.3})
    with Emulator(fault_policy=FaultPlan(spec)) as emu:
        run = runner(emu)
        result = run("apply", str(file), "--auto-approve", "--concurrency", "10")
        assert result.exit_code == 0, result.output[-3000:]
        assert "recovered after a lost response" in result.stdout
        assert live_names(emu) == names  # one alert per name, none missing
