"""Destination health from the hog-functions API: PostHog's states, `enabled: false`, the
grouping by alert id, and the last delivery the checks recorded."""

from __future__ import annotations

import pytest

from alertsync.core.destination_health import by_alert, destination_status, owner_alert_id
from tests.builders import alert_filters, check_row, hog_function


@pytest.mark.parametrize(
    ("state", "health", "words"),
    [
        (0, "unknown", "no verdict"),
        (1, "healthy", "healthy"),
        (2, "degraded", "degraded by PostHog"),
        (3, "disabled", "disabled by PostHog"),
        (4, "disabled", "older PostHog"),
        (11, "degraded", "forcefully degraded"),
        (12, "disabled", "forcefully disabled"),
        (7, "unknown", "unknown state 7"),
    ],
)
def test_posthog_states_read_as_their_health(state: int, health: str, words: str) -> None:
    status = destination_status(hog_function("f1", "a1", status={"state": state}), [])
    assert (status.health, status.state) == (health, state)
    assert words in status.reason


def test_a_function_not_enabled_is_disabled_whatever_its_state() -> None:
    """PostHog reports state 0 for a disabled function (HogFunction.status)."""
    raw = hog_function("f1", "a1", enabled=False, status={"state": 0, "tokens": 0})
    status = destination_status(raw, [])
    assert (status.health, status.condition) == ("disabled", "destination-disabled")
    assert "enabled: false" in status.reason


def test_no_status_at_all_is_unknown_not_healthy() -> None:
    status = destination_status(hog_function("f1", "a1", status=None), [])
    assert (status.health, status.condition) == ("unknown", None)


def test_the_kind_is_the_template_s() -> None:
    teams = hog_function("f1", "a1", template={"id": "template-microsoft-teams"})
    assert destination_status(teams, []).kind == "microsoft-teams"
    assert destination_status(hog_function("f2", "a1", template=None), []).kind == "destination"


def test_the_last_delivery_is_the_newest_receipt_for_this_destination() -> None:
    receipt = {"channel": "hog_function", "target_id": "f1", "status": "accepted"}
    checks = [
        check_row("Not firing", "2025-06-04T01:00:00Z"),
        check_row(
            "Firing",
            "2025-06-03T01:00:00Z",
            id="c2",
            deliveries=[
                {"channel": "email", "target": "ada@example.com", "status": "accepted"},
                {**receipt, "target_id": "f2", "at": "2025-06-03T01:00:05+00:00"},
                {**receipt, "at": "2025-06-03T01:00:04.5+00:00"},
            ],
        ),
        check_row("Firing", "2025-06-02T01:00:00Z", deliveries=[{**receipt, "at": None}]),
    ]
    delivery = destination_status(hog_function("f1", "a1"), checks).last_delivery
    assert delivery is not None
    assert (delivery.status, delivery.at, delivery.check_id) == (
        "accepted",
        "2025-06-03T01:00:04Z",
        "c2",
    )
    assert destination_status(hog_function("f9", "a1"), checks).last_delivery is None


def test_destinations_are_grouped_by_the_alert_their_filter_names() -> None:
    listed = [
        hog_function("f2", "a1", "B"),
        hog_function("f1", "a1", "A"),
        hog_function("f3", "a2"),
        hog_function("f4", "a3", filters={"events": [{"id": "$insight_alert_firing"}]}),
        hog_function("f5", "a3", type="destination"),
    ]
    grouped = by_alert(listed)
    assert {alert: [f["id"] for f in found] for alert, found in grouped.items()} == {
        "a1": ["f1", "f2"],
        "a2": ["f3"],
    }


def test_an_alert_id_given_as_a_one_item_list_is_read() -> None:
    filters = alert_filters("a1")
    filters["properties"][0]["value"] = ["a1"]
    assert owner_alert_id({"filters": filters}) == "a1"
    assert owner_alert_id({"filters": None}) is None
