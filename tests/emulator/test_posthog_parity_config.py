"""PostHog's alert tests on configs, intervals, quiet hours and investigation, ported to HTTP.

Source: ``products/alerts/backend/api/test/test_alert.py@4098a772`` (``TestAlert`` and
``TestInvestigationAgentValidation``); see ``test_posthog_parity.py`` for the approach.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    PH_LINE,
    PH_PIE,
    client_for,
    parity_request,
    parity_seed,
)

TRENDS = {"type": "TrendsAlertConfig", "series_index": 0}
UPPER = {"configuration": {"type": "absolute", "bounds": {"upper": 100}}}
QUIET = {"blocked_windows": [{"start": "22:00", "end": "07:00"}]}


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with Emulator(seed=parity_seed()) as emu, client_for(emu) as http:
        yield http


def _create(client: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = client.post(ALERTS, json=parity_request(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.mark.parametrize(
    ("name", "overrides", "fragment"),
    [
        ("invalid_condition", {"condition": {"type": "bogus"}, "config": TRENDS},
         "invalid condition"),
        ("missing_config_type", {"config": {"series_index": 0}}, "unsupported alert config type"),
        ("relative_condition_on_pie_chart", {"condition": {"type": "relative_increase"}},
         "not compatible with non time series"),
        ("absolute_with_percentage_threshold",
         {"threshold": {"configuration": {"type": "percentage", "bounds": {"upper": 100}}}},
         "absolute value alerts require an absolute threshold"),
        ("name_too_long", {"name": "a" * 256}, "no more than 255 characters"),
        ("threshold_name_too_long", {"threshold": {**UPPER, "name": "a" * 256}},
         "no more than 255 characters"),
    ],
)  # fmt: skip
def test_create_alert_rejects_invalid_config(
    client: httpx.Client, name: str, overrides: dict[str, Any], fragment: str
) -> None:
    response = client.post(ALERTS, json=parity_request(insight=PH_PIE, **overrides))

    assert response.status_code == 400, response.text
    assert fragment in response.text.lower()


@pytest.mark.parametrize(
    ("name", "overrides", "fragment"),
    [
        ("invalid_condition_via_patch", {"condition": {"type": "bogus"}}, "invalid condition"),
        ("missing_config_type_via_patch", {"config": {"series_index": 0}},
         "unsupported alert config type"),
        ("absolute_with_percentage_threshold_via_patch",
         {"condition": {"type": "absolute_value"},
          "threshold": {"configuration": {"type": "percentage", "bounds": {"upper": 100}}}},
         "absolute value alerts require an absolute threshold"),
    ],
)  # fmt: skip
def test_patch_alert_rejects_invalid_config(
    client: httpx.Client, name: str, overrides: dict[str, Any], fragment: str
) -> None:
    alert_id = _create(client)["id"]

    response = client.patch(f"{ALERTS}{alert_id}", json=overrides)

    assert response.status_code == 400, response.text
    assert fragment in response.text.lower()


@pytest.mark.parametrize(
    ("name", "payload", "status", "interval", "expected_name"),
    [
        ("null_interval_rejected", {"calculation_interval": None}, 400, "weekly", None),
        ("omitted_interval_preserves_existing", {"name": "renamed alert"}, 200, "weekly",
         "renamed alert"),
        ("updated_interval_applied", {"calculation_interval": "hourly"}, 200, "hourly",
         "alert name"),
    ],
)  # fmt: skip
def test_patch_calculation_interval(
    client: httpx.Client,
    name: str,
    payload: dict[str, Any],
    status: int,
    interval: str,
    expected_name: str | None,
) -> None:
    alert = _create(client, calculation_interval="weekly")
    assert alert["calculation_interval"] == "weekly"

    response = client.patch(f"{ALERTS}{alert['id']}", json=payload)

    assert response.status_code == status, response.text
    if status == 200:
        assert (response.json()["calculation_interval"], response.json()["name"]) == (
            interval,
            expected_name,
        )


def test_create_alert_with_schedule_restriction(client: httpx.Client) -> None:
    assert _create(client, schedule_restriction=QUIET)["schedule_restriction"] == QUIET


def test_create_alert_rejects_schedule_restriction_covering_full_day(client: httpx.Client) -> None:
    whole_day = {"blocked_windows": [{"start": "00:00", "end": "12:00"},
                                     {"start": "12:00", "end": "00:00"}]}  # fmt: skip

    assert (
        client.post(ALERTS, json=parity_request(schedule_restriction=whole_day)).status_code == 400
    )


def test_patch_schedule_restriction_snaps_next_check_to_first_minute_outside_quiet_hours() -> None:
    now = datetime(2026, 4, 6, 14, tzinfo=UTC)
    with Emulator(seed=parity_seed(), clock=lambda: now) as emu, client_for(emu) as client:
        alert = _create(client, calculation_interval="hourly")
        emu.set_check_times(alert["id"], next_check_at=datetime(2026, 4, 6, 15, 30, tzinfo=UTC))
        quiet = {"blocked_windows": [{"start": "11:00", "end": "16:00"}]}
        response = client.patch(f"{ALERTS}{alert['id']}", json={"schedule_restriction": quiet})

    assert response.status_code == 200, response.text
    next_check = datetime.fromisoformat(response.json()["next_check_at"].replace("Z", "+00:00"))
    assert next_check == datetime(2026, 4, 6, 16, 0, 0, tzinfo=UTC)


def test_patch_schedule_restriction_empty_normalizes_to_null(client: httpx.Client) -> None:
    quiet = {"blocked_windows": [{"start": "22:00", "end": "23:00"}]}
    alert = _create(client, name="alert", schedule_restriction=quiet)

    patch = client.patch(
        f"{ALERTS}{alert['id']}", json={"schedule_restriction": {"blocked_windows": []}}
    )

    assert patch.status_code == 200, patch.text
    assert patch.json()["schedule_restriction"] is None


@pytest.mark.parametrize(
    ("name", "restriction"),
    [
        ("too_many_windows",
         {"blocked_windows": [{"start": f"{i:02d}:00", "end": f"{i:02d}:30"} for i in range(6)]}),
        ("missing_start", {"blocked_windows": [{"end": "12:00"}]}),
        ("missing_end", {"blocked_windows": [{"start": "12:00"}]}),
        ("equal_start_end", {"blocked_windows": [{"start": "10:00", "end": "10:00"}]}),
        ("seconds_not_allowed", {"blocked_windows": [{"start": "12:00:00", "end": "13:00"}]}),
        ("invalid_hour", {"blocked_windows": [{"start": "25:00", "end": "26:00"}]}),
        ("non_object_window", {"blocked_windows": ["not-an-object"]}),
        ("blocked_windows_not_array", {"blocked_windows": {}}),
        ("window_shorter_than_30_min", {"blocked_windows": [{"start": "12:00", "end": "12:20"}]}),
    ],
)  # fmt: skip
def test_create_alert_rejects_invalid_schedule_restriction(
    client: httpx.Client, name: str, restriction: dict[str, Any]
) -> None:
    response = client.post(ALERTS, json=parity_request(schedule_restriction=restriction))

    assert response.status_code == 400, response.text
    assert "invalid schedule restriction" in response.text.lower()


@pytest.mark.parametrize("timezone", ["UTC", "America/Phoenix", "Asia/Tokyo"])
def test_create_alert_schedule_restriction_with_team_timezone_wall_clock(timezone: str) -> None:
    with Emulator(seed=parity_seed(timezone=timezone)) as emu, client_for(emu) as client:
        response = client.post(ALERTS, json=parity_request(schedule_restriction=QUIET))

    assert response.status_code == 201, response.text
    assert response.json()["schedule_restriction"] == QUIET


def test_create_alert_schedule_restriction_merges_overlapping_windows(client: httpx.Client) -> None:
    overlapping = {"blocked_windows": [{"start": "10:30", "end": "11:00"},
                                       {"start": "10:40", "end": "11:15"}]}  # fmt: skip

    created = _create(client, schedule_restriction=overlapping)

    assert created["schedule_restriction"] == {
        "blocked_windows": [{"start": "10:30", "end": "11:15"}]
    }


@pytest.mark.parametrize(
    ("interval", "skip_weekend"),
    [("hourly", True), ("daily", True), ("weekly", False), ("monthly", True)],
)
def test_create_alert_quiet_hours_with_skip_weekend_and_calculation_interval(
    client: httpx.Client, interval: str, skip_weekend: bool
) -> None:
    created = _create(
        client,
        calculation_interval=interval,
        skip_weekend=skip_weekend,
        schedule_restriction=QUIET,
    )

    assert created["calculation_interval"] == interval
    assert created["skip_weekend"] is skip_weekend
    assert created["schedule_restriction"] == QUIET


def test_create_alert_quiet_hours_check_ongoing_skip_weekend_line_graph(
    client: httpx.Client,
) -> None:
    quiet = {"blocked_windows": [{"start": "09:00", "end": "17:00"}]}
    created = _create(
        client,
        insight=PH_LINE,
        config={**TRENDS, "check_ongoing_interval": True},
        threshold=UPPER,
        calculation_interval="hourly",
        skip_weekend=True,
        schedule_restriction=quiet,
    )

    assert created["config"]["check_ongoing_interval"] is True
    assert (created["skip_weekend"], created["calculation_interval"]) == (True, "hourly")
    assert created["schedule_restriction"] == quiet


def test_patch_alert_adds_quiet_hours_and_skip_weekend(client: httpx.Client) -> None:
    alert = _create(client, calculation_interval="daily")
    quiet = {"blocked_windows": [{"start": "12:00", "end": "13:00"}]}

    response = client.patch(
        f"{ALERTS}{alert['id']}",
        json={
            "skip_weekend": True,
            "schedule_restriction": quiet,
            "calculation_interval": "weekly",
        },
    )

    data = response.json()
    assert response.status_code == 200, response.text
    assert (data["skip_weekend"], data["calculation_interval"]) == (True, "weekly")
    assert data["schedule_restriction"] == quiet


def test_patch_alert_invalid_schedule_restriction_leaves_existing_unchanged(
    client: httpx.Client,
) -> None:
    alert = _create(client, schedule_restriction=QUIET)
    bad = {"blocked_windows": [{"start": "10:00", "end": "10:00"}]}

    response = client.patch(f"{ALERTS}{alert['id']}", json={"schedule_restriction": bad})

    assert response.status_code == 400
    assert client.get(f"{ALERTS}{alert['id']}").json()["schedule_restriction"] == QUIET


# -- TestInvestigationAgentValidation -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "detector", "enabled", "status", "attr"),
    [
        ("enabled_without_detector_config", None, True, 400, "investigation_agent_enabled"),
        ("disabled_without_detector_config", None, False, 201, None),
        ("enabled_with_detector_config", {"type": "zscore", "threshold": 0.95, "window": 30},
         True, 201, None),
    ],
)  # fmt: skip
def test_investigation_agent_enabled_validation(
    client: httpx.Client,
    name: str,
    detector: dict[str, Any] | None,
    enabled: bool,
    status: int,
    attr: str | None,
) -> None:
    body = parity_request(
        insight=PH_LINE,
        calculation_interval="daily",
        detector_config=detector,
        investigation_agent_enabled=enabled,
    )

    response = client.post(ALERTS, json=body)

    assert response.status_code == status, response.text
    if attr:
        assert attr in response.json()["attr"]


def test_investigation_gates_notifications_rejected_without_agent_enabled(
    client: httpx.Client,
) -> None:
    body = parity_request(insight=PH_LINE, investigation_gates_notifications=True)

    response = client.post(ALERTS, json=body)

    assert response.status_code == 400
    assert "investigation_gates_notifications" in response.json()["attr"]
