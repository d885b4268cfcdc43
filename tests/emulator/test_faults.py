"""Fault injection: a seeded FaultPlan makes the emulator misbehave, reproducibly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, FaultConfigError, FaultPlan, FaultSpec
from alertsync.emulator.faults import load_fault_file, parse_method_rates
from tests.builders import ALERTS, client_for, valid_body


def faulty(**spec: Any) -> tuple[Emulator, FaultPlan]:
    plan = FaultPlan(FaultSpec(**spec), sleep=lambda _s: None)
    return Emulator(fault_policy=plan), plan


def requests_with(spec: dict[str, Any], n: int = 60) -> list[int]:
    emu, _plan = faulty(**spec)
    with emu, client_for(emu) as http:
        return [http.get(ALERTS).status_code for _ in range(n)]


def test_the_same_seed_gives_the_same_faults() -> None:
    spec = {"seed": 7, "fail_rate": {"*": 0.3}, "throttle_rate": 0.1, "throttle_wait": 0}
    first = requests_with(spec)
    assert first == requests_with(spec)
    assert first != requests_with({**spec, "seed": 8})
    assert {200, 429} <= set(first) and set(first) & {500, 502, 503, 504}


def test_an_injected_5xx_never_reaches_the_api() -> None:
    emu, plan = faulty(fail_rate={"POST": 1.0}, statuses=(503,))
    with emu, client_for(emu) as http:
        response = http.post(ALERTS, json=valid_body())
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert http.get(ALERTS).json()["count"] == 0
    assert [f.kind for f in plan.injected] == ["503"]


def test_a_5xx_after_commit_hides_a_write_that_happened() -> None:
    emu, _plan = faulty(fail_after_commit={"POST": 1.0}, statuses=(502,))
    with emu, client_for(emu) as http:
        assert http.post(ALERTS, json=valid_body()).status_code == 502
        assert http.get(ALERTS).json()["count"] == 1


def test_a_dropped_connection_after_commit_loses_the_response_not_the_write() -> None:
    emu, plan = faulty(drop_after_commit={"POST": 1.0})
    with emu, client_for(emu) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(ALERTS, json=valid_body())
        assert http.get(ALERTS).json()["count"] == 1
    assert [r.status for r in emu.requests] == [201, 200]
    assert [f.kind for f in plan.injected] == ["drop after commit"]


def test_a_429_burst_carries_posthogs_body_and_no_retry_after() -> None:
    emu, _plan = faulty(throttle_rate=1.0, burst_length=2, throttle_wait=37)
    with emu, client_for(emu) as http:
        response = http.get(ALERTS)
    assert response.status_code == 429
    assert response.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": "Request was throttled. Expected available in 37 seconds.",
        "attr": None,
    }
    assert "retry-after" not in response.headers


def test_a_burst_lasts_its_length() -> None:
    statuses = requests_with({"seed": 1, "throttle_rate": 0.05, "burst_length": 4}, n=200)
    runs = "".join("T" if s == 429 else "." for s in statuses).split(".")
    assert {len(r) for r in runs if r} <= {4, 8, 12}  # bursts may follow one another
    assert any(runs)


@pytest.mark.parametrize("kind", ["truncate", "count", "duplicate"])
def test_an_inconsistent_page_does_not_add_up(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alertsync.emulator.faults.PAGE_FAULTS", (kind,))
    emu, _plan = faulty(page_fault_rate=1.0)
    with emu, client_for(emu) as http:
        for index in range(3):
            assert http.post(ALERTS, json=valid_body(name=f"a{index}")).status_code == 201
        page = http.get(ALERTS).json()
    ids = [a["id"] for a in page["results"]]
    assert page["count"] != len(ids) or len(set(ids)) != len(ids)


def test_a_page_cut_on_the_wire(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alertsync.emulator.faults.PAGE_FAULTS", ("cut",))
    emu, _plan = faulty(page_fault_rate=1.0)
    with emu, client_for(emu) as http:
        http.post(ALERTS, json=valid_body())
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(ALERTS)


def test_only_alert_listings_get_page_faults() -> None:
    emu, plan = faulty(page_fault_rate=1.0)
    with emu, client_for(emu) as http:
        assert http.get("/api/projects/1/insights/?short_id=Ab3dE9fG").status_code == 200
        assert http.get("/api/organizations/@current/members/").json()["count"] == 4
    assert plan.injected == []


def test_faults_stop_when_disabled() -> None:
    emu, plan = faulty(fail_rate={"*": 1.0})
    with emu, client_for(emu) as http:
        assert http.get(ALERTS).status_code >= 500
        plan.enabled = False
        assert http.get(ALERTS).status_code == 200


def test_jitter_sleeps_a_seeded_random_time() -> None:
    slept: list[float] = []
    plan = FaultPlan(FaultSpec(seed=3, jitter_ms=50), sleep=slept.append)
    with Emulator(fault_policy=plan) as emu, client_for(emu) as http:
        for _ in range(20):
            http.get(ALERTS)
    assert len(slept) == 20 and all(0 <= s <= 0.05 for s in slept) and len(set(slept)) > 1


def test_a_spec_from_a_fault_file(tmp_path: Path) -> None:
    path = tmp_path / "faults.yaml"
    path.write_text("seed: 4\nfail_rate: {post: 0.25, '*': 0.01}\npage_fault_rate: 0.1\n")
    spec = load_fault_file(path)
    assert spec.seed == 4 and spec.fail_rate == {"POST": 0.25, "*": 0.01}
    assert "POST 25%" in spec.describe()
    json_path = tmp_path / "faults.json"
    json_path.write_text(json.dumps({"drop_after_commit": {"POST": 1}}))
    assert load_fault_file(json_path).drop_after_commit == {"POST": 1.0}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fail_rate": {"POST": 2}}, "from 0 to 1"),
        ({"fail_rate": {"FETCH": 0.1}}, "unknown method"),
        ({"faill_rate": {}}, "unknown fault setting"),
        ({"seed": -1}, "non-negative integer"),
        ({"statuses": [418]}, "statuses"),
        ({"fail_rate": 0.1}, "map methods to rates"),
    ],
)
def test_bad_fault_settings_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(FaultConfigError, match=message):
        FaultSpec.from_mapping(data)


def test_method_rates_from_flags() -> None:
    assert parse_method_rates(["post=0.2", "*=0.05"]) == {"POST": 0.2, "*": 0.05}
    with pytest.raises(FaultConfigError, match="METHOD=RATE"):
        parse_method_rates(["POST:0.2"])
