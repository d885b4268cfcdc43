"""Listing hog functions: filters, search, pagination, order (destinations contract §3.4)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.builders import HOG_FUNCTIONS, create_destination, error

from .conftest import MakeAlert

MINIMAL_FIELDS = [
    "id", "type", "name", "description", "created_at", "created_by", "updated_at", "enabled",
    "hog", "filters", "icon_url", "template", "status", "execution_order", "search_match_type",
    "draft_updated_at",
]  # fmt: skip
FIRING = {"events": [{"id": "$insight_alert_firing", "type": "events"}]}


def _list(client: httpx.Client, **params: Any) -> httpx.Response:
    encoded = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    return client.get(HOG_FUNCTIONS, params=encoded)


def _names(response: httpx.Response) -> list[str]:
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def two_alerts(client: httpx.Client, make_alert: MakeAlert) -> tuple[str, str]:
    first, second = make_alert(name="first")["id"], make_alert(name="second")["id"]
    create_destination(client, first, name="first: Slack")
    create_destination(client, first, "webhook", name="first: Webhook")
    create_destination(client, second, "discord", name="second: Discord")
    create_destination(client, second, "teams", name="other kind", type="destination")
    return first, second


def test_list_uses_the_minimal_serializer_unless_full(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    minimal = _list(client).json()
    full = _list(client, full="true").json()

    assert list(minimal["results"][0]) == MINIMAL_FIELDS
    assert "inputs" in full["results"][0] and "inputs_schema" in full["results"][0]
    assert minimal["count"] == full["count"] == 4


def test_newest_update_first(client: httpx.Client, two_alerts: tuple[str, str]) -> None:
    oldest = _list(client).json()["results"][-1]
    client.patch(f"{HOG_FUNCTIONS}{oldest['id']}/", json={"description": "touched"})

    assert _names(_list(client))[0] == oldest["name"]


def test_filter_groups_find_one_alerts_destinations(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    first, _ = two_alerts
    group = [{"properties": [{"key": "alert_id", "value": first}]}]

    response = _list(client, filter_groups=group, full="true")

    assert sorted(_names(response)) == ["first: Slack", "first: Webhook"]


def test_filter_groups_are_or_ed_and_empty_groups_ignored(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    first, second = two_alerts
    groups = [
        {"properties": [{"key": "alert_id", "value": first}]},
        {},
        {"properties": [{"key": "alert_id", "value": second}], "events": FIRING["events"]},
    ]

    assert len(_names(_list(client, filter_groups=groups))) == 4
    assert len(_names(_list(client, filter_groups=[{}]))) == 4


def test_every_insight_alert_destination_in_one_walk(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    response = _list(client, type="internal_destination", full="true", filter_groups=[FIRING])

    assert sorted(_names(response)) == ["first: Slack", "first: Webhook", "second: Discord"]


def test_filters_param_adds_one_more_group(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    _, second = two_alerts
    wanted = {"properties": [{"key": "alert_id", "value": second}]}

    assert sorted(_names(_list(client, filters=wanted))) == ["other kind", "second: Discord"]


@pytest.mark.parametrize(
    ("params", "attr", "detail"),
    [
        ({"filter_groups": "{not json"}, "filter_groups", "Invalid filter_groups"),
        ({"filter_groups": '{"properties": []}'}, "filter_groups", "Invalid filter_groups"),
        ({"filters": "[oops"}, "filters", "Invalid filters"),
        ({"search": "x" * 201}, "search", "Search query must be 200 characters or fewer."),
        ({"id": "nope"}, "id", "Enter a valid UUID."),
    ],
)
def test_bad_parameters_are_400(
    client: httpx.Client, params: dict[str, str], attr: str, detail: str
) -> None:
    response = client.get(HOG_FUNCTIONS, params=params)

    assert response.status_code == 400
    assert response.json() == error("invalid_input", detail, attr)


def test_created_by_must_be_a_known_user(client: httpx.Client) -> None:
    response = client.get(HOG_FUNCTIONS, params={"created_by": "777"})

    assert response.json()["attr"] == "created_by"
    assert response.json()["code"] == "invalid_choice"


def test_type_enabled_id_and_created_by_filters(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    listed = _list(client).json()["results"]
    webhook = next(item for item in listed if item["name"] == "first: Webhook")
    client.patch(f"{HOG_FUNCTIONS}{webhook['id']}/", json={"enabled": False})

    assert _names(_list(client, type="destination,site_app")) == ["other kind"]
    assert _names(_list(client, enabled="false")) == ["first: Webhook"]
    assert len(_names(_list(client, enabled="not-a-boolean"))) == 4
    assert _names(_list(client, id=webhook["id"])) == ["first: Webhook"]
    assert len(_names(_list(client, created_by="1"))) == 4
    assert _names(_list(client, created_by="2")) == []


def test_search_marks_matches_and_drops_similar_when_exact_exists(
    client: httpx.Client, two_alerts: tuple[str, str]
) -> None:
    exact = _list(client, search="webhook").json()["results"]
    typo = _list(client, search="discrd").json()["results"]

    assert [(r["name"], r["search_match_type"]) for r in exact] == [("first: Webhook", "exact")]
    assert [(r["name"], r["search_match_type"]) for r in typo] == [("second: Discord", "similar")]


def test_pagination_default_100_and_links(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]
    for index in range(3):
        create_destination(client, alert_id, name=f"d{index}")

    page = client.get(HOG_FUNCTIONS, params={"limit": 2}).json()
    rest = client.get(page["next"]).json()

    assert (page["count"], len(page["results"]), page["previous"]) == (3, 2, None)
    assert "offset=2" in page["next"]
    assert len(rest["results"]) == 1 and rest["next"] is None
