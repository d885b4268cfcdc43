"""Authentication (401 bodies and WWW-Authenticate) and scopes (403 naming the scope)."""

from __future__ import annotations

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import ALERTS, client_for, error, valid_body


def _www_authenticate(emu: Emulator) -> str:
    return f'Bearer resource_metadata="{emu.base_url}/.well-known/oauth-protected-resource"'


def test_no_credentials_is_401_not_authenticated(emu: Emulator) -> None:
    response = httpx.get(f"{emu.base_url}{ALERTS}")

    assert response.status_code == 401
    assert response.json() == error(
        "not_authenticated",
        "Authentication credentials were not provided.",
        kind="authentication_error",
    )
    assert response.headers["WWW-Authenticate"] == _www_authenticate(emu)


def test_unknown_key_is_401_authentication_failed(emu: Emulator) -> None:
    with client_for(emu, "phx_not_a_real_key") as http:
        response = http.post(ALERTS, json=valid_body())

    assert response.status_code == 401
    assert response.json() == error(
        "authentication_failed",
        "Personal API key found in request Authorization header is invalid.",
        kind="authentication_error",
    )
    assert response.headers["WWW-Authenticate"] == _www_authenticate(emu)
    assert emu.alerts() == []


def test_non_bearer_authorization_counts_as_no_credentials(emu: Emulator) -> None:
    response = httpx.get(f"{emu.base_url}{ALERTS}", headers={"Authorization": "Basic abc"})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_key_in_query_string_is_accepted(emu: Emulator) -> None:
    ok = httpx.get(f"{emu.base_url}{ALERTS}", params={"personal_api_key": emu.api_key})
    bad = httpx.get(f"{emu.base_url}{ALERTS}", params={"personal_api_key": "phx_nope"})

    assert ok.status_code == 200
    assert bad.status_code == 401
    assert bad.json()["detail"] == "Personal API key found in request query string is invalid."


@pytest.mark.parametrize(
    ("label", "method", "path", "scope"),
    [
        ("no_alert_scope", "GET", ALERTS, "alert:read"),
        ("no_alert_scope", "POST", ALERTS, "alert:write"),
        ("read", "POST", ALERTS, "alert:write"),
        ("read", "DELETE", f"{ALERTS}01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10/", "alert:write"),
        ("read", "PATCH", f"{ALERTS}01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10/", "alert:write"),
        ("alerts_only", "GET", "/api/projects/1/insights/", "insight:read"),
        ("alerts_only", "GET", "/api/organizations/@current/members/", "organization_member:read"),
        ("read", "GET", "/api/users/@me/", "user:read"),
    ],
)
def test_missing_scope_is_403_naming_it(
    emu: Emulator, label: str, method: str, path: str, scope: str
) -> None:
    with client_for(emu, emu.api_keys[label]) as http:
        response = http.request(method, path, json=valid_body())

    assert response.status_code == 403
    assert response.json() == error(
        "permission_denied",
        f"API key missing required scope '{scope}'",
        kind="authentication_error",
    )
    assert "WWW-Authenticate" not in response.headers


def test_write_scope_satisfies_read_scope(emu: Emulator) -> None:
    with client_for(emu, emu.api_keys["alerts_only"]) as http:
        created = http.post(ALERTS, json=valid_body())
        listed = http.get(ALERTS)

    assert created.status_code == 201
    assert listed.status_code == 200
    assert listed.json()["count"] == 1


def test_read_key_can_list_but_not_delete(emu: Emulator) -> None:
    with client_for(emu) as admin:
        alert_id = admin.post(ALERTS, json=valid_body()).json()["id"]
    with client_for(emu, emu.api_keys["read"]) as reader:
        assert reader.get(f"{ALERTS}{alert_id}/").status_code == 200
        assert reader.delete(f"{ALERTS}{alert_id}/").status_code == 403
    assert len(emu.alerts()) == 1


def test_legacy_key_without_scopes_is_allowed_everything() -> None:
    seed = default_seed()
    seed["api_keys"].append({"label": "legacy", "key": "phx_legacy", "scopes": [], "user": 2})
    with Emulator(seed=seed) as emu, client_for(emu, "phx_legacy") as http:
        created = http.post(ALERTS, json=valid_body())
        members = http.get("/api/organizations/@current/members/")

    assert created.status_code == 201
    assert created.json()["created_by"]["email"] == "grace@example.com"
    assert members.status_code == 200


def test_seeded_keys_are_exposed_by_label(emu: Emulator) -> None:
    assert emu.api_key == "phx_emulator_full_access_key_do_not_use_in_production"
    assert emu.api_keys == {
        "full": "phx_emulator_full_access_key_do_not_use_in_production",
        "read": "phx_emulator_read_only_key",
        "alerts_only": "phx_emulator_alerts_only_key",
        "no_alert_scope": "phx_emulator_feature_flag_key",
        "alerts_no_destinations": "phx_emulator_alerts_no_destinations_key",
        "alerts_and_destinations": "phx_emulator_alerts_and_destinations_key",
        "read_with_destinations": "phx_emulator_read_with_destinations_key",
        "full_grace": "phx_emulator_grace_full_access_key",
    }
