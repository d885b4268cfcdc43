"""Read shapes: key order, nested objects, timestamps, ids, checks only where PostHog has them."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from alertsync.emulator import Emulator
from tests.builders import ALERTS

from .conftest import MakeAlert

HEAD = [
    "id", "created_by", "created_at", "insight", "insight_short_id", "insight_display_name",
    "name", "subscribed_users", "threshold", "condition", "state", "enabled", "last_notified_at",
    "last_checked_at", "next_check_at",
]  # fmt: skip
TAIL = [
    "config", "detector_config", "calculation_interval", "snoozed_until", "skip_weekend",
    "schedule_restriction", "last_value", "investigation_agent_enabled",
    "investigation_gates_notifications", "investigation_inconclusive_action",
]  # fmt: skip
USER_KEYS = [
    "id", "uuid", "distinct_id", "first_name", "last_name", "email", "is_email_verified",
    "hedgehog_config", "role_at_organization",
]  # fmt: skip
INSIGHT_KEYS = [
    "id", "short_id", "name", "derived_name", "filters", "query", "dashboards",
    "dashboard_tiles", "description", "last_refresh", "refreshing", "saved", "tags",
    "updated_at", "created_by", "created_at", "last_modified_at", "favorited",
    "user_access_level", "last_viewed_at",
]  # fmt: skip
DRF_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def test_post_response_has_exact_keys_in_order_and_no_checks(make_alert: MakeAlert) -> None:
    created = make_alert()

    assert list(created) == HEAD + TAIL


def test_list_items_add_empty_checks_but_no_total(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert()

    item = client.get(ALERTS).json()["results"][0]

    assert list(item) == [*HEAD, "checks", *TAIL]
    assert item["checks"] == []
    assert {**item, "checks": None} == {**created, "checks": None}


def test_retrieve_adds_checks_and_checks_total(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]

    retrieved = client.get(f"{ALERTS}{alert_id}").json()

    assert list(retrieved) == [*HEAD, "checks", "checks_total", *TAIL]
    assert (retrieved["checks"], retrieved["checks_total"]) == ([], 0)


def test_patch_and_put_responses_have_no_checks(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert()
    path = f"{ALERTS}{created['id']}/"
    put_body = {"insight": 101, "subscribed_users": [1], "threshold": created["threshold"]}

    patched = client.patch(path, json={"name": "x"}).json()
    put = client.put(path, json=put_body).json()

    assert list(patched) == HEAD + TAIL
    assert list(put) == HEAD + TAIL


def test_defaults_of_a_minimal_create(client: httpx.Client) -> None:
    minimal = {
        "insight": 101,
        "subscribed_users": [],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 1}}},
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
    }

    created = client.post(ALERTS, json=minimal).json()

    assert (created["name"], created["subscribed_users"]) == ("", [])
    assert created["state"] == "Not firing"
    assert created["enabled"] is True
    assert created["skip_weekend"] is False
    assert created["calculation_interval"] == "daily"
    assert created["threshold"]["name"] == ""
    assert created["detector_config"] is None
    assert created["schedule_restriction"] is None
    assert created["investigation_inconclusive_action"] == "notify"
    for key in ("last_notified_at", "last_checked_at", "next_check_at", "snoozed_until"):
        assert created[key] is None
    assert created["last_value"] is None


def test_nested_objects_are_rendered_in_full(make_alert: MakeAlert) -> None:
    created = make_alert(subscribed_users=[2, 1, 2])

    assert list(created["created_by"]) == USER_KEYS
    assert created["created_by"]["email"] == "ada@example.com"
    assert [user["email"] for user in created["subscribed_users"]] == [
        "ada@example.com",
        "grace@example.com",
    ]
    insight: dict[str, Any] = created["insight"]
    assert list(insight) == INSIGHT_KEYS
    assert (insight["id"], insight["short_id"], insight["name"]) == (
        101,
        "Ab3dE9fG",
        "Daily signups",
    )
    assert insight["query"]["source"]["kind"] == "TrendsQuery"
    assert list(insight["created_by"]) == USER_KEYS
    assert list(created["threshold"]) == ["id", "created_at", "name", "configuration"]


def test_threshold_configuration_is_stored_verbatim(make_alert: MakeAlert) -> None:
    configuration = {"bounds": {"upper": 100, "lower": None}, "type": "absolute"}

    created = make_alert(threshold={"name": "ceiling", "configuration": configuration})

    assert created["threshold"]["configuration"] == configuration
    assert list(created["threshold"]["configuration"]) == ["bounds", "type"]
    assert created["threshold"]["name"] == "ceiling"


def test_timestamps_render_like_drf_and_ids_are_time_ordered(make_alert: MakeAlert) -> None:
    first, second = make_alert(), make_alert()

    for alert in (first, second):
        assert DRF_DATETIME.match(alert["created_at"])
        assert DRF_DATETIME.match(alert["threshold"]["created_at"])
        assert uuid.UUID(alert["id"]).version == 7
    assert first["id"] < second["id"]
    assert first["threshold"]["id"] < first["id"]
    assert first["created_at"] < second["created_at"]


def test_emulator_alerts_returns_list_items_newest_first(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    make_alert(name="old")
    make_alert(name="new")

    stored = emu.alerts()

    assert [alert["name"] for alert in stored] == ["new", "old"]
    assert stored == client.get(ALERTS).json()["results"]
    stored[0]["insight"]["query"]["kind"] = "changed by the caller"
    assert emu.alerts()[0]["insight"]["query"]["kind"] == "InsightVizNode"
