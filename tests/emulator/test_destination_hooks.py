"""Test hooks: CDP health, firing checks with delivery receipts (destinations §7, §8;
alerts §2.8)."""

from __future__ import annotations

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, HOG_FUNCTIONS, create_destination

from .conftest import MakeAlert

CHECK_FIELDS = [
    "id", "created_at", "calculated_value", "state", "error", "targets_notified",
    "anomaly_scores", "triggered_points", "triggered_dates", "interval", "triggered_metadata",
    "investigation_status", "investigation_verdict", "investigation_summary",
    "investigation_notebook_short_id", "notification_sent_at", "notification_suppressed_by_agent",
    "deliveries",
]  # fmt: skip


def test_status_follows_the_cdp_while_enabled(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    function = create_destination(client, make_alert()["id"])

    degraded = emu.set_hog_function_status(function["id"], "degraded", tokens=1234)
    forced = emu.set_hog_function_status(function["id"], 12)
    read = client.get(f"{HOG_FUNCTIONS}{function['id']}/").json()

    assert degraded["status"] == {"state": 2, "tokens": 1234}
    assert forced["status"] == {"state": 12, "tokens": 1234}
    assert read["status"] == forced["status"]
    assert read["version"] == 1


def test_a_cdp_disabled_destination_comes_back_degraded_when_re_enabled(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    function = create_destination(client, make_alert()["id"])

    disabled = emu.disable_hog_function_by_cdp(function["id"])
    listed = client.get(HOG_FUNCTIONS, params={"enabled": "false"}).json()["results"]
    enabled = client.patch(f"{HOG_FUNCTIONS}{function['id']}/", json={"enabled": True}).json()

    assert (disabled["enabled"], disabled["status"]) == (False, {"state": 0, "tokens": 0})
    assert [item["id"] for item in listed] == [function["id"]]
    assert enabled["status"]["state"] == 2
    assert disabled["updated_at"] == function["updated_at"]  # nobody edited it


def test_a_firing_check_records_deliveries_for_subscribers_and_destinations(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(subscribed_users=[1], name="Signups")["id"]
    slack = create_destination(client, alert_id, name="Signups: Slack #growth-alerts")
    webhook = create_destination(
        client, alert_id, "webhook", name="Signups: Webhook https://hooks.example.com/secret/path"
    )
    create_destination(client, alert_id, "discord", enabled=False)

    check = emu.record_alert_check(alert_id, calculated_value=42.0)
    alert = client.get(f"{ALERTS}{alert_id}/").json()

    assert list(check) == CHECK_FIELDS
    assert (check["state"], check["calculated_value"], check["targets_notified"]) == (
        "Firing",
        42.0,
        True,
    )
    assert check["interval"] == "day"
    email, first, second = check["deliveries"]
    assert email == {
        "channel": "email",
        "target": "ada@example.com",
        "status": "accepted",
        "at": email["at"],
        "display_label": "Email: ada@example.com",
    }
    assert email["at"].endswith("+00:00")
    assert first == {
        "channel": "hog_function",
        "target": "Signups: Slack #growth-alerts",
        "target_id": slack["id"],
        "template": "slack",
        "status": "accepted",
        "at": email["at"],
        "display_label": "Signups: Slack #growth-alerts",
    }
    assert second["target"] == "Signups: Webhook hooks.example.com"
    assert second["display_label"] == f"Signups: Webhook hooks.example.com · {webhook['id'][-4:]}"
    assert alert["checks"] == [check] and alert["checks_total"] == 1
    assert (alert["state"], alert["last_value"]) == ("Firing", 42.0)
    assert alert["last_notified_at"] == check["notification_sent_at"] == check["created_at"]


def test_a_check_without_notification_has_no_receipts(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    quiet = emu.record_alert_check(alert_id, state="Not firing", calculated_value=80.0)
    held = emu.record_alert_check(alert_id, notify=False)

    for check in (quiet, held):
        assert (check["deliveries"], check["targets_notified"]) == (None, False)
        assert check["notification_sent_at"] is None
    assert client.get(f"{ALERTS}{alert_id}/").json()["last_notified_at"] is None


def test_errors_are_sanitised_except_email_unavailable(
    emu: Emulator, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    failed = emu.record_alert_check(
        alert_id, state="Errored", notify=False, error={"message": "Traceback: secret"}
    )
    no_email = emu.record_alert_check(
        alert_id, error={"code": "email_unavailable", "message": "Email is not configured."}
    )

    assert failed["error"] == {
        "message": "This alert encountered an error. Check the alert configuration and try again."
    }
    assert no_email["error"] == {"code": "email_unavailable", "message": "Email is not configured."}


def test_given_delivery_records_replace_the_computed_ones(
    emu: Emulator, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(subscribed_users=[])["id"]
    row = {
        "channel": "hog_function",
        "target": "Signups: Discord",
        "target_id": "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10",
        "template": "discord",
        "status": "accepted",
        "at": "2026-01-01T00:00:00+00:00",
    }

    check = emu.record_alert_check(alert_id, deliveries=[row])

    assert check["deliveries"] == [{**row, "display_label": "Signups: Discord · 3e10"}]


def test_retrieve_pages_checks_newest_first_and_lists_show_none(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    checks = [emu.record_alert_check(alert_id, calculated_value=float(i)) for i in range(7)]

    default = client.get(f"{ALERTS}{alert_id}/").json()
    paged = client.get(f"{ALERTS}{alert_id}/", params={"checks_limit": 2, "checks_offset": 1})
    listed = client.get(ALERTS).json()["results"][0]

    assert [c["id"] for c in default["checks"]] == [c["id"] for c in reversed(checks)][:5]
    assert default["checks_total"] == 7
    assert [c["calculated_value"] for c in paged.json()["checks"]] == [5.0, 4.0]
    assert listed["checks"] == []


def test_deleting_the_alert_drops_its_checks(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    emu.record_alert_check(alert_id)
    client.delete(f"{ALERTS}{alert_id}/")

    with pytest.raises(KeyError):
        emu.record_alert_check(alert_id)
