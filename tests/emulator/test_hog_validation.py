"""Hog-function validation: PostHog's messages, attrs and order (destinations contract §4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import HOG_FUNCTIONS, client_for, destination_body, error

from .conftest import MakeAlert

ALERT_ID = "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10"
MANAGED = "Alert notification destinations are managed through the alert API."


def _post(client: httpx.Client, body: Any) -> httpx.Response:
    return client.post(HOG_FUNCTIONS, json=body)


def _with_inputs(kind: str, **inputs: Any) -> dict[str, Any]:
    body = destination_body(ALERT_ID, kind)
    body["inputs"] = {**body["inputs"], **inputs}
    return body


@pytest.mark.parametrize(
    ("body", "attr", "detail", "code"),
    [
        (
            destination_body(ALERT_ID, template_id="template-pagerduty-x"),
            "template_id",
            "No template found for id 'template-pagerduty-x'",
            "invalid_input",
        ),
        ({"type": "internal_destination", "name": "no code"}, "hog", "Required.", "invalid_input"),
        (
            destination_body(ALERT_ID, type="alert_destination"),
            "type",
            '"alert_destination" is not a valid choice.',
            "invalid_choice",
        ),
        (
            destination_body(ALERT_ID, enabled="maybe"),
            "enabled",
            "Must be a valid boolean.",
            "invalid_input",
        ),
        (
            destination_body(ALERT_ID, name="x" * 401),
            "name",
            "Ensure this field has no more than 400 characters.",
            "max_length",
        ),
        (
            destination_body(ALERT_ID, filters={"source": "internal-events"}),
            "filters__source",
            '"internal-events" is not a valid choice.',
            "invalid_choice",
        ),
        (
            destination_body(ALERT_ID, filters={"events": "$pageview"}),
            "filters__events",
            'Expected a list of items but got type "str".',
            "not_a_list",
        ),
        (
            destination_body(ALERT_ID, filters=["not", "an", "object"]),
            "filters__non_field_errors",
            "Invalid data. Expected a dictionary, but got list.",
            "invalid_input",
        ),
        (
            destination_body(ALERT_ID, inputs=["x"]),
            "inputs",
            'Expected a dictionary of items but got type "list".',
            "not_a_dict",
        ),
        (
            destination_body(ALERT_ID, masking={"hash": "{person.id}"}),
            "masking__ttl",
            "This field is required.",
            "required",
        ),
    ],
)
def test_field_errors(
    client: httpx.Client, body: dict[str, Any], attr: str, detail: str, code: str
) -> None:
    response = _post(client, body)

    assert response.status_code == 400
    assert response.json() == error(code, detail, attr)


@pytest.mark.parametrize(
    ("kind", "inputs", "attr", "detail"),
    [
        ("slack", {"channel": {"value": ""}}, "inputs__channel", "This field is required."),
        ("slack", {"channel": {}}, "inputs__channel", "This field is required."),
        ("webhook", {"url": {"value": 5}}, "inputs__url", "Value must be a string."),
        (
            "slack",
            {"slack_workspace": {"value": "42"}},
            "inputs__slack_workspace",
            "Value must be an Integration ID.",
        ),
        ("webhook", {"headers": {"value": "x"}}, "inputs__headers", "Value must be a dictionary."),
        (
            "webhook",
            {"debug": {"value": 1}},
            "inputs__debug",
            "Value must be a boolean or a template string.",
        ),
        (
            "slack",
            {"channel": "C0123456789"},
            "inputs__channel__non_field_errors",
            "Invalid data. Expected a dictionary, but got str.",
        ),
        ("slack", {"text": {"value": None}}, "inputs__text__value", "This field may not be null."),
    ],
)
def test_input_errors_carry_the_input_key(
    client: httpx.Client, kind: str, inputs: dict[str, Any], attr: str, detail: str
) -> None:
    response = _post(client, _with_inputs(kind, **inputs))

    assert response.status_code == 400
    assert response.json()["attr"] == attr
    assert response.json()["detail"] == detail


def test_the_first_failing_input_in_schema_order_is_reported(client: httpx.Client) -> None:
    body = _with_inputs("slack", channel={"value": ""}, slack_workspace={"value": "x"})

    response = _post(client, body)

    assert response.json()["attr"] == "inputs__slack_workspace"


def test_a_required_input_without_default_is_refused_when_left_out(client: httpx.Client) -> None:
    body = destination_body(ALERT_ID, "webhook")
    del body["inputs"]["url"]

    response = _post(client, body)

    assert response.json() == error("invalid_input", "This field is required.", "inputs__url")


def test_a_required_input_with_a_default_takes_the_default(client: httpx.Client) -> None:
    body = destination_body(ALERT_ID, "discord")
    del body["inputs"]["content"], body["inputs"]["allowedMentions"]

    created = _post(client, body)

    assert created.status_code == 201, created.text
    inputs = created.json()["inputs"]
    assert inputs["content"]["value"] == "**{person.name}** triggered event: '{event.event}'"
    assert inputs["allowedMentions"] == {
        "value": "none",
        "order": inputs["allowedMentions"]["order"],
    }


def test_field_errors_come_before_the_missing_code_check(client: httpx.Client) -> None:
    response = _post(client, {"type": "internal_destination", "enabled": "maybe"})

    assert response.json()["attr"] == "enabled"


def test_a_body_that_is_not_an_object_fails_inside_posthog(client: httpx.Client) -> None:
    response = _post(client, ["not", "an", "object"])

    assert response.status_code == 500
    assert response.json()["type"] == "server_error"


@pytest.mark.parametrize(
    "event", ["$logs_alert_firing", "$error_tracking_alert_resolved", "$session_vision_alert_match"]
)
def test_managed_alert_events_are_refused_on_create(client: httpx.Client, event: str) -> None:
    body = destination_body(ALERT_ID, filters={"events": [{"id": event, "type": "events"}]})

    response = _post(client, body)

    assert response.json() == error("invalid_input", MANAGED, "filters")


def test_insight_alert_firing_is_exempt_from_the_guard(client: httpx.Client) -> None:
    assert _post(client, destination_body(ALERT_ID)).status_code == 201


def test_the_guard_also_refuses_an_update_onto_a_managed_event(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = _post(client, destination_body(make_alert()["id"])).json()
    moved = {"filters": {"events": [{"id": "$logs_alert_firing", "type": "events"}]}}

    response = client.patch(f"{HOG_FUNCTIONS}{created['id']}/", json=moved)

    assert response.json() == error("invalid_input", MANAGED, "filters")


def test_a_server_without_the_exemption_refuses_insight_alerts_too() -> None:
    seed = default_seed()
    seed["features"]["insight_alert_event_exempt"] = False
    with Emulator(seed=seed) as emu, client_for(emu) as http:
        response = _post(http, destination_body(ALERT_ID))

    assert response.json() == error("invalid_input", MANAGED, "filters")


def test_an_older_server_has_no_guard() -> None:
    seed = default_seed()
    seed["features"]["managed_alert_event_guard"] = False
    body = destination_body(ALERT_ID, filters={"events": [{"id": "$logs_alert_firing"}]})
    with Emulator(seed=seed) as emu, client_for(emu) as http:
        response = _post(http, body)

    assert response.status_code == 201
