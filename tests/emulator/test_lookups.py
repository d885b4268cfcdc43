"""Helper endpoints: insights by short id, organization members, the key's own user."""

from __future__ import annotations

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import client_for, error

INSIGHTS = "/api/projects/1/insights/"


def test_short_id_filter_finds_one_insight(emu: Emulator, client: httpx.Client) -> None:
    page = client.get(INSIGHTS, params={"short_id": "Kx7pQ2mN", "basic": "true"}).json()

    assert (page["count"], page["next"], page["previous"]) == (1, None, None)
    insight = page["results"][0]
    assert (insight["id"], insight["name"]) == (102, "Revenue by plan")
    assert len(insight["query"]["source"]["series"]) == 2
    assert insight["created_by"]["email"] == "ada@example.com"


def test_deleted_insights_are_not_listed_or_found(client: httpx.Client) -> None:
    listed = client.get(INSIGHTS).json()

    assert listed["count"] == 13
    assert 108 not in [insight["id"] for insight in listed["results"]]
    assert client.get(INSIGHTS, params={"short_id": "Dd4eL3tD"}).json()["count"] == 0
    assert client.get(f"{INSIGHTS}108/").status_code == 404


def test_unknown_short_id_gives_an_empty_page(client: httpx.Client) -> None:
    assert client.get(INSIGHTS, params={"short_id": "nope"}).json()["results"] == []


@pytest.mark.parametrize("key", ["103", "Pq9rS4tU"])
def test_retrieve_insight_by_id_or_short_id(client: httpx.Client, key: str) -> None:
    response = client.get(f"/api/environments/@current/insights/{key}")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["short_id"]) == (103, "Pq9rS4tU")


def test_insights_paginate(emu: Emulator, client: httpx.Client) -> None:
    page = client.get(INSIGHTS, params={"limit": 3}).json()

    assert len(page["results"]) == 3
    assert page["next"] == f"{emu.base_url}{INSIGHTS}?limit=3&offset=3"


def test_insights_in_another_project_are_not_found(client: httpx.Client) -> None:
    response = client.get("/api/projects/2/insights/")

    assert response.json() == error("not_found", "Project not found.", kind="invalid_request")


@pytest.mark.parametrize(
    "path",
    [
        "/api/organizations/@current/members/",
        "/api/organizations/01890f3a-6c2e-7b4d-9e21-5a7c3f8d1b42/members",
    ],
)
def test_members_list_the_organization(client: httpx.Client, path: str) -> None:
    page = client.get(path).json()

    assert page["count"] == 4
    member = page["results"][0]
    assert list(member) == [
        "id", "user", "level", "joined_at", "updated_at", "is_2fa_enabled", "has_social_auth",
        "last_login",
    ]  # fmt: skip
    by_email = {
        item["user"]["email"]: (item["user"]["id"], item["level"]) for item in page["results"]
    }
    assert by_email == {
        "ada@example.com": (1, 15),
        "grace@example.com": (2, 8),
        "alan@example.com": (3, 1),
        "margaret@example.com": (4, 1),
    }


def test_members_of_an_unknown_organization_are_not_found(client: httpx.Client) -> None:
    assert client.get("/api/organizations/0000/members/").status_code == 404


def test_members_with_the_read_key(emu: Emulator) -> None:
    with client_for(emu, emu.api_keys["read"]) as reader:
        assert reader.get("/api/organizations/@current/members/").status_code == 200


def test_me_is_the_key_owner(client: httpx.Client) -> None:
    me = client.get("/api/users/@me/").json()

    assert (me["id"], me["email"]) == (1, "ada@example.com")
    assert me["organization"]["name"] == "Hedgebox Inc."
    assert me["team"] == {"id": 1}
