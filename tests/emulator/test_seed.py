"""The seed's keys for what the rules depend on, seeded alert state, and the state file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator, SeedError, default_seed
from tests.builders import (
    ALERTS,
    CONFIGS,
    METRICS,
    SQL_SIGNUPS,
    add_key,
    client_for,
    seed_with,
    threshold,
    valid_body,
)


def test_the_default_seed_has_an_alertable_insight_of_every_kind() -> None:
    bodies = {
        "trends time series": valid_body(insight=101),
        "trends not time series": valid_body(insight=104),
        "sql": valid_body(insight=SQL_SIGNUPS, config=CONFIGS["sql"]),
        "funnel steps": valid_body(insight=106, config=CONFIGS["funnel"]),
        "funnel trends": valid_body(insight=111, config=CONFIGS["funnel"]),
        "metrics": valid_body(insight=METRICS, config=CONFIGS["metrics"]),
    }
    with Emulator() as emu, client_for(emu) as client:
        statuses = {
            name: client.post(ALERTS, json=body).status_code for name, body in bodies.items()
        }

    assert set(statuses.values()) == {201}


def test_insight_display_name_falls_back_to_the_derived_name() -> None:
    seed = seed_with()
    query = {"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}]}
    seed["insights"] += [
        {"id": 301, "short_id": "Derived1", "query": query, "derived_name": "Pageview count"},
        {"id": 302, "short_id": "Nameless", "query": query},
    ]
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        names = [
            client.post(ALERTS, json=valid_body(insight=pk)).json()["insight_display_name"]
            for pk in (301, 302)
        ]

    assert names == ["Pageview count", "Untitled insight"]


def test_viewer_access_restricts_alerting_and_hides_alerts() -> None:
    seed = seed_with()
    seed["insights"][0]["viewers"] = [1]
    grace = add_key(seed, ["*"], user=2)
    seed["alerts"] = [valid_body(name="seeded by Ada")]
    with Emulator(seed=seed) as emu, client_for(emu, grace) as client:
        created = client.post(ALERTS, json=valid_body())
        listed = client.get(ALERTS).json()
        alert_id = emu.alerts()[0]["id"]
        hidden = client.get(f"{ALERTS}{alert_id}/")
        other = client.post(ALERTS, json=valid_body(insight=102))

    assert created.json()["detail"] == "Viewer access to this insight is required."
    assert created.json()["attr"] == "insight"
    assert (listed["count"], hidden.status_code) == (0, 404)
    assert other.status_code == 201


def test_seeded_alerts_carry_state() -> None:
    seed = seed_with()
    seed["alerts"] = [
        {
            **valid_body(name="erroring", threshold=threshold(upper=500)),
            "created_by": 2,
            "checks": [
                {"state": "Firing", "calculated_value": 512, "at": "2025-06-02T01:00:00Z",
                 "triggered_points": [29]},
                {"state": "Errored", "error": "Query timed out", "at": "2025-06-03T01:00:00Z"},
            ],
            "last_checked_at": "2025-05-20T01:00:00Z",
        },
        {**valid_body(name="snoozed"), "snooze": "2030-01-01T00:00:00Z"},
    ]  # fmt: skip
    with Emulator(seed=seed) as emu:
        snoozed, erroring = emu.alerts()
        checks = emu.checks(erroring["id"])

    assert (erroring["state"], erroring["last_value"]) == ("Errored", None)
    assert erroring["last_checked_at"] == "2025-05-20T01:00:00Z"
    assert erroring["next_check_at"] == "2025-06-04T01:00:00Z"
    assert erroring["created_by"]["id"] == 2
    assert [check["state"] for check in checks] == ["Errored", "Firing"]
    assert [check["calculated_value"] for check in erroring["checks"]] == [512.0]
    assert (snoozed["state"], snoozed["snoozed_until"]) == ("Snoozed", "2030-01-01T00:00:00Z")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "seed.timezone: unknown timezone 'Mars/Olympus'"),
        ({"organization": {"feature_flags": "metrics"}}, "feature_flags: expected list"),
        ({"entitlements": {"real_time_limit": "2"}}, "real_time_limit: expected int"),
        ({"entitlements": {"realtime": True}}, "unknown key 'realtime'"),
        ({"alerts": [{"insight": 101, "checks": {"state": "Firing"}}]},
         r"seed\.alerts\[0\]\.checks: expected a list of mappings"),
        ({"alerts": [{**valid_body(), "checks": [{"state": "Burning"}]}]},
         r"seed\.alerts\[0\]: unknown alert state 'Burning'"),
        ({"alerts": [{**valid_body(), "checks": [{"state": "Firing", "valu": 1}]}]},
         r"seed\.alerts\[0\]: unknown check key 'valu'"),
    ],
)  # fmt: skip
def test_malformed_new_seed_keys_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SeedError, match=message):
        Emulator(seed=seed_with(**change))


@pytest.mark.parametrize(
    ("insight", "message"),
    [
        ({"columns": [{"name": "x", "type": "int"}]}, r"columns\[0\]: unknown key 'type'"),
        ({"columns": [{"numeric": True}]}, r"columns\[0\]: missing key 'name'"),
        ({"viewers": [1, 500]}, "unknown user id 500"),
        ({"viewers": ["ada"]}, "viewers: expected a list of user ids"),
        ({"tags": "growth"}, "tags: expected a list"),
    ],
)
def test_malformed_insight_keys_are_refused(insight: dict[str, Any], message: str) -> None:
    seed = default_seed()
    seed["insights"][0].update(insight)

    with pytest.raises(SeedError, match=message):
        Emulator(seed=seed)


def test_check_rows_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with Emulator(state_path=state) as first, client_for(first) as client:
        alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
        first.record_check(alert_id, "Firing", 3.5, triggered_points=[1])
        client.patch(f"{ALERTS}{alert_id}/", json={"snoozed_until": "2h"})
        before = client.get(f"{ALERTS}{alert_id}/").json()

    with Emulator(state_path=state) as second, client_for(second) as client:
        after = client.get(f"{ALERTS}{alert_id}/").json()

    assert after == before
    assert after["checks_total"] == 2
    assert json.loads(state.read_text())["version"] == 2


def test_a_version_1_state_file_is_still_read(tmp_path: Path) -> None:
    with Emulator() as emu, client_for(emu) as client:
        alert = client.post(ALERTS, json=valid_body(name="old")).json()
    stored = {
        key: value
        for key, value in alert.items()
        if key not in ("insight_short_id", "insight_display_name")
    }
    stored |= {"insight": 101, "created_by": 1, "subscribed_users": [1], "last_value": None}
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 1, "project_id": 1, "alerts": [stored]}))

    with Emulator(state_path=state) as emu:
        (loaded,) = emu.alerts()

    assert (loaded["name"], loaded["checks"], loaded["last_value"]) == ("old", [], None)
