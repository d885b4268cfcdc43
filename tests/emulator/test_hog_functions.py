"""Hog functions, path A: create and the read shapes (destinations contract §2, §3.2, §3.3)."""

from __future__ import annotations

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    GROWTH_ALERTS,
    HOG_FUNCTIONS,
    alert_filters,
    create_destination,
    destination_body,
)

from .conftest import MakeAlert

FULL_FIELDS = [
    "id", "type", "name", "description", "created_at", "created_by", "updated_at", "enabled",
    "hog", "bytecode", "transpiled", "inputs_schema", "inputs", "filters", "masking", "mappings",
    "icon_url", "template", "status", "execution_order", "batch_export_id", "search_match_type",
    "version", "draft", "draft_updated_at",
]  # fmt: skip


def test_create_answers_201_with_the_full_serializer(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    created = create_destination(client, alert_id)

    assert list(created) == FULL_FIELDS
    assert created["type"] == "internal_destination"
    assert created["name"] == "Signups dropped: slack"
    assert created["enabled"] is True
    assert created["created_by"]["email"] == "ada@example.com"
    assert created["created_at"] == created["updated_at"]
    assert created["version"] == 1
    assert (created["draft"], created["draft_updated_at"], created["transpiled"]) == (None,) * 3
    assert created["masking"] is None and created["mappings"] is None
    assert created["status"] == {"state": 1, "tokens": 10000}
    assert created["search_match_type"] is None
    for write_only in ("template_id", "deleted", "base_updated_at", "_create_in_folder"):
        assert write_only not in created


def test_create_fills_code_schema_icon_and_description_from_the_template(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = create_destination(client, make_alert()["id"], kind="webhook", name="")

    assert created["name"] == "HTTP Webhook"  # an empty name takes the template's
    assert created["description"]
    assert created["icon_url"] == "/static/services/webhook.svg"
    assert created["template"]["id"] == "template-webhook"
    assert created["hog"] == created["template"]["code"]
    assert [item["key"] for item in created["inputs_schema"]] == [
        "url", "method", "body", "headers", "debug"
    ]  # fmt: skip
    assert created["bytecode"][:2] == ["_H", 1]


def test_schema_items_come_back_in_the_serializer_key_order_with_defaults(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = create_destination(client, make_alert()["id"])

    workspace = created["inputs_schema"][0]
    assert list(workspace) == [
        "type", "key", "label", "required", "secret", "hidden", "integration", "requiredScopes"
    ]  # fmt: skip
    assert (workspace["required"], workspace["secret"]) == (True, False)


def test_inputs_come_back_enriched_and_schema_keys_without_values_read_null(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = create_destination(client, make_alert()["id"])

    inputs = created["inputs"]
    assert list(inputs) == [
        "slack_workspace", "channel", "icon_emoji", "username", "blocks", "text", "thread_ts"
    ]  # fmt: skip
    assert inputs["slack_workspace"] == {"value": 42, "order": 0}
    assert inputs["channel"] == {"value": GROWTH_ALERTS, "order": 1}
    assert inputs["icon_emoji"] is None and inputs["thread_ts"] is None
    assert inputs["text"]["value"] == "Alert triggered: {event.properties.insight_name}"
    assert inputs["text"]["bytecode"][:4] == ["_H", 1, 32, "Alert triggered: "]
    assert inputs["blocks"]["bytecode"][0]["text"]["text"][:2] == ["_H", 1]
    assert {inputs[key]["order"] for key in ("blocks", "text")} == {2, 3}


def test_inputs_that_reference_other_inputs_are_ordered_after_them(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    body = destination_body(make_alert()["id"], "webhook")
    body["inputs"]["url"] = {"value": "https://hooks.example.com/{inputs.method}"}

    created = client.post(HOG_FUNCTIONS, json=body).json()

    orders = {key: item["order"] for key, item in created["inputs"].items() if item}
    assert orders["url"] > orders["method"]


def test_inputs_outside_the_schema_are_dropped_and_read_only_keys_ignored(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    body = destination_body(make_alert()["id"])
    body["inputs"]["not_in_schema"] = {"value": "x"}
    body["inputs"]["channel"] = {"value": GROWTH_ALERTS, "order": 99, "bytecode": ["junk"]}

    created = client.post(HOG_FUNCTIONS, json=body).json()

    assert "not_in_schema" not in created["inputs"]
    assert created["inputs"]["channel"] == {"value": GROWTH_ALERTS, "order": 1}


def test_filters_come_back_with_default_source_and_compiled_bytecode(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    body = destination_body(alert_id)
    body["filters"] = {**alert_filters(alert_id), "unknown": 1, "bytecode": ["stale"]}

    filters = client.post(HOG_FUNCTIONS, json=body).json()["filters"]

    assert list(filters) == ["source", "events", "properties", "bytecode"]
    assert filters["source"] == "events"
    assert filters["bytecode"][:2] == ["_H", 1] and "stale" not in filters["bytecode"]


@pytest.mark.parametrize("kind", ["slack", "webhook", "discord", "teams"])
def test_each_destination_kind_is_created_with_its_template(
    client: httpx.Client, make_alert: MakeAlert, kind: str
) -> None:
    created = create_destination(client, make_alert()["id"], kind)

    template = "microsoft-teams" if kind == "teams" else kind
    assert created["template"]["id"] == f"template-{template}"
    assert all(not item.get("secret") for item in created["inputs_schema"])


def test_type_defaults_to_destination_and_enabled_to_false(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    body = destination_body(make_alert()["id"])
    del body["type"], body["enabled"]

    created = client.post(HOG_FUNCTIONS, json=body).json()

    assert created["type"] == "destination"
    assert created["enabled"] is False
    assert created["status"] == {"state": 0, "tokens": 0}  # not enabled: the default state


def test_a_function_without_template_keeps_what_was_sent(client: httpx.Client) -> None:
    body = {"type": "internal_destination", "hog": "return 1", "name": "custom"}

    created = client.post(HOG_FUNCTIONS, json=body).json()

    assert created["template"] is None
    assert (created["inputs_schema"], created["inputs"], created["filters"]["source"]) == (
        [],
        {},
        "events",
    )
    assert created["icon_url"] is None and created["description"] == ""


def test_secret_inputs_read_as_a_marker_and_a_resent_marker_keeps_the_value(
    emu: Emulator, client: httpx.Client
) -> None:
    schema = [{"key": "token", "type": "string", "secret": True, "required": True}]
    body = {"type": "destination", "hog": "return 1", "inputs_schema": schema}
    created = client.post(HOG_FUNCTIONS, json={**body, "inputs": {"token": {"value": "s3cr3t"}}})

    function_id = created.json()["id"]
    patched = client.patch(
        f"{HOG_FUNCTIONS}{function_id}/", json={"inputs": {"token": {"secret": True}}}
    )

    assert created.json()["inputs"] == {"token": {"secret": True}}
    assert patched.status_code == 200, patched.text
    assert patched.json()["inputs"] == {"token": {"secret": True}}
    assert "s3cr3t" not in str(emu.hog_functions())


def test_destinations_created_in_another_prefix_share_one_project(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    body = destination_body(make_alert()["id"])

    created = client.post("/api/environments/1/hog_functions", json=body)
    fetched = client.get(f"{HOG_FUNCTIONS}{created.json()['id']}")

    assert created.status_code == 201
    assert fetched.status_code == 200
    assert fetched.json() == created.json()
