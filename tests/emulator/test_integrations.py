"""Integrations and Slack channels (destinations contract §10; INT)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import INTEGRATIONS, client_for, create_destination, error, valid_body

CHANNELS = f"{INTEGRATIONS}42/channels/"
INACTIVE = (
    "Your Slack connection is no longer active. Reconnect Slack to load channels and pick a "
    "destination."
)


def _names(response: httpx.Response) -> list[str]:
    return [channel["name"] for channel in response.json()["channels"]]


def test_list_by_kind_with_the_read_shape(client: httpx.Client) -> None:
    slack = client.get(INTEGRATIONS, params={"kind": "slack"}).json()

    assert slack["count"] == 2
    first = slack["results"][0]
    assert list(first) == [
        "id", "kind", "config", "created_at", "created_by", "errors", "display_name"
    ]  # fmt: skip
    assert (first["id"], first["display_name"], first["errors"]) == (42, "Hedgebox", "")
    assert first["config"]["team"] == {"id": "T0HEDGEBOX", "name": "Hedgebox"}
    assert first["created_by"]["email"] == "ada@example.com"
    assert client.get(INTEGRATIONS).json()["count"] == 3


def test_both_prefixes_and_retrieve(client: httpx.Client) -> None:
    projects = client.get("/api/projects/1/integrations/42")
    environments = client.get(f"{INTEGRATIONS}42/")

    assert projects.status_code == environments.status_code == 200
    assert projects.json() == environments.json()
    assert client.get(f"{INTEGRATIONS}999/").status_code == 404
    assert client.get(f"{INTEGRATIONS}abc/").status_code == 404


def test_an_unknown_kind_is_a_choice_error(client: httpx.Client) -> None:
    response = client.get(INTEGRATIONS, params={"kind": "carrier-pigeon"})

    assert response.status_code == 400
    assert response.json()["attr"] == "kind"
    assert response.json()["code"] == "invalid_choice"


def test_channels_sorted_by_name_without_archived_or_foreign_private_ones(
    client: httpx.Client,
) -> None:
    page = client.get(CHANNELS).json()

    assert _names_of(page) == [
        "eng-alerts", "exec-alerts", "general", "growth-alerts", "partners", "random"
    ]  # fmt: skip
    assert page["has_more"] is False
    assert page["lastRefreshedAt"].endswith("+00:00")
    random = next(c for c in page["channels"] if c["name"] == "random")
    assert random == {
        "id": "C0RANDOM001",
        "name": "random",
        "is_private": False,
        "is_member": False,
        "is_ext_shared": False,
        "is_private_without_access": False,
    }


def _names_of(page: dict[str, Any]) -> list[str]:
    return [channel["name"] for channel in page["channels"]]


def test_private_channels_are_masked_for_anyone_but_the_integration_creator(
    emu: Emulator,
) -> None:
    with client_for(emu, emu.api_keys["full_grace"]) as grace:
        listed = grace.get(CHANNELS).json()
        found = grace.get(CHANNELS, params={"channel_id": "G0EXECALERT"}).json()

    assert "exec-alerts" not in _names_of(listed)
    assert found == {
        "channels": [
            {
                "id": "G0EXECALERT",
                "name": "PRIVATE_CHANNEL_WITHOUT_ACCESS",
                "is_private": True,
                "is_member": True,
                "is_ext_shared": False,
                "is_private_without_access": True,
            }
        ]
    }


def test_search_is_fuzzy_by_name_and_substring_by_id(client: httpx.Client) -> None:
    assert _names(client.get(CHANNELS, params={"search": "growth alerts"})) == [
        "growth-alerts",
        "eng-alerts",  # shares the token "alerts": WRatio's token set ratio is over 70
    ]
    assert _names(client.get(CHANNELS, params={"search": "engalerts"}))[0] == "eng-alerts"
    assert _names(client.get(CHANNELS, params={"search": "GENERAL01"})) == ["general"]
    assert _names(client.get(CHANNELS, params={"search": "zzzz"})) == []


def test_pages_with_limit_and_offset() -> None:
    seed = default_seed()
    seed["integrations"][0]["channels"] = [
        {"id": f"C{index:04d}", "name": f"channel-{index:04d}"} for index in range(250)
    ]
    with Emulator(seed=seed) as emu, client_for(emu) as http:
        first = http.get(CHANNELS).json()
        last = http.get(CHANNELS, params={"limit": 200, "offset": 200}).json()

    assert (len(first["channels"]), first["has_more"]) == (50, True)
    assert (len(last["channels"]), last["has_more"]) == (50, False)
    assert last["channels"][0]["name"] == "channel-0200"


@pytest.mark.parametrize(
    ("params", "attr", "detail", "code"),
    [
        ({"limit": "0"}, "limit", "Ensure this value is greater than or equal to 1.", "min_value"),
        ({"limit": "201"}, "limit", "Ensure this value is less than or equal to 200.", "max_value"),
        ({"limit": "ten"}, "limit", "A valid integer is required.", "invalid_input"),
        (
            {"offset": "-1"},
            "offset",
            "Ensure this value is greater than or equal to 0.",
            "min_value",
        ),
    ],
)
def test_bad_paging_is_400_on_that_attr(
    client: httpx.Client, params: dict[str, str], attr: str, detail: str, code: str
) -> None:
    response = client.get(CHANNELS, params=params)

    assert response.json() == error(code, detail, attr)


def test_channel_id_lookup_ignores_paging_and_finds_nothing_for_unknown_ids(
    client: httpx.Client,
) -> None:
    found = client.get(CHANNELS, params={"channel_id": "C0123456789", "limit": "0"}).json()
    missing = client.get(CHANNELS, params={"channel_id": "C0NOPE"}).json()
    outsider = client.get(CHANNELS, params={"channel_id": "G0PEOPLEOPS"}).json()

    assert _names_of(found) == ["growth-alerts"]
    assert missing == outsider == {"channels": []}


def test_refusals_for_non_slack_no_authed_user_and_revoked(client: httpx.Client) -> None:
    seed_less = client.get(f"{INTEGRATIONS}45/channels/")
    revoked = client.get(f"{INTEGRATIONS}43/channels/")

    assert seed_less.json() == error(
        "invalid_input", "channels endpoint is only supported for Slack integrations"
    )
    assert revoked.status_code == 400
    assert revoked.json() == error("slack_integration_inactive", INACTIVE, kind="server_error")


def test_missing_authed_user_is_refused() -> None:
    seed = default_seed()
    del seed["integrations"][0]["config"]["authed_user"]
    with Emulator(seed=seed) as emu, client_for(emu) as http:
        response = http.get(CHANNELS)

    assert response.json() == error(
        "invalid_input", "SlackIntegration: Missing authed_user_id in integration config"
    )


def test_the_listing_is_cached_for_an_hour() -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    clock: Callable[[], datetime] = lambda: now[0]  # noqa: E731
    with Emulator(clock=clock) as emu, client_for(emu) as http:
        first = http.get(CHANNELS).json()["lastRefreshedAt"]
        now[0] += timedelta(minutes=59)
        cached = http.get(CHANNELS).json()["lastRefreshedAt"]
        now[0] += timedelta(minutes=2)
        refreshed = http.get(CHANNELS).json()["lastRefreshedAt"]

    assert first == cached == "2026-01-01T00:00:00+00:00"
    assert refreshed == "2026-01-01T01:01:00+00:00"


def test_revoking_shows_on_the_next_call(emu: Emulator, client: httpx.Client) -> None:
    assert client.get(CHANNELS).status_code == 200

    emu.set_integration_revoked(42)
    revoked = client.get(CHANNELS)
    emu.set_integration_revoked(42, revoked=False)

    assert revoked.json()["code"] == "slack_integration_inactive"
    assert client.get(CHANNELS).status_code == 200


def test_an_integration_in_use_cannot_be_deleted(client: httpx.Client) -> None:
    alert = client.post("/api/projects/1/alerts/", json=valid_body()).json()
    create_destination(client, alert["id"], name="Growth to Slack")

    refused = client.delete(f"{INTEGRATIONS}42/")
    unused = client.delete(f"{INTEGRATIONS}45/")

    assert refused.json() == error(
        "invalid_input",
        "This integration is used by enabled data pipelines: Growth to Slack. "
        "Update them to use a different integration before disconnecting it.",
    )
    assert unused.status_code == 204
    assert client.get(f"{INTEGRATIONS}45/").status_code == 404
