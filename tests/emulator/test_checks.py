"""Check rows (contract §2.8, §3.3): the snooze row, the retrieve window, list items, and the
``record_check`` / ``set_check_times`` hooks that put an alert in any state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, client_for, valid_body

from .conftest import MakeAlert

NOW = datetime(2026, 4, 6, 14, 0, tzinfo=UTC)
CHECK_KEYS = [
    "id", "created_at", "calculated_value", "state", "error", "targets_notified",
    "anomaly_scores", "triggered_points", "triggered_dates", "interval", "triggered_metadata",
    "investigation_status", "investigation_verdict", "investigation_summary",
    "investigation_notebook_short_id", "notification_sent_at",
    "notification_suppressed_by_agent", "deliveries",
]  # fmt: skip
SANITISED = {
    "message": "This alert encountered an error. Check the alert configuration and try again."
}


@pytest.fixture
def pinned() -> Iterator[tuple[Emulator, httpx.Client]]:
    with Emulator(clock=lambda: NOW) as emu, client_for(emu) as client:
        yield emu, client


def _alert_with_checks(emu: Emulator, client: httpx.Client, count: int) -> str:
    alert_id: str = client.post(ALERTS, json=valid_body()).json()["id"]
    for index in range(count):
        at = NOW - timedelta(seconds=count - index)
        emu.record_check(alert_id, "Not firing", float(index), at=at)
    return alert_id


@pytest.mark.parametrize(
    ("total", "query", "expected"),
    [
        (8, "", 5),
        (10, "?checks_limit=3", 3),
        (3, "?checks_limit=9999", 3),
        (5, "?checks_limit=-5", 1),
        (5, "?checks_limit=0", 1),
        (5, "?checks_limit=abc", 5),
        (7, "?checks_date_from=-1h", 7),  # a date filter without a limit lifts it to 500
    ],
)
def test_checks_limit(
    pinned: tuple[Emulator, httpx.Client], total: int, query: str, expected: int
) -> None:
    emu, client = pinned
    alert_id = _alert_with_checks(emu, client, total)

    body = client.get(f"{ALERTS}{alert_id}{query}").json()

    assert (len(body["checks"]), body["checks_total"]) == (expected, total)


@pytest.mark.parametrize(
    ("limit", "offset", "values"),
    [
        (3, "0", [7.0, 6.0, 5.0]),
        (3, "3", [4.0, 3.0, 2.0]),
        (2, "-1", [7.0, 6.0]),
        (2, "x", [7.0, 6.0]),
        (3, "7", [0.0]),
        (3, "20", []),
    ],
)
def test_checks_offset_pages_newest_first(
    pinned: tuple[Emulator, httpx.Client], limit: int, offset: str, values: list[float]
) -> None:
    emu, client = pinned
    alert_id = _alert_with_checks(emu, client, 8)

    query: dict[str, str | int] = {"checks_limit": limit, "checks_offset": offset}
    body = client.get(f"{ALERTS}{alert_id}/", params=query).json()

    assert [check["calculated_value"] for check in body["checks"]] == values
    assert body["checks_total"] == 8


def test_checks_date_window(pinned: tuple[Emulator, httpx.Client]) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    for hours, value in ((72, 1.0), (48, 2.0), (24, 3.0), (0, 4.0)):
        emu.record_check(alert_id, "Not firing", value, at=NOW - timedelta(hours=hours))

    recent = client.get(f"{ALERTS}{alert_id}/", params={"checks_date_from": "-25h"}).json()
    window = client.get(
        f"{ALERTS}{alert_id}/", params={"checks_date_from": "-4d", "checks_date_to": "-12h"}
    ).json()

    assert [c["calculated_value"] for c in recent["checks"]] == [4.0, 3.0]
    assert recent["checks_total"] == 2
    assert [c["calculated_value"] for c in window["checks"]] == [3.0, 2.0, 1.0]
    assert window["checks_total"] == 3


def test_a_check_has_every_field_in_order(pinned: tuple[Emulator, httpx.Client]) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    emu.record_check(alert_id, "Not firing", 12, interval="day")

    check = client.get(f"{ALERTS}{alert_id}/").json()["checks"][0]

    assert list(check) == CHECK_KEYS
    assert check["created_at"] == "2026-04-06T14:00:00Z"
    assert (check["calculated_value"], check["interval"]) == (12.0, "day")
    assert (check["error"], check["targets_notified"], check["deliveries"]) == (None, False, None)
    assert check["notification_suppressed_by_agent"] is False


def test_errors_are_sanitised_except_email_unavailable(
    pinned: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    emu.record_check(alert_id, "Errored", error="ClickHouse timed out on query 8f2e",
                     at=NOW - timedelta(minutes=2))  # fmt: skip
    email = {"code": "email_unavailable", "message": "Email is not configured."}
    emu.record_check(alert_id, "Errored", error=email, at=NOW - timedelta(minutes=1))
    emu.record_check(alert_id, "Errored", error={"detail": "no message"})

    checks = client.get(f"{ALERTS}{alert_id}/").json()["checks"]

    assert [check["error"] for check in checks] == [None, email, SANITISED]


def test_deliveries_are_listed_with_their_labels(pinned: tuple[Emulator, httpx.Client]) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    destinations = [
        {"channel": "hog_function", "target": "#eng-alerts", "target_id": "0194-aaaa-1234",
         "template": "slack", "status": "accepted", "at": "2026-04-06T14:00:00+00:00"},
        {"channel": "hog_function", "target": "Ops webhook", "target_id": "0194-bbbb-9f3c",
         "template": "webhook", "status": "accepted", "at": "2026-04-06T14:00:00+00:00"},
    ]  # fmt: skip
    notified = {"users": ["ada@example.com"], "destinations": destinations}
    alert = emu.record_check(alert_id, "Firing", 130, targets_notified=notified)

    check = client.get(f"{ALERTS}{alert_id}/").json()["checks"][0]

    assert check["targets_notified"] is True
    assert check["notification_sent_at"] == "2026-04-06T14:00:00Z"
    labels = [delivery["display_label"] for delivery in check["deliveries"]]
    assert labels == ["Email: ada@example.com", "#eng-alerts", "Ops webhook · 9f3c"]
    assert check["deliveries"][0] == {
        "channel": "email",
        "target": "ada@example.com",
        "status": "accepted",
        "at": "2026-04-06T14:00:00+00:00",
        "display_label": "Email: ada@example.com",
    }
    assert alert["last_notified_at"] == "2026-04-06T14:00:00Z"


def test_list_items_carry_only_checks_with_triggered_points(
    pinned: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    emu.record_check(alert_id, "Firing", 1, triggered_points=[29], at=NOW - timedelta(hours=3))
    emu.record_check(alert_id, "Firing", 2, triggered_points=[], at=NOW - timedelta(hours=2))
    emu.record_check(alert_id, "Not firing", 3, at=NOW - timedelta(hours=1))
    emu.record_check(alert_id, "Firing", 4, triggered_points=[30], triggered_dates=["2026-04-05"])

    item = client.get(ALERTS).json()["results"][0]

    assert [check["calculated_value"] for check in item["checks"]] == [4.0, 1.0]
    assert "checks_total" not in item
    assert item["last_value"] == 4.0


def test_snoozing_and_unsnoozing_write_check_rows(
    pinned: tuple[Emulator, httpx.Client],
) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    emu.record_check(alert_id, "Firing", 99, at=NOW - timedelta(hours=1))

    snoozed = client.patch(f"{ALERTS}{alert_id}/", json={"snoozed_until": "1d"}).json()
    client.patch(f"{ALERTS}{alert_id}/", json={"snoozed_until": None})
    body = client.get(f"{ALERTS}{alert_id}/").json()

    assert snoozed["state"] == "Snoozed"
    assert snoozed["last_value"] == 99.0  # annotated when PostHog looked the alert up
    assert body["last_value"] is None  # the newest check (the unsnooze) has no value
    states = [(check["state"], check["calculated_value"]) for check in body["checks"]]
    assert states[:2] == [("Not firing", None), ("Snoozed", None)]
    assert body["checks"][1]["targets_notified"] is False
    assert body["checks_total"] == 3


def test_snoozing_a_disabled_alert_records_its_not_firing_state(make_alert: MakeAlert) -> None:
    with Emulator() as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=valid_body(enabled=False)).json()["id"]
        client.patch(f"{ALERTS}{alert_id}/", json={"snoozed_until": "2h"})
        check = emu.checks(alert_id)[0]

    assert check["state"] == "Not firing"


def test_record_check_sets_what_the_evaluator_leaves(pinned: tuple[Emulator, httpx.Client]) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body(calculation_interval="hourly")).json()["id"]

    alert = emu.record_check(alert_id, "Errored", error="Query failed", at="2026-04-06T13:20:00Z")

    assert alert["state"] == "Errored"
    assert (alert["last_checked_at"], alert["next_check_at"]) == (
        "2026-04-06T13:20:00Z",
        "2026-04-06T14:20:00Z",
    )
    assert alert["last_notified_at"] is None
    assert client.get(f"{ALERTS}{alert_id}/").json()["state"] == "Errored"


def test_a_disabled_alert_stays_not_firing(make_alert: MakeAlert, emu: Emulator) -> None:
    alert_id = make_alert(enabled=False)["id"]

    assert emu.record_check(alert_id, "Firing", 1)["state"] == "Not firing"


def test_set_check_times_makes_an_alert_stale(pinned: tuple[Emulator, httpx.Client]) -> None:
    emu, client = pinned
    alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
    emu.record_check(alert_id, "Not firing", 10)

    stale = emu.set_check_times(alert_id, last_checked_at=NOW - timedelta(days=9))
    cleared = emu.set_check_times(alert_id, next_check_at=None)

    assert stale["last_checked_at"] == "2026-03-28T14:00:00Z"
    assert stale["next_check_at"] == "2026-04-07T01:00:00Z"
    assert (cleared["last_checked_at"], cleared["next_check_at"]) == ("2026-03-28T14:00:00Z", None)


def test_hooks_refuse_unknown_alerts_states_and_times(emu: Emulator, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]

    with pytest.raises(ValueError, match="unknown alert state"):
        emu.record_check(alert_id, "Exploded")
    with pytest.raises(ValueError, match="not an ISO datetime"):
        emu.record_check(alert_id, "Firing", at="yesterday")
    with pytest.raises(KeyError):
        emu.record_check("01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10", "Firing")
    with pytest.raises(ValueError, match="not an ISO datetime"):
        emu.set_check_times(alert_id, last_checked_at="soon")
    with pytest.raises(KeyError):
        emu.checks("not-an-alert")
