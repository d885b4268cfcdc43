"""Hog-function updates, soft delete and the alert cascade (destinations contract §3.5, §7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import (
    ALERTS,
    HOG_FUNCTIONS,
    alert_filters,
    client_for,
    create_destination,
    error,
    valid_body,
)

from .conftest import MakeAlert

STALE = (
    "This function changed since you previewed the publish, either the draft or the live "
    "config. Preview again to see where things stand now."
)


def _detail(function_id: str) -> str:
    return f"{HOG_FUNCTIONS}{function_id}/"


@pytest.fixture
def destination(client: httpx.Client, make_alert: MakeAlert) -> dict[str, Any]:
    return create_destination(client, make_alert()["id"])


def test_patch_replaces_inputs_whole(client: httpx.Client, destination: dict[str, Any]) -> None:
    inputs = {"slack_workspace": {"value": 42}, "channel": {"value": "C0ENGALERTS"}}

    patched = client.patch(_detail(destination["id"]), json={"inputs": inputs}).json()

    assert patched["inputs"]["channel"]["value"] == "C0ENGALERTS"
    assert patched["inputs"]["text"] is None and patched["inputs"]["blocks"] is None


def test_patch_without_inputs_keeps_them(client: httpx.Client, destination: dict[str, Any]) -> None:
    patched = client.patch(_detail(destination["id"]), json={"name": "renamed"}).json()

    assert patched["name"] == "renamed"
    assert patched["inputs"] == destination["inputs"]
    assert patched["filters"] == destination["filters"]


def test_version_counts_config_changes_only(
    client: httpx.Client, destination: dict[str, Any]
) -> None:
    path = _detail(destination["id"])

    renamed = client.patch(path, json={"name": "renamed", "enabled": False}).json()
    same_inputs = client.patch(path, json={"inputs": destination["inputs"]}).json()
    new_text = {**destination["inputs"], "text": {"value": "changed"}}
    changed = client.patch(path, json={"inputs": new_text}).json()

    assert [renamed["version"], same_inputs["version"], changed["version"]] == [1, 1, 2]
    assert renamed["updated_at"] > destination["updated_at"]


def test_type_cannot_change(client: httpx.Client, destination: dict[str, Any]) -> None:
    response = client.patch(_detail(destination["id"]), json={"type": "destination"})

    assert response.json() == error(
        "invalid_input", "Cannot modify the type of an existing function", "type"
    )


def test_template_id_is_taken_from_the_stored_function(
    client: httpx.Client, destination: dict[str, Any]
) -> None:
    patched = client.patch(_detail(destination["id"]), json={"template_id": "template-discord"})

    assert patched.status_code == 200
    assert patched.json()["template"]["id"] == "template-slack"


def test_put_behaves_like_patch(client: httpx.Client, destination: dict[str, Any]) -> None:
    response = client.put(_detail(destination["id"]), json={"enabled": False})

    assert response.status_code == 200
    assert response.json()["enabled"] is False
    assert response.json()["status"] == {"state": 0, "tokens": 0}


def test_soft_delete_hides_the_function_and_undo_brings_it_back(
    emu: Emulator, client: httpx.Client, destination: dict[str, Any]
) -> None:
    path = _detail(destination["id"])

    deleted = client.patch(path, json={"deleted": True, "enabled": False})
    hidden = (client.get(path).status_code, client.patch(path, json={"name": "x"}).status_code)
    listed = client.get(HOG_FUNCTIONS).json()["count"]
    restored = client.patch(path, json={"deleted": False})

    assert deleted.status_code == 200 and "deleted" not in deleted.json()
    assert hidden == (404, 404)
    assert listed == 0
    assert restored.status_code == 200
    assert restored.json()["enabled"] is False
    assert client.get(path).status_code == 200


def test_stale_base_updated_at_is_409_and_a_current_one_passes(
    client: httpx.Client, destination: dict[str, Any]
) -> None:
    path = _detail(destination["id"])
    client.patch(path, json={"name": "someone else"})

    stale = client.patch(path, json={"name": "mine", "base_updated_at": destination["updated_at"]})
    current = client.get(path).json()["updated_at"]
    fresh = client.patch(path, json={"name": "mine", "base_updated_at": current})

    assert stale.status_code == 409
    assert stale.json() == error("stale_update", STALE, kind="server_error")
    assert fresh.status_code == 200 and fresh.json()["name"] == "mine"


def test_a_bad_base_updated_at_is_a_field_error(
    client: httpx.Client, destination: dict[str, Any]
) -> None:
    response = client.patch(_detail(destination["id"]), json={"base_updated_at": "yesterday"})

    assert response.status_code == 400
    assert response.json()["attr"] == "base_updated_at"


def test_unknown_or_malformed_ids_are_404(client: httpx.Client) -> None:
    for function_id in ("not-a-uuid", "01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10"):
        response = client.get(_detail(function_id))
        assert response.status_code == 404
        assert response.json() == error("not_found", "Not found.", kind="invalid_request")


def test_delete_never_deletes(client: httpx.Client, destination: dict[str, Any]) -> None:
    seed = default_seed()
    seed["api_keys"].append({"label": "legacy", "key": "phx_legacy", "scopes": [], "user": 1})

    scoped = client.delete(_detail(destination["id"]))

    assert scoped.status_code == 403
    assert scoped.json() == error(
        "permission_denied",
        "This action does not support Personal API Key access",
        kind="authentication_error",
    )
    assert client.get(_detail(destination["id"])).status_code == 200
    with Emulator(seed=seed) as emu, client_for(emu, "phx_legacy") as legacy:
        alert = legacy.post(ALERTS, json=valid_body()).json()
        created = create_destination(legacy, alert["id"])
        response = legacy.delete(_detail(created["id"]))
        assert (response.status_code, response.content) == (405, b"")
        assert legacy.get(_detail(created["id"])).status_code == 200


def test_delete_alert_cleans_up_hog_functions(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    """Mirrors PostHog's ``test_delete_alert_cleans_up_hog_functions``."""
    alert_id = make_alert(name="alert name")["id"]
    bare = {"type": "internal_destination", "hog": "return 1", "enabled": True}
    linked = client.post(HOG_FUNCTIONS, json={**bare, "filters": alert_filters(alert_id)}).json()
    unrelated = client.post(
        HOG_FUNCTIONS, json={**bare, "filters": alert_filters("some-other-id")}
    ).json()

    assert client.delete(f"{ALERTS}{alert_id}/").status_code == 204

    states = {
        f["id"]: (f["deleted"], f["enabled"]) for f in emu.hog_functions(include_deleted=True)
    }
    assert states[linked["id"]] == (True, False)
    assert states[unrelated["id"]] == (False, True)


def test_the_cascade_spares_other_types_and_already_deleted_functions(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    plain = create_destination(client, alert_id, type="destination")
    earlier = create_destination(client, alert_id)
    client.patch(_detail(earlier["id"]), json={"deleted": True})
    updated_at = {f["id"]: f["updated_at"] for f in emu.hog_functions(include_deleted=True)}

    client.delete(f"{ALERTS}{alert_id}/")

    after = {f["id"]: f for f in emu.hog_functions(include_deleted=True)}
    assert (after[plain["id"]]["deleted"], after[plain["id"]]["enabled"]) == (False, True)
    assert after[earlier["id"]]["updated_at"] == updated_at[earlier["id"]]
