"""The state file: survives restarts, holds alerts only, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alertsync.emulator import Emulator, StateFileError, default_seed
from tests.builders import ALERTS, client_for, valid_body


def test_alerts_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as first, client_for(first) as client:
        kept = client.post(ALERTS, json=valid_body(name="kept")).json()
        gone = client.post(ALERTS, json=valid_body(name="gone")).json()
        client.delete(f"{ALERTS}{gone['id']}/")
        first.set_alert_state(kept["id"], "Firing")
        before = first.alerts()

    with Emulator(state_path=state) as second, client_for(second) as client:
        listed = client.get(ALERTS).json()["results"]
        newer = client.post(ALERTS, json=valid_body(name="newer")).json()

    assert listed == before
    assert listed[0]["state"] == "Firing"
    assert newer["created_at"] > kept["created_at"]
    assert [alert["name"] for alert in second.alerts()] == ["newer", "kept"]


def test_state_file_holds_no_keys_and_no_request_log(tmp_path: Path) -> None:
    state = tmp_path / "nested" / "state.json"
    with Emulator(state_path=state) as emu, client_for(emu) as client:
        client.post(ALERTS, json=valid_body(name="secretless"))

    text = state.read_text(encoding="utf-8")
    data = json.loads(text)
    assert sorted(data) == ["alerts", "hog_functions", "integrations", "project_id", "version"]
    assert [alert["name"] for alert in data["alerts"]] == ["secretless"]
    assert "phx_" not in text
    assert "/api/" not in text
    assert [path.name for path in state.parent.iterdir()] == ["state.json"]  # no temp files left


def test_state_file_is_written_after_every_change(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as emu, client_for(emu) as client:
        assert not state.exists()
        alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
        assert len(json.loads(state.read_text())["alerts"]) == 1
        client.patch(f"{ALERTS}{alert_id}/", json={"name": "renamed"})
        assert json.loads(state.read_text())["alerts"][0]["name"] == "renamed"
        client.delete(f"{ALERTS}{alert_id}/")
        assert json.loads(state.read_text())["alerts"] == []


def test_seed_alerts_are_created_only_when_there_is_no_state(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = default_seed()
    seed["alerts"] = [valid_body(name="from seed", created_by=2)]
    first = Emulator(seed=seed, state_path=state)
    alert = first.alerts()[0]
    with first, client_for(first) as client:
        client.delete(f"{ALERTS}{alert['id']}/")

    assert alert["created_by"]["id"] == 2
    assert Emulator(seed=seed, state_path=state).alerts() == []


def test_state_of_another_project_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 1, "project_id": 7, "alerts": []}))

    with pytest.raises(StateFileError, match="project 7"):
        Emulator(state_path=state)


def test_corrupt_state_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json")

    with pytest.raises(StateFileError, match="not a valid emulator state file"):
        Emulator(state_path=state)
