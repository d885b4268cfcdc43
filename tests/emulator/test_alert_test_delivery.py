"""``alerts/{id}/test-delivery/`` (destinations contract §6): answers and what was "sent"."""

from __future__ import annotations

from typing import Any

import httpx

from alertsync.emulator import Emulator, default_seed
from tests.builders import ALERTS, HOG_FUNCTIONS, client_for, create_destination, valid_body

from .conftest import MakeAlert

NOTHING = {"detail": "Add an email recipient or active destination before sending a test."}
NO_EMAIL = {
    "detail": "Email delivery is unavailable for this instance. Configure email settings "
    "before trying again."
}
NOT_STARTED = {
    "detail": "Unable to start the test delivery. Check the configured channels and try again."
}


def _test(http: httpx.Client, alert_id: str) -> httpx.Response:
    return http.post(f"{ALERTS}{alert_id}/test-delivery/")


def _emulator(**features: bool) -> Emulator:
    seed = default_seed()
    seed["features"].update(features)
    return Emulator(seed=seed)


def test_sends_to_subscribers_and_active_destinations(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert = make_alert(name="Signups dropped", subscribed_users=[1, 2])
    slack = create_destination(client, alert["id"])
    webhook = create_destination(client, alert["id"], "webhook")

    response = _test(client, alert["id"])

    assert response.status_code == 202
    assert response.json() == {
        "destination_count": 2,
        "email_recipient_count": 2,
        "failed_delivery_channels": [],
    }
    (sent,) = emu.test_deliveries
    assert sent.alert_id == alert["id"]
    assert sent.emails == ("ada@example.com", "grace@example.com")
    assert [d.hog_function_id for d in sent.destinations] == [slack["id"], webhook["id"]]
    assert [d.template for d in sent.destinations] == ["slack", "webhook"]
    assert sent.destinations[0].inputs["channel"] == "C0123456789"
    assert sent.event_properties == {
        "alert_id": alert["id"],
        "alert_name": "[TEST] Signups dropped",
        "insight_id": 101,
        "insight_name": "Daily signups",
        "breaches": "Test alert from PostHog. No action is needed.",
        "is_test": True,
    }
    assert sent.failed_delivery_channels == ()


def test_disabled_deleted_and_other_alerts_destinations_are_not_sent(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id, other_id = make_alert()["id"], make_alert()["id"]
    create_destination(client, alert_id, enabled=False)
    gone = create_destination(client, alert_id, "discord")
    client.patch(f"{HOG_FUNCTIONS}{gone['id']}/", json={"deleted": True})
    create_destination(client, other_id, "teams")

    response = _test(client, alert_id)

    assert response.json()["destination_count"] == 0
    assert emu.test_deliveries[0].destinations == ()


def test_nothing_to_send_is_409_with_a_plain_body(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(subscribed_users=[])["id"]
    create_destination(client, alert_id, enabled=False)

    response = _test(client, alert_id)

    assert (response.status_code, response.json()) == (409, NOTHING)
    assert emu.test_deliveries == []


def test_email_as_the_only_channel_without_email_is_503() -> None:
    with _emulator(email_available=False) as emu, client_for(emu) as http:
        alert_id = http.post(ALERTS, json=valid_body()).json()["id"]
        response = _test(http, alert_id)
        sent = emu.test_deliveries

    assert (response.status_code, response.json()) == (503, NO_EMAIL)
    assert sent == []


def test_destinations_that_cannot_be_triggered_alone_are_503() -> None:
    with _emulator(internal_events_available=False) as emu, client_for(emu) as http:
        alert_id = http.post(ALERTS, json=valid_body(subscribed_users=[])).json()["id"]
        create_destination(http, alert_id)
        response = _test(http, alert_id)

    assert (response.status_code, response.json()) == (503, NOT_STARTED)


def test_a_failed_channel_is_reported_when_another_one_worked() -> None:
    with _emulator(email_available=False) as emu, client_for(emu) as http:
        alert_id = http.post(ALERTS, json=valid_body()).json()["id"]
        create_destination(http, alert_id)
        response = _test(http, alert_id)
        (sent,) = emu.test_deliveries

    body: dict[str, Any] = response.json()
    assert (response.status_code, body["failed_delivery_channels"]) == (202, ["email"])
    assert (body["destination_count"], body["email_recipient_count"]) == (1, 0)
    assert sent.emails == () and sent.failed_delivery_channels == ("email",)


def test_unknown_alert_is_404_and_older_servers_have_no_endpoint(client: httpx.Client) -> None:
    assert _test(client, "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10").status_code == 404
    with _emulator(test_delivery=False) as emu, client_for(emu) as http:
        alert_id = http.post(ALERTS, json=valid_body()).json()["id"]
        assert _test(http, alert_id).status_code == 404


def test_recorded_deliveries_can_be_cleared(emu: Emulator, make_alert: MakeAlert) -> None:
    with client_for(emu) as http:
        _test(http, make_alert()["id"])

    emu.clear_test_deliveries()

    assert emu.test_deliveries == []
