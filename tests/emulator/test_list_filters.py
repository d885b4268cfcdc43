"""List filters (contract §3.2): search, created_by, insight / insight_id, insight_tag,
has_detector — their errors, and their reach into detail routes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    SQL_ERRORS,
    TRENDS_TWO_SERIES,
    add_key,
    client_for,
    error,
    kind_body,
    seed_with,
    threshold,
    valid_body,
)

from .conftest import MakeAlert

GRACE_UUID = "0188b2e1-1c3d-7000-a4b5-6c7d8e9f0a02"


def _names(response: httpx.Response) -> list[str]:
    return [alert["name"] for alert in response.json()["results"]]


def _search(client: httpx.Client, term: str) -> dict[str, str]:
    results = client.get(ALERTS, params={"search": term}).json()["results"]
    return {alert["name"]: alert["search_match_type"] for alert in results}


@pytest.fixture
def named(make_alert: MakeAlert) -> MakeAlert:
    for name in ("revenue spike", "spike in revenue", "reveneu drop", "Unrelated alert"):
        make_alert(name=name)
    return make_alert


def test_exact_matches_hide_similar_ones(client: httpx.Client, named: MakeAlert) -> None:
    assert _search(client, "revenue") == {"revenue spike": "exact", "spike in revenue": "exact"}


def test_similar_matches_are_returned_when_nothing_matches_exactly(
    client: httpx.Client, named: MakeAlert
) -> None:
    found = _search(client, "revenu drop")

    assert found.get("reveneu drop") == "similar"
    assert set(found.values()) == {"similar"}
    assert "Unrelated alert" not in found


def test_a_substring_matches_case_insensitively(client: httpx.Client, named: MakeAlert) -> None:
    assert _search(client, "REVEN") == {
        "revenue spike": "exact",
        "spike in revenue": "exact",
        "reveneu drop": "exact",
    }


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("alerts+ops@example.com", "alerts+ops@example.com"),
        ("run 1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"),
        ("com.acme.billing alert", "com.acme.billing"),
    ],
)
def test_literal_substrings_match_exactly(
    client: httpx.Client, make_alert: MakeAlert, name: str, term: str
) -> None:
    make_alert(name=name)
    make_alert(name="Totally unrelated")

    assert _search(client, term) == {name: "exact"}


def test_search_orders_by_relevance_then_newest(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    for name in ("signups", "signups dropped", "daily signups", "signups"):
        make_alert(name=name)

    names = _names(client.get(ALERTS, params={"search": "signups"}))

    # word similarity 1.0 for all; then full similarity: 8 of 14 trigrams beat 8 of 16
    assert names == ["signups", "signups", "daily signups", "signups dropped"]


def test_search_match_type_only_when_searching(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert(name="Revenue spike")["id"]

    plain = client.get(ALERTS).json()["results"]
    blank = client.get(ALERTS, params={"search": "  "}).json()["results"]
    detail = client.get(f"{ALERTS}{alert_id}/", params={"search": "revenue"}).json()

    assert all("search_match_type" not in alert for alert in plain + blank)
    assert detail["search_match_type"] == "exact"
    assert list(detail)[-1] == "search_match_type"


def test_search_length_cap(client: httpx.Client) -> None:
    assert client.get(ALERTS, params={"search": "a" * 200}).status_code == 200
    assert client.get(ALERTS, params={"search": "a" * 201}).json() == error(
        "invalid_input", "Search query must be 200 characters or fewer.", "search"
    )


def test_created_by_filters_by_user_uuid(client: httpx.Client) -> None:
    seed = seed_with()
    grace = add_key(seed, ["*"], user=2)
    with Emulator(seed=seed) as emu, client_for(emu) as ada, client_for(emu, grace) as other:
        ada.post(ALERTS, json=valid_body(name="Revenue mine"))
        other.post(ALERTS, json=valid_body(name="Revenue theirs"))
        other.post(ALERTS, json=valid_body(name="Unrelated"))
        theirs = ada.get(ALERTS, params={"created_by": GRACE_UUID})
        both = ada.get(ALERTS, params={"created_by": GRACE_UUID.replace("-", ""),
                                       "search": "Revenue"})  # fmt: skip

    assert _names(theirs) == ["Unrelated", "Revenue theirs"]
    assert _names(both) == ["Revenue theirs"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"created_by": "not-a-uuid"}, error("invalid_input", "Not a valid UUID.", "created_by")),
        ({"has_detector": "maybe"}, error("invalid_input", "Must be a valid boolean.",
                                          "has_detector")),
        ({"insight_tag": "x" * 256}, error("max_length",
                                           "Ensure this field has no more than 255 characters.",
                                           "insight_tag")),
        ({"insight_tag": "   "}, error("blank", "This field may not be blank.", "insight_tag")),
        ({"insight_tag": "   ", "created_by": "x"}, error("blank", "This field may not be blank.",
                                                          "insight_tag")),
        ({"insight": "abc"}, error("error", "A server error occurred.", kind="server_error")),
        ({"insight_id": ""}, error("error", "A server error occurred.", kind="server_error")),
    ],
)  # fmt: skip
def test_filter_errors(client: httpx.Client, params: dict[str, str], expected: Any) -> None:
    assert client.get(ALERTS, params=params).json() == expected


def test_insight_and_insight_id_filters(client: httpx.Client, make_alert: MakeAlert) -> None:
    make_alert(name="a")
    make_alert(name="b", insight=TRENDS_TWO_SERIES)

    assert _names(client.get(ALERTS, params={"insight": 101})) == ["a"]
    assert _names(client.get(ALERTS, params={"insight_id": TRENDS_TWO_SERIES})) == ["b"]
    assert _names(client.get(ALERTS, params={"insight": 101, "insight_id": 102})) == []


def test_insight_tag_filters_on_the_insights_tags(client: httpx.Client) -> None:
    client.post(ALERTS, json=valid_body(name="growth trend"))
    client.post(ALERTS, json=valid_body(name="revenue", insight=TRENDS_TWO_SERIES))
    client.post(ALERTS, json=kind_body(SQL_ERRORS, "sql", name="errors sql"))

    assert _names(client.get(ALERTS, params={"insight_tag": " Growth "})) == ["growth trend"]
    assert _names(client.get(ALERTS, params={"insight_tag": "reliability"})) == ["errors sql"]
    assert _names(client.get(ALERTS, params={"insight_tag": "nope"})) == []
    assert len(_names(client.get(ALERTS, params={"insight_tag": ""}))) == 3


@pytest.mark.parametrize(("value", "expected"), [("true", ["anomaly"]), ("0", ["plain"]),
                                                 ("", ["anomaly", "plain"])])  # fmt: skip
def test_has_detector(
    client: httpx.Client, make_alert: MakeAlert, value: str, expected: list[str]
) -> None:
    make_alert(name="plain")
    make_alert(name="anomaly", detector_config={"type": "zscore"}, threshold=threshold())

    assert _names(client.get(ALERTS, params={"has_detector": value})) == expected


def test_filters_also_scope_detail_routes(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert(name="Revenue")["id"]
    path = f"{ALERTS}{alert_id}/"

    assert client.get(path, params={"insight_id": 102}).status_code == 404
    assert client.get(path, params={"search": "nothing like it"}).status_code == 404
    assert client.get(path, params={"has_detector": "true"}).status_code == 404
    assert client.patch(path, params={"insight_tag": "revenue"}, json={}).status_code == 404
    assert client.delete(path, params={"created_by": GRACE_UUID}).status_code == 404
    assert client.get(path, params={"created_by": "bad"}).status_code == 400
    assert client.get(path, params={"insight_tag": "growth"}).status_code == 200


def test_a_searched_patch_answers_with_the_match_type(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(name="Revenue")["id"]

    patched = client.patch(f"{ALERTS}{alert_id}/", params={"search": "rev"}, json={"name": "Rev"})

    assert patched.json()["search_match_type"] == "exact"


def test_filters_paginate(client: httpx.Client, make_alert: MakeAlert) -> None:
    for index in range(3):
        make_alert(name=f"match {index}")
    make_alert(name="other")

    page = client.get(ALERTS, params={"search": "match", "limit": 2}).json()

    assert page["count"] == 3
    assert [alert["name"] for alert in page["results"]] == ["match 2", "match 1"]
    assert page["next"].endswith("?limit=2&offset=2&search=match")
