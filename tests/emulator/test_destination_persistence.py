"""Hog functions and integrations live in the state file beside the alerts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alertsync.emulator import Emulator, StateFileError, default_seed
from tests.builders import (
    ALERTS,
    HOG_FUNCTIONS,
    INTEGRATIONS,
    client_for,
    create_destination,
    valid_body,
)


def test_functions_and_integrations_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as first, client_for(first) as http:
        alert_id = http.post(ALERTS, json=valid_body()).json()["id"]
        kept = create_destination(http, alert_id)
        gone = create_destination(http, alert_id, "webhook")
        http.patch(f"{HOG_FUNCTIONS}{gone['id']}/", json={"deleted": True})
        first.set_integration_revoked(42)
        before = first.hog_functions(include_deleted=True)

    with Emulator(state_path=state) as second, client_for(second) as http:
        listed = http.get(HOG_FUNCTIONS, params={"full": "true"}).json()["results"]
        channels = http.get(f"{INTEGRATIONS}42/channels/")
        newer = create_destination(http, alert_id, "discord")

    assert second.hog_functions(include_deleted=True)[:2] == before
    assert [item["id"] for item in listed] == [kept["id"]]
    assert channels.json()["code"] == "slack_integration_inactive"
    assert newer["created_at"] > kept["created_at"]


def test_a_seed_change_does_not_override_saved_integrations(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as first:
        first.set_integration_revoked(43, revoked=False)
    seed = default_seed()
    seed["integrations"] = []

    with Emulator(seed=seed, state_path=state) as second, client_for(second) as http:
        ids = [item["id"] for item in http.get(INTEGRATIONS).json()["results"]]

    assert ids == [42, 43, 45]


def test_a_state_file_from_before_destinations_loads_with_the_seeded_integrations(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 1, "project_id": 1, "alerts": []}))

    with Emulator(state_path=state) as emu, client_for(emu) as http:
        assert http.get(HOG_FUNCTIONS).json()["count"] == 0
        assert http.get(INTEGRATIONS).json()["count"] == 3


def test_a_broken_section_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    broken = {"version": 1, "project_id": 1, "alerts": [], "hog_functions": [{"id": 1}]}
    state.write_text(json.dumps(broken))

    with pytest.raises(StateFileError, match="hog_functions"):
        Emulator(state_path=state)
