"""Path B: ``alerts/{id}/destinations/`` and ``…/delete/`` (destinations contract §5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import ALERTS, HOG_FUNCTIONS, client_for, create_destination, error, valid_body

from .conftest import MakeAlert

SLACK = {
    "slack_workspace_id": 42,
    "slack_channel_id": "C0123456789",
    "slack_channel_name": "growth-alerts",
}
UNKNOWN = "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10"


def _create(client: httpx.Client, alert_id: str, body: Any) -> httpx.Response:
    return client.post(f"{ALERTS}{alert_id}/destinations/", json=body)


def _delete(client: httpx.Client, alert_id: str, body: Any) -> httpx.Response:
    return client.post(f"{ALERTS}{alert_id}/destinations/delete/", json=body)


def test_create_makes_the_path_a_slack_function(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(name="Signups dropped")["id"]

    response = _create(client, alert_id, SLACK)

    assert response.status_code == 201
    (function_id,) = response.json()["hog_function_ids"]
    assert list(response.json()) == ["hog_function_ids"]
    function = client.get(f"{HOG_FUNCTIONS}{function_id}/").json()
    assert function["name"] == "Signups dropped: Slack #growth-alerts"
    assert (function["type"], function["enabled"]) == ("internal_destination", True)
    assert function["template"]["id"] == "template-slack"
    assert function["filters"]["source"] == "internal-events"
    assert function["filters"]["events"] == [{"id": "$insight_alert_firing", "type": "events"}]
    assert function["filters"]["properties"] == [
        {"key": "alert_id", "value": alert_id, "operator": "exact", "type": "event"}
    ]
    inputs = function["inputs"]
    assert (inputs["slack_workspace"]["value"], inputs["channel"]["value"]) == (42, "C0123456789")
    assert inputs["text"]["value"] == "Alert triggered: {event.properties.insight_name}"
    header = inputs["blocks"]["value"][0]["text"]["text"]
    assert header == (
        "Alert '{event.properties.alert_name}' firing for insight '{event.properties.insight_name}'"
    )
    actions = inputs["blocks"]["value"][-1]
    assert actions["block_id"] == "insight_alert_snooze:{event.properties.alert_id}"


def test_a_path_b_destination_can_be_disabled_through_path_a(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    (function_id,) = _create(client, alert_id, SLACK).json()["hog_function_ids"]

    patched = client.patch(f"{HOG_FUNCTIONS}{function_id}/", json={"enabled": False})

    assert patched.status_code == 200, patched.text
    assert patched.json()["filters"]["source"] == "internal-events"


def test_names_fall_back_to_alert_and_channel(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert(name="")["id"]
    body = {"slack_workspace_id": 42, "slack_channel_id": "C0123456789"}

    (function_id,) = _create(client, alert_id, body).json()["hog_function_ids"]

    assert client.get(f"{HOG_FUNCTIONS}{function_id}/").json()["name"] == "Alert: Slack #channel"


@pytest.mark.parametrize(
    ("body", "attr", "detail", "code"),
    [
        (
            {**SLACK, "type": "webhook"},
            "type",
            '"webhook" is not a valid choice.',
            "invalid_choice",
        ),
        ({"slack_channel_id": "C1"}, "slack_workspace_id", "This field is required.", "required"),
        (
            {**SLACK, "slack_workspace_id": 0},
            "slack_workspace_id",
            "slack_workspace_id is required for Slack destinations.",
            "invalid_input",
        ),
        (
            {**SLACK, "slack_channel_id": " "},
            "slack_channel_id",
            "This field may not be blank.",
            "blank",
        ),
        ([SLACK], None, "Invalid data. Expected a dictionary, but got list.", "invalid_input"),
    ],
)
def test_create_validation(
    client: httpx.Client,
    make_alert: MakeAlert,
    body: Any,
    attr: str | None,
    detail: str,
    code: str,
) -> None:
    response = _create(client, make_alert()["id"], body)

    assert response.status_code == 400
    assert response.json() == error(code, detail, attr)


def test_an_unknown_alert_is_404_before_the_body_is_read(client: httpx.Client) -> None:
    assert _create(client, UNKNOWN, {}).status_code == 404
    assert _delete(client, UNKNOWN, {}).status_code == 404


def test_at_most_five_destinations_per_alert(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]
    for index in range(5):
        create_destination(
            client, alert_id, "webhook", inputs={"url": {"value": f"https://h/{index}"}}
        )

    response = _create(client, alert_id, SLACK)

    assert response.json() == error(
        "invalid_input", "Maximum number of destinations (5) reached for this alert."
    )


def test_the_same_channel_twice_is_refused(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]
    _create(client, alert_id, SLACK)

    response = _create(client, alert_id, {**SLACK, "slack_channel_name": "renamed"})

    assert response.json() == error(
        "invalid_input", "This destination is already configured for this alert."
    )


def test_delete_soft_deletes_this_alerts_destinations(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    (slack_id,) = _create(client, alert_id, SLACK).json()["hog_function_ids"]
    webhook = create_destination(client, alert_id, "webhook")

    response = _delete(client, alert_id, {"hog_function_ids": [slack_id, webhook["id"]]})

    assert (response.status_code, response.content) == (204, b"")
    states = {
        f["id"]: (f["deleted"], f["enabled"]) for f in emu.hog_functions(include_deleted=True)
    }
    assert states == {slack_id: (True, False), webhook["id"]: (True, False)}


def test_ids_of_other_alerts_are_refused_and_nothing_is_deleted(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    mine, other = make_alert()["id"], make_alert()["id"]
    (own_id,) = _create(client, mine, SLACK).json()["hog_function_ids"]
    (foreign_id,) = _create(client, other, SLACK).json()["hog_function_ids"]

    response = _delete(client, mine, {"hog_function_ids": [foreign_id, own_id, UNKNOWN]})

    strangers = ", ".join(sorted([foreign_id, UNKNOWN]))
    assert response.json() == error(
        "invalid_input",
        f"These HogFunctions do not belong to this alert: {strangers}. "
        "Refresh the alert and try again.",
        "hog_function_ids",
    )
    assert all(not f["deleted"] for f in emu.hog_functions(include_deleted=True))


@pytest.mark.parametrize(
    ("ids", "attr", "detail", "code"),
    [
        ([], "hog_function_ids", "This list may not be empty.", "empty"),
        (["nope"], "hog_function_ids__0", "Must be a valid UUID.", "invalid_input"),
        (
            [UNKNOWN] * 101,
            "hog_function_ids",
            "Ensure this field has no more than 100 elements.",
            "max_length",
        ),
        ("x", "hog_function_ids", 'Expected a list of items but got type "str".', "not_a_list"),
    ],
)
def test_delete_validation(
    client: httpx.Client, make_alert: MakeAlert, ids: Any, attr: str, detail: str, code: str
) -> None:
    response = _delete(client, make_alert()["id"], {"hog_function_ids": ids})

    assert response.json() == error(code, detail, attr)


def test_deleting_part_of_a_group_of_identical_destinations_is_refused(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    first = create_destination(client, alert_id)
    create_destination(client, alert_id)  # the same workspace and channel again

    response = _delete(client, alert_id, {"hog_function_ids": [first["id"]]})

    assert response.json() == error(
        "invalid_input", "Delete all destinations in this group together.", "hog_function_ids"
    )


def test_older_servers_have_no_alert_scoped_destinations() -> None:
    seed = default_seed()
    seed["features"]["alert_scoped_destinations"] = False
    with Emulator(seed=seed) as emu, client_for(emu) as http:
        alert_id = http.post(ALERTS, json=valid_body()).json()["id"]
        created = _create(http, alert_id, SLACK)
        deleted = _delete(http, alert_id, {"hog_function_ids": [UNKNOWN]})

    assert created.status_code == deleted.status_code == 404
    assert created.json() == error("not_found", "Not found.", kind="invalid_request")


def test_nothing_is_created_by_a_refused_request(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    _create(client, make_alert()["id"], {"slack_channel_id": "C1"})

    assert emu.hog_functions() == []
