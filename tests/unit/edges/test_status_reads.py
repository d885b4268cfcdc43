"""The client's reads for `status`, against the emulator: alerts retrieved with their checks
(an alert deleted since the listing left out, progress reported), and every alert
destination of the project in one listing."""

from __future__ import annotations

from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.emulator import Emulator
from tests.builders import ALERTS, client_for, create_destination, valid_body


def client(emu: Emulator) -> PostHogClient:
    conn = Connection(emu.base_url, str(emu.project_id), emu.api_key)
    return PostHogClient(conn, Tuning(concurrency=4, retry_base_delay=0.001))


def made(emu: Emulator, count: int) -> list[str]:
    with client_for(emu) as http:
        return [
            http.post(ALERTS, json=valid_body(name=f"Alert {i}")).json()["id"] for i in range(count)
        ]


def test_alerts_come_with_their_checks_and_progress(emulator: Emulator) -> None:
    ids = made(emulator, 5)
    for check in range(7):
        emulator.record_check(ids[0], state="Not firing", at=f"2025-06-0{check + 1}T01:00:00Z")
    gone = "0197a5c2-0000-7000-8000-000000000000"
    seen: list[tuple[int, int]] = []
    with client(emulator) as posthog:
        found = posthog.alerts_with_checks([*ids, gone], 3, lambda *done: seen.append(done))
    by_id = {alert["id"]: alert for alert in found}
    assert sorted(by_id) == sorted(ids)
    assert [c["created_at"] for c in by_id[ids[0]]["checks"]] == [
        "2025-06-07T01:00:00Z",
        "2025-06-06T01:00:00Z",
        "2025-06-05T01:00:00Z",
    ]
    assert by_id[ids[0]]["checks_total"] == 7
    assert sorted(seen) == [(n, 6) for n in range(1, 7)]


def test_every_alert_destination_in_one_listing(emulator: Emulator) -> None:
    first, second = made(emulator, 2)
    with client_for(emulator) as http:
        mine = {create_destination(http, first)["id"], create_destination(http, second)["id"]}
        mine.add(create_destination(http, first, "webhook")["id"])
        pageviews = {
            "type": "destination",
            "template_id": "template-webhook",
            "enabled": True,
            "filters": {"events": [{"id": "$pageview", "type": "events"}]},
            "inputs": {"url": {"value": "https://hooks.example.com/x"}},
        }
        response = http.post("/api/projects/1/hog_functions/", json=pageviews)
        assert response.status_code == 201, response.text
    with client(emulator) as posthog:
        listed = posthog.alert_destinations()
    assert {function["id"] for function in listed} == mine
    assert all("status" in function and "filters" in function for function in listed)
