"""Scopes of the destination endpoints (destinations contract §3.1, §5, §6, §10; alerts §7)."""

from __future__ import annotations

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    HOG_FUNCTIONS,
    INTEGRATIONS,
    client_for,
    destination_body,
    error,
    valid_body,
)

SOME_ID = "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10"


@pytest.mark.parametrize(
    ("label", "method", "path", "scope"),
    [
        ("alerts_no_destinations", "GET", HOG_FUNCTIONS, "hog_function:read"),
        ("alerts_no_destinations", "POST", HOG_FUNCTIONS, "hog_function:write"),
        ("alerts_no_destinations", "GET", INTEGRATIONS, "integration:read"),
        ("alerts_no_destinations", "GET", f"{INTEGRATIONS}42/channels/", "integration:read"),
        ("read_with_destinations", "PATCH", f"{HOG_FUNCTIONS}{SOME_ID}/", "hog_function:write"),
        ("read_with_destinations", "POST", f"{ALERTS}{SOME_ID}/destinations/", "alert:write"),
        ("read_with_destinations", "POST", f"{ALERTS}{SOME_ID}/test-delivery/", "alert:write"),
        ("alerts_and_destinations", "DELETE", f"{INTEGRATIONS}42/", "integration:write"),
    ],
)
def test_missing_scope_is_403_naming_it(
    emu: Emulator, label: str, method: str, path: str, scope: str
) -> None:
    with client_for(emu, emu.api_keys[label]) as http:
        response = http.request(method, path, json={})

    assert response.status_code == 403
    assert response.json() == error(
        "permission_denied",
        f"API key missing required scope '{scope}'",
        kind="authentication_error",
    )


def test_the_destinations_key_manages_alerts_and_their_destinations(emu: Emulator) -> None:
    with client_for(emu, emu.api_keys["alerts_and_destinations"]) as http:
        alert = http.post(ALERTS, json=valid_body()).json()
        created = http.post(HOG_FUNCTIONS, json=destination_body(alert["id"]))
        listed = http.get(HOG_FUNCTIONS)
        channels = http.get(f"{INTEGRATIONS}42/channels/")

    assert (created.status_code, listed.status_code, channels.status_code) == (201, 200, 200)


def test_the_alerts_only_key_can_still_use_the_alert_scoped_endpoints(emu: Emulator) -> None:
    with client_for(emu, emu.api_keys["alerts_no_destinations"]) as http:
        alert = http.post(ALERTS, json=valid_body()).json()
        body = {"slack_workspace_id": 42, "slack_channel_id": "C0123456789"}
        created = http.post(f"{ALERTS}{alert['id']}/destinations/", json=body)
        tested = http.post(f"{ALERTS}{alert['id']}/test-delivery/")

    assert created.status_code == 201
    assert tested.status_code == 202


def test_hog_function_write_satisfies_read(emu: Emulator) -> None:
    with client_for(emu, emu.api_keys["alerts_and_destinations"]) as http:
        assert http.get(f"{HOG_FUNCTIONS}?full=true").status_code == 200


def test_unauthenticated_requests_are_401_before_anything(emu: Emulator) -> None:
    response = httpx.get(f"{emu.base_url}{HOG_FUNCTIONS}")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
