"""Write semantics: PATCH/PUT (§1.3, §4), snoozing (§1.4), DELETE, state side effects."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, client_for, error, valid_body

from .conftest import MakeAlert


def _path(alert_id: str) -> str:
    return f"{ALERTS}{alert_id}/"


def test_patch_replaces_threshold_configuration_whole_and_keeps_its_id(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert(
        threshold={
            "name": "t",
            "configuration": {"type": "absolute", "bounds": {"lower": 1, "upper": 9}},
        }
    )
    new_configuration = {"type": "absolute", "bounds": {"upper": 20}}

    patched = client.patch(
        _path(created["id"]), json={"threshold": {"configuration": new_configuration}}
    )

    assert patched.status_code == 200, patched.text
    threshold = patched.json()["threshold"]
    assert threshold["id"] == created["threshold"]["id"]
    assert threshold["created_at"] == created["threshold"]["created_at"]
    assert threshold["configuration"] == new_configuration
    assert threshold["name"] == "t"


def test_threshold_change_resets_firing_state_and_next_check(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    firing = emu.set_alert_state(alert_id, "Firing")
    assert (firing["state"], firing["next_check_at"] is not None) == ("Firing", True)

    patched = client.patch(
        _path(alert_id),
        json={"threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 10}}}},
    ).json()

    assert patched["state"] == "Not firing"
    assert patched["next_check_at"] is None
    assert patched["last_checked_at"] == firing["last_checked_at"]


def test_same_threshold_configuration_does_not_reset_state(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert()
    firing = emu.set_alert_state(created["id"])

    patched = client.patch(
        _path(created["id"]),
        json={
            "threshold": {"name": "renamed", "configuration": created["threshold"]["configuration"]}
        },
    ).json()

    assert patched["state"] == "Firing"
    assert patched["next_check_at"] == firing["next_check_at"]
    assert patched["threshold"]["name"] == "renamed"


def test_condition_change_alone_does_not_reset_state(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    emu.set_alert_state(alert_id)

    patched = client.patch(
        _path(alert_id), json={"condition": {"type": "relative_decrease"}}
    ).json()

    assert patched["condition"] == {"type": "relative_decrease"}
    assert patched["state"] == "Firing"


def test_interval_change_nulls_next_check_but_keeps_state(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(calculation_interval="daily")["id"]
    firing = emu.set_alert_state(alert_id)

    same = client.patch(_path(alert_id), json={"calculation_interval": "daily"}).json()
    changed = client.patch(_path(alert_id), json={"calculation_interval": "hourly"}).json()

    assert same["next_check_at"] == firing["next_check_at"]
    assert (changed["calculation_interval"], changed["next_check_at"]) == ("hourly", None)
    assert changed["state"] == "Firing"


def test_subscribed_users_are_replaced_as_a_set(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(subscribed_users=[1, 2])["id"]

    patched = client.patch(_path(alert_id), json={"subscribed_users": [3, 4, 3]}).json()
    untouched = client.patch(_path(alert_id), json={"name": "other"}).json()
    emptied = client.patch(_path(alert_id), json={"subscribed_users": []}).json()

    assert [user["id"] for user in patched["subscribed_users"]] == [3, 4]
    assert [user["id"] for user in untouched["subscribed_users"]] == [3, 4]
    assert emptied["subscribed_users"] == []


def test_disabling_forces_not_firing(
    emu: Emulator, client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]
    emu.set_alert_state(alert_id)

    disabled = client.patch(_path(alert_id), json={"enabled": False}).json()

    assert (disabled["enabled"], disabled["state"]) == (False, "Not firing")


def test_input_state_and_read_only_fields_are_ignored(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert(state="Firing", id="x", last_value=3.0, unknown_key=1)

    patched = client.patch(
        _path(created["id"]), json={"state": "Firing", "created_at": "2000-01-01"}
    )

    assert created["state"] == "Not firing"
    assert created["last_value"] is None
    assert patched.json()["state"] == "Not firing"
    assert patched.json()["created_at"] == created["created_at"]


def test_name_is_trimmed_like_drf(make_alert: MakeAlert) -> None:
    assert make_alert(name="  spaced out  ")["name"] == "spaced out"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2h", datetime(2030, 1, 1, 12, tzinfo=UTC)),
        ("1d", datetime(2030, 1, 2, tzinfo=UTC)),
        ("2030-03-04T05:06:07+02:00", datetime(2030, 3, 4, 3, 6, 7, tzinfo=UTC)),
    ],
)
def test_snooze_sets_state_and_time(value: str, expected: datetime) -> None:
    now = datetime(2030, 1, 1, 10, 30, tzinfo=UTC)
    with Emulator(clock=lambda: now) as emu, client_for(emu) as client:
        alert_id = client.post(ALERTS, json=valid_body()).json()["id"]
        snoozed = client.patch(_path(alert_id), json={"snoozed_until": value}).json()

    assert snoozed["state"] == "Snoozed"
    assert datetime.fromisoformat(snoozed["snoozed_until"]) == expected


def test_unsnooze_with_null(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]
    client.patch(_path(alert_id), json={"snoozed_until": "1d"})

    unsnoozed = client.patch(_path(alert_id), json={"snoozed_until": None}).json()

    assert (unsnoozed["state"], unsnoozed["snoozed_until"]) == ("Not firing", None)


def test_snooze_on_create_stores_iso_and_ignores_relative(make_alert: MakeAlert) -> None:
    iso = make_alert(snoozed_until="2030-01-01T00:00:00Z")
    relative = make_alert(snoozed_until="2h")

    assert (iso["snoozed_until"], iso["state"]) == ("2030-01-01T00:00:00Z", "Not firing")
    assert (relative["snoozed_until"], relative["state"]) == (None, "Not firing")


def test_put_requires_the_full_body_and_keeps_absent_optional_fields(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    created = make_alert(name="kept", calculation_interval="weekly")
    path = _path(created["id"])

    missing = client.put(path, json={"insight": 101, "subscribed_users": [1]})
    full = client.put(
        path,
        json={
            "insight": 102,
            "subscribed_users": [2],
            "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 3}}},
            "config": {"type": "TrendsAlertConfig", "series_index": 1},
        },
    )

    assert missing.json() == error("required", "This field is required.", "threshold")
    assert full.status_code == 200, full.text
    body = full.json()
    assert (body["insight"]["id"], body["name"], body["calculation_interval"]) == (
        102,
        "kept",
        "weekly",
    )
    assert body["threshold"]["id"] == created["threshold"]["id"]


def test_put_threshold_without_configuration_is_required(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    response = client.put(
        _path(alert_id), json={"insight": 101, "subscribed_users": [1], "threshold": {"name": "x"}}
    )

    assert response.json() == error(
        "required", "This field is required.", "threshold__configuration"
    )


def test_delete_is_204_then_404(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert()["id"]

    deleted = client.delete(_path(alert_id))

    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(_path(alert_id)).status_code == 404
    assert client.delete(_path(alert_id)).status_code == 404
    assert client.get(ALERTS).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_insight_query_param_scopes_detail_routes(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(insight=101)["id"]

    assert client.get(_path(alert_id), params={"insight": 101}).status_code == 200
    assert client.get(_path(alert_id), params={"insight": 102}).status_code == 404
    assert client.delete(_path(alert_id), params={"insight": 102}).status_code == 404


def test_set_alert_state_rejects_unknown_states_and_ids(
    emu: Emulator, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    with pytest.raises(ValueError, match="unknown alert state"):
        emu.set_alert_state(alert_id, "Exploded")
    with pytest.raises(KeyError):
        emu.set_alert_state("01975a3c-8f2e-7000-8b1e-4c2d9a7f3e10")
