"""The ``real_time`` interval: its entitlement and the per-plan count (contract §2.1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, client_for, error, seed_with, valid_body

DENIED = error(
    "invalid_input",
    "Real-time alert intervals require a Scale or Enterprise plan.",
    "calculation_interval",
)
LIMIT = error(
    "invalid_input",
    "Your team has reached the limit of 1 real-time alerts on your plan.",
    "calculation_interval",
)


def _real_time(**overrides: Any) -> dict[str, Any]:
    return valid_body(calculation_interval="real_time", **overrides)


@pytest.fixture
def limited() -> Iterator[httpx.Client]:
    seed = seed_with(entitlements={"real_time": True, "real_time_limit": 1})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        yield client


def test_real_time_is_accepted_with_the_entitlement(client: httpx.Client) -> None:
    created = client.post(ALERTS, json=_real_time())

    assert created.json()["calculation_interval"] == "real_time"


def test_real_time_needs_the_entitlement_on_create_and_on_every_update(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=_real_time()).json()["id"]
        daily_id = client.post(ALERTS, json=valid_body()).json()["id"]
    seed = seed_with(entitlements={"real_time": False})
    with Emulator(seed=seed, state_path=state) as emu, client_for(emu) as client:
        created = client.post(ALERTS, json=_real_time())
        renamed = client.patch(f"{ALERTS}{alert_id}/", json={"name": "still real time"})
        switched = client.patch(f"{ALERTS}{daily_id}/", json={"calculation_interval": "real_time"})
        other = client.patch(f"{ALERTS}{daily_id}/", json={"name": "daily is fine"})

    assert created.json() == DENIED
    assert renamed.json() == DENIED
    assert switched.json() == DENIED
    assert other.status_code == 200


def test_the_limit_counts_enabled_real_time_alerts(limited: httpx.Client) -> None:
    first = limited.post(ALERTS, json=_real_time())
    second = limited.post(ALERTS, json=_real_time(name="second"))

    assert first.status_code == 201
    assert second.json() == LIMIT


def test_disabled_alerts_and_other_intervals_do_not_count(limited: httpx.Client) -> None:
    daily = limited.post(ALERTS, json=valid_body())
    disabled = limited.post(ALERTS, json=_real_time(enabled=False))
    enabled = limited.post(ALERTS, json=_real_time())
    another_disabled = limited.post(ALERTS, json=_real_time(enabled=False))

    assert [r.status_code for r in (daily, disabled, enabled, another_disabled)] == [201] * 4


def test_disabling_frees_a_slot(limited: httpx.Client) -> None:
    first = limited.post(ALERTS, json=_real_time()).json()
    limited.patch(f"{ALERTS}{first['id']}/", json={"enabled": False})

    assert limited.post(ALERTS, json=_real_time(name="second")).status_code == 201


def test_switching_to_real_time_and_re_enabling_are_checked(limited: httpx.Client) -> None:
    limited.post(ALERTS, json=_real_time())
    daily = limited.post(ALERTS, json=valid_body()).json()
    disabled = limited.post(ALERTS, json=_real_time(enabled=False)).json()

    switched = limited.patch(f"{ALERTS}{daily['id']}/", json={"calculation_interval": "real_time"})
    enabled = limited.patch(f"{ALERTS}{disabled['id']}/", json={"enabled": True})

    assert switched.json() == LIMIT
    assert enabled.json() == LIMIT


def test_an_alert_never_counts_against_itself(limited: httpx.Client) -> None:
    alert = limited.post(ALERTS, json=_real_time()).json()

    renamed = limited.patch(f"{ALERTS}{alert['id']}/", json={"name": "renamed"})
    put = limited.put(
        f"{ALERTS}{alert['id']}/",
        json={k: v for k, v in _real_time().items() if k != "name"},
    )

    assert renamed.status_code == 200
    assert put.status_code == 200


def test_no_limit_means_unlimited(client: httpx.Client) -> None:
    statuses = {client.post(ALERTS, json=_real_time()).status_code for _ in range(3)}

    assert statuses == {201}


def test_the_real_time_limit_comes_after_the_alert_limit() -> None:
    seed = seed_with(alert_limit=1, entitlements={"real_time_limit": 1})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        client.post(ALERTS, json=_real_time())
        refused = client.post(ALERTS, json=_real_time())

    assert refused.json()["attr"] == "alert"
