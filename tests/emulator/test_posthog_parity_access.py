"""PostHog's alert tests on list filters, API key scopes, simulate and real time, ported to HTTP.

Sources: ``products/alerts/backend/api/test/test_alert.py@4098a772`` (``TestAlertListFilters``,
``TestAlertAPIKeyAccess``, ``TestAlertSimulate``, ``TestAlertRealTimeInterval``) and
``test_alert_real_time_interval.py@e2f12078`` (the same nine real-time tests). PostHog's
simulate tests mock the insight query with 35 points; the emulator's series is its documented
stand-in, so the keys, shape and side effects are checked, not PostHog's mocked count.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    PH_BOLD,
    PH_LINE,
    SIMULATE,
    add_key,
    client_for,
    parity_request,
    parity_seed,
)

OTHER_UUID = "0188b2e1-1c3d-7000-a4b5-6c7d8e9f0a02"  # Grace, another member


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with Emulator(seed=parity_seed()) as emu, client_for(emu) as http:
        yield http


# -- TestAlertListFilters -------------------------------------------------------------------


@pytest.fixture
def two_users() -> Iterator[tuple[httpx.Client, httpx.Client]]:
    seed = parity_seed()
    other = add_key(seed, ["*"], user=2)
    with Emulator(seed=seed) as emu, client_for(emu) as mine, client_for(emu, other) as theirs:
        yield mine, theirs


def _alert(client: httpx.Client, name: str) -> None:
    assert client.post(ALERTS, json=parity_request(name=name)).status_code == 201


def _names(client: httpx.Client, **params: str) -> list[str]:
    return [alert["name"] for alert in client.get(ALERTS, params=params).json()["results"]]


def test_list_filter_by_search(client: httpx.Client) -> None:
    _alert(client, "Revenue spike")
    _alert(client, "Unrelated alert")

    assert _names(client, search="Reven") == ["Revenue spike"]


def test_list_filter_by_created_by_uuid(two_users: tuple[httpx.Client, httpx.Client]) -> None:
    mine, theirs = two_users
    _alert(mine, "Mine")
    _alert(theirs, "Theirs")

    assert _names(mine, created_by=OTHER_UUID) == ["Theirs"]


def test_list_filter_by_search_and_created_by(two_users: tuple[httpx.Client, httpx.Client]) -> None:
    mine, theirs = two_users
    _alert(mine, "Revenue spike")
    _alert(theirs, "Revenue other")
    _alert(theirs, "Unrelated")

    assert _names(mine, search="Revenue", created_by=OTHER_UUID) == ["Revenue other"]


@pytest.mark.parametrize(
    ("name", "alert_name", "search"),
    [
        ("email in name", "alerts+ops@example.com", "alerts+ops@example.com"),
        ("uuid in name", "run 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
         "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"),
        ("dotted identifier", "com.acme.billing alert", "com.acme.billing"),
    ],
)  # fmt: skip
def test_list_filter_by_search_matches_literal_substring_below_trigram_threshold(
    client: httpx.Client, name: str, alert_name: str, search: str
) -> None:
    _alert(client, alert_name)
    _alert(client, "Totally unrelated")

    results = client.get(ALERTS, params={"search": search}).json()["results"]

    match_types = {alert["name"]: alert["search_match_type"] for alert in results}
    assert match_types.get(alert_name) == "exact"
    assert "Totally unrelated" not in match_types


def test_list_filter_by_search_hides_similar_matches_when_exact_matches_exist(
    client: httpx.Client,
) -> None:
    for name in ("revenue spike", "spike in revenue", "reveneu drop", "Unrelated alert"):
        _alert(client, name)

    results = client.get(ALERTS, params={"search": "revenue"}).json()["results"]

    assert {a["name"]: a["search_match_type"] for a in results} == {
        "revenue spike": "exact",
        "spike in revenue": "exact",
    }


def test_list_filter_by_search_match_type_absent_without_search(client: httpx.Client) -> None:
    _alert(client, "Revenue spike")

    results = client.get(ALERTS).json()["results"]

    assert results
    assert all("search_match_type" not in alert for alert in results)


@pytest.mark.parametrize(
    ("name", "params", "attr"),
    [
        ("search_length_cap", {"search": "a" * 201}, "search"),
        ("invalid_created_by_uuid", {"created_by": "not-a-uuid"}, "created_by"),
    ],
)
def test_list_filter_validation_errors(
    client: httpx.Client, name: str, params: dict[str, str], attr: str
) -> None:
    response = client.get(ALERTS, params=params)

    assert response.status_code == 400
    assert response.json()["attr"] == attr


# -- TestAlertAPIKeyAccess ------------------------------------------------------------------


def _keyed(scopes: list[str]) -> tuple[Emulator, str, str]:
    """An emulator with one alert (PostHog creates it through the ORM) and a scoped key."""
    seed = parity_seed()
    seed["alerts"] = [parity_request(name="Test Alert")]
    key = add_key(seed, scopes)
    emu = Emulator(seed=seed)
    return emu, key, emu.alerts()[0]["id"]


@pytest.mark.parametrize(
    ("scopes", "method", "suffix", "status", "scope"),
    [
        (["feature_flag:read"], "get", "", 403, "alert:read"),
        (["alert:read"], "get", "", 200, None),
        (["alert:write"], "get", "", 200, None),
        (["alert:read"], "get", "/{alert_id}/", 200, None),
        (["alert:read"], "delete", "/{alert_id}/", 403, "alert:write"),
        (["alert:write"], "delete", "/{alert_id}/", 204, None),
    ],
)
def test_alert_api_key_access(
    scopes: list[str], method: str, suffix: str, status: int, scope: str | None
) -> None:
    emu, key, alert_id = _keyed(scopes)
    with emu, client_for(emu, key) as client:
        response = client.request(method.upper(), "/api/projects/1/alerts" + suffix.format(
            alert_id=alert_id))  # fmt: skip

    assert response.status_code == status
    if scope:
        assert scope in response.json()["detail"]


@pytest.mark.parametrize(
    ("scopes", "status", "scope"),
    [(["insight:write"], 403, "alert:write"), (["alert:read"], 403, "alert:write"),
     (["alert:write"], 201, None)],
)  # fmt: skip
def test_alert_create_api_key_access(scopes: list[str], status: int, scope: str | None) -> None:
    emu, key, _ = _keyed(scopes)
    with emu, client_for(emu, key) as client:
        response = client.post(ALERTS, json=parity_request(name="New Alert"))

    assert response.status_code == status
    if scope:
        assert scope in response.json()["detail"]


@pytest.mark.parametrize(
    ("scopes", "missing"), [(["feature_flag:read"], "alert:read"), (["alert:read"], "insight:read")]
)
def test_simulate_requires_insight_read_scope(scopes: list[str], missing: str) -> None:
    emu, key, _ = _keyed(scopes)
    with emu, client_for(emu, key) as client:
        response = client.post(SIMULATE, json={"insight": PH_BOLD,
                                               "detector_config": {"type": "zscore"}})  # fmt: skip

    assert response.status_code == 403
    assert missing in response.json()["detail"]


@pytest.mark.parametrize(
    "scopes", [["alert:read", "insight:read"], ["alert:write", "insight:write"]]
)
def test_simulate_with_both_scopes_passes_the_gate(scopes: list[str]) -> None:
    emu, key, _ = _keyed(scopes)
    detector = {"type": "zscore", "threshold": 0.9, "window": 30}
    with emu, client_for(emu, key) as client:
        response = client.post(SIMULATE, json={"insight": PH_LINE, "detector_config": detector})

    assert response.status_code == 200, response.text


# -- TestAlertSimulate ----------------------------------------------------------------------

SIMULATION = {"insight": PH_LINE, "detector_config": {"type": "zscore", "threshold": 0.9,
              "window": 30}, "series_index": 0}  # fmt: skip


def test_simulate_returns_valid_response(client: httpx.Client) -> None:
    response = client.post(SIMULATE, json=SIMULATION)

    data = response.json()
    assert response.status_code == 200, response.text
    for key in ("data", "dates", "scores", "triggered_indices", "triggered_dates", "interval",
                "total_points", "anomaly_count"):  # fmt: skip
        assert key in data
    assert isinstance(data["scores"], list)
    assert len(data["scores"]) == data["total_points"]


def test_simulate_missing_detector_config_returns_400(client: httpx.Client) -> None:
    """S-prev required ``detector_config``; the newest server defaults it (contract §3.4)."""
    response = client.post(SIMULATE, json={"insight": PH_LINE, "series_index": 0})

    assert response.status_code == 200


def test_simulate_invalid_detector_config_returns_400(client: httpx.Client) -> None:
    body = {**SIMULATION, "detector_config": {"type": "nonexistent_detector"}}

    assert client.post(SIMULATE, json=body).status_code == 400


def test_simulate_does_not_create_alert_check_records() -> None:
    seed = parity_seed()
    seed["alerts"] = [parity_request(insight=PH_LINE)]
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        before = [emu.checks(alert["id"]) for alert in emu.alerts()]
        response = client.post(SIMULATE, json=SIMULATION)
        after = [emu.checks(alert["id"]) for alert in emu.alerts()]

    assert response.status_code == 200
    assert after == before == [[]]


# -- TestAlertRealTimeInterval (T-new and T-RT) ---------------------------------------------


def _rt(**overrides: Any) -> dict[str, Any]:
    threshold = {"configuration": {"type": "absolute", "bounds": {"lower": 0}}}
    base = {"name": "real time alert", "threshold": threshold, "calculation_interval": "real_time"}
    return parity_request(**{**base, **overrides})


@pytest.fixture
def real_time(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    """Real-time alerts available (``limit`` from the test's parameter, default unlimited)."""
    limit = getattr(request, "param", None)
    seed = parity_seed(entitlements={"real_time": True, "real_time_limit": limit})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        yield client


LIMITED = pytest.mark.parametrize("real_time", [1], indirect=True)


def test_create_real_time_rejected_without_billing_entitlement() -> None:
    seed = parity_seed(entitlements={"real_time": False})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        response = client.post(ALERTS, json=_rt())

    assert response.status_code == 400
    assert "Scale or Enterprise" in response.text


def test_create_real_time_succeeds_with_entitlement(real_time: httpx.Client) -> None:
    response = real_time.post(ALERTS, json=_rt())

    assert response.status_code == 201, response.text
    assert response.json()["calculation_interval"] == "real_time"


def test_patch_real_time_succeeds_with_entitlement(real_time: httpx.Client) -> None:
    alert_id = real_time.post(ALERTS, json=_rt()).json()["id"]

    response = real_time.patch(f"{ALERTS}{alert_id}", json={"name": "updated real time alert"})

    assert response.status_code == 200, response.text
    assert (response.json()["name"], response.json()["calculation_interval"]) == (
        "updated real time alert",
        "real_time",
    )


def test_patch_existing_real_time_rejected_after_entitlement_removed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(seed=parity_seed(), state_path=state) as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=_rt()).json()["id"]
    removed = parity_seed(entitlements={"real_time": False})
    with Emulator(seed=removed, state_path=state) as emu, client_for(emu) as client:
        response = client.patch(f"{ALERTS}{alert_id}", json={"name": "still real time"})

    assert response.status_code == 400
    assert "Scale or Enterprise" in response.text


@LIMITED
def test_create_real_time_rejected_when_limit_reached(real_time: httpx.Client) -> None:
    assert real_time.post(ALERTS, json=_rt()).status_code == 201

    second = real_time.post(ALERTS, json=_rt(name="second"))

    assert second.status_code == 400
    assert "limit of 1 real-time alerts" in second.text


@LIMITED
def test_real_time_limit_ignores_disabled_alerts(real_time: httpx.Client) -> None:
    first = real_time.post(ALERTS, json=_rt()).json()
    real_time.patch(f"{ALERTS}{first['id']}", json={"enabled": False})

    assert real_time.post(ALERTS, json=_rt(name="second")).status_code == 201


@LIMITED
def test_real_time_limit_ignores_other_intervals(real_time: httpx.Client) -> None:
    daily = real_time.post(ALERTS, json=_rt(name="daily", calculation_interval="daily"))

    assert daily.status_code == 201
    assert real_time.post(ALERTS, json=_rt()).status_code == 201


@LIMITED
def test_patch_to_real_time_rejected_when_limit_reached(real_time: httpx.Client) -> None:
    assert real_time.post(ALERTS, json=_rt()).status_code == 201
    daily = real_time.post(ALERTS, json=_rt(name="daily", calculation_interval="daily")).json()

    response = real_time.patch(f"{ALERTS}{daily['id']}", json={"calculation_interval": "real_time"})

    assert response.status_code == 400
    assert "limit of 1 real-time alerts" in response.text


@LIMITED
def test_enable_real_time_rejected_when_limit_reached(real_time: httpx.Client) -> None:
    assert real_time.post(ALERTS, json=_rt()).status_code == 201
    disabled = real_time.post(ALERTS, json=_rt(name="disabled", enabled=False)).json()

    response = real_time.patch(f"{ALERTS}{disabled['id']}", json={"enabled": True})

    assert response.status_code == 400
    assert "limit of 1 real-time alerts" in response.text
