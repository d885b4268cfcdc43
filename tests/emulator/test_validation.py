"""The §5 validation rules: exact messages, codes, attrs, and the order they are checked in."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import ALERTS, client_for, error, valid_body

from .conftest import MakeAlert

REMOVE = object()
BOUNDS_REQUIRED = "At least one threshold bound (lower or upper) must be provided."
NOT_SUPPORTED = "Alerts are not supported for this insight."
OUTSIDER = "User does not belong to the same organization as the alert's team."
LONG = "x" * 256
TOO_LONG = "Ensure this field has no more than 255 characters."


def _threshold(configuration: Any, **extra: Any) -> dict[str, Any]:
    return {"configuration": configuration, **extra}


def _body(changes: dict[str, Any]) -> dict[str, Any]:
    body = valid_body(**changes)
    return {key: value for key, value in body.items() if value is not REMOVE}


FIELD_ERRORS = [
    ({"insight": REMOVE}, "required", "This field is required.", "insight"),
    ({"subscribed_users": REMOVE}, "required", "This field is required.", "subscribed_users"),
    ({"threshold": REMOVE}, "required", "This field is required.", "threshold"),
    ({"threshold": {}}, "required", "This field is required.", "threshold__configuration"),
    ({"threshold": _threshold(None)}, "null", "This field may not be null.",
     "threshold__configuration"),
    ({"threshold": None}, "null", "This field may not be null.", "threshold"),
    ({"threshold": "abc"}, "invalid_input", "Invalid data. Expected a dictionary, but got str.",
     "threshold__non_field_errors"),
    ({"insight": 9999}, "does_not_exist", 'Invalid pk "9999" - object does not exist.', "insight"),
    ({"insight": 108}, "does_not_exist", 'Invalid pk "108" - object does not exist.', "insight"),
    ({"insight": "abc"}, "incorrect_type", "Incorrect type. Expected pk value, received str.",
     "insight"),
    ({"insight": [101]}, "incorrect_type", "Incorrect type. Expected pk value, received list.",
     "insight"),
    ({"insight": None}, "null", "This field may not be null.", "insight"),
    ({"insight": ""}, "null", "This field may not be null.", "insight"),
    ({"insight": 107}, "invalid_input", NOT_SUPPORTED, "insight"),
    ({"subscribed_users": [1, 42]}, "does_not_exist", 'Invalid pk "42" - object does not exist.',
     "subscribed_users"),
    ({"subscribed_users": [99]}, "invalid_input", OUTSIDER, "subscribed_users"),
    ({"subscribed_users": 5}, "not_a_list", 'Expected a list of items but got type "int".',
     "subscribed_users"),
    ({"subscribed_users": "1"}, "not_a_list", 'Expected a list of items but got type "str".',
     "subscribed_users"),
    ({"subscribed_users": ["x"]}, "incorrect_type",
     "Incorrect type. Expected pk value, received str.", "subscribed_users"),
    ({"name": LONG}, "max_length", TOO_LONG, "name"),
    ({"name": None}, "null", "This field may not be null.", "name"),
    ({"name": ["a"]}, "invalid_input", "Not a valid string.", "name"),
    ({"threshold": _threshold({"type": "absolute", "bounds": {"lower": 1}}, name=LONG)},
     "max_length", TOO_LONG, "threshold__name"),
    ({"threshold": _threshold({"type": "absolute", "bounds": {"lower": 5, "upper": 1}})},
     "invalid_input", "Lower threshold must be less than upper threshold",
     "threshold__non_field_errors"),
    ({"enabled": "x"}, "invalid_input", "Must be a valid boolean.", "enabled"),
    ({"enabled": None}, "null", "This field may not be null.", "enabled"),
    ({"calculation_interval": "x"}, "invalid_choice", '"x" is not a valid choice.',
     "calculation_interval"),
    ({"calculation_interval": "every_minute"}, "invalid_choice",
     '"every_minute" is not a valid choice.', "calculation_interval"),
    ({"calculation_interval": None}, "null", "This field may not be null.", "calculation_interval"),
    ({"snoozed_until": 5}, "invalid_input", "snoozed_until has to be passed in string format",
     "snoozed_until"),
    ({"skip_weekend": "maybe"}, "invalid_input", "Must be a valid boolean.", "skip_weekend"),
    ({"schedule_restriction": {"blocked_windows": [{"start": "10:00", "end": "10:00"}]}},
     "invalid_input", "Invalid schedule restriction.", "schedule_restriction"),
    ({"detector_config": {"type": "crystal_ball"}}, "invalid_input",
     "Invalid detector configuration.", "detector_config"),
    ({"investigation_inconclusive_action": "shrug"}, "invalid_choice",
     '"shrug" is not a valid choice.', "investigation_inconclusive_action"),
]  # fmt: skip

OBJECT_ERRORS = [
    ({"condition": REMOVE}, "Alert has invalid condition: None"),
    ({"condition": None}, "Alert has invalid condition: None"),
    ({"condition": {}}, "Alert has invalid condition: {}"),
    ({"condition": {"type": "x"}}, "Alert has invalid condition: {'type': 'x'}"),
    ({"condition": {"type": "absolute_value", "extra": 1}},
     "Alert has invalid condition: {'type': 'absolute_value', 'extra': 1}"),
    ({"config": REMOVE}, "Unsupported alert config type: None"),
    ({"config": {"series_index": 0}}, "Unsupported alert config type: {'series_index': 0}"),
    ({"config": {"type": "FunnelsAlertConfig", "metric": "conversion_from_start"}},
     "Funnel alert config requires a FunnelsQuery insight, got 'TrendsQuery'"),
    ({"config": {"type": "WebAlertConfig"}},
     "Unsupported alert config type: {'type': 'WebAlertConfig'}"),
    ({"config": {"type": "TrendsAlertConfig"}},
     "Alert has invalid TrendsAlertConfig: {'type': 'TrendsAlertConfig'}"),
    ({"config": {"type": "TrendsAlertConfig", "series_index": 0, "x": 1}},
     "Alert has invalid TrendsAlertConfig: "
     "{'type': 'TrendsAlertConfig', 'series_index': 0, 'x': 1}"),
    ({"config": {"type": "TrendsAlertConfig", "series_index": "first"}},
     "Alert has invalid TrendsAlertConfig: {'type': 'TrendsAlertConfig', 'series_index': 'first'}"),
    ({"insight": 105, "condition": {"type": "relative_increase"}},
     "Relative alert condition 'relative_increase' is not compatible with non time series trends"),
    ({"insight": 104, "condition": {"type": "relative_decrease"}},
     "Relative alert condition 'relative_decrease' is not compatible with non time series trends"),
    ({"config": {"type": "TrendsAlertConfig", "series_index": 1}},
     "series_index 1 is out of range (query has 1 series)"),
    ({"insight": 102, "config": {"type": "TrendsAlertConfig", "series_index": 2}},
     "series_index 2 is out of range (query has 2 series)"),
    ({"threshold": _threshold({"type": "percentage", "bounds": {"upper": 0.5}})},
     "Absolute value alerts require an absolute threshold, but a percentage threshold was "
     "configured"),
    ({"config": {"type": "TrendsAlertConfig", "series_index": 0, "check_ongoing_interval": True}},
     "check_ongoing_interval is only supported for alert condition absolute_value when upper "
     "threshold is specified"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "detail", "attr"), FIELD_ERRORS)
def test_field_errors_on_create(
    emu: Emulator, client: httpx.Client, changes: dict[str, Any], code: str, detail: str, attr: str
) -> None:
    response = client.post(ALERTS, json=_body(changes))

    assert response.status_code == 400
    assert response.json() == error(code, detail, attr)
    assert emu.alerts() == []


@pytest.mark.parametrize(("changes", "detail"), OBJECT_ERRORS)
def test_alert_config_errors_on_create(
    client: httpx.Client, changes: dict[str, Any], detail: str
) -> None:
    response = client.post(ALERTS, json=_body(changes))

    assert response.status_code == 400
    assert response.json() == error("invalid_input", detail)


@pytest.mark.parametrize(
    "configuration",
    [
        {"type": "absolute", "bounds": {}},
        {"type": "absolute"},
        {"type": "absolute", "bounds": {"lower": None, "upper": None}},
    ],
)
def test_threshold_alerts_need_a_bound(client: httpx.Client, configuration: Any) -> None:
    response = client.post(ALERTS, json=_body({"threshold": _threshold(configuration)}))

    assert response.json() == error("invalid_input", BOUNDS_REQUIRED, "threshold__configuration")


@pytest.mark.parametrize(
    ("configuration", "fragment"),
    [
        ({"type": "absolute", "bounds": {"lower": 1}, "colour": "red"},
         "colour\n  Extra inputs are not permitted [type=extra_forbidden"),
        ({"bounds": {"lower": 1}}, "type\n  Field required [type=missing"),
        ({"type": "relative", "bounds": {"lower": 1}},
         "type\n  Input should be 'absolute' or 'percentage' [type=enum"),
        ({"type": "absolute", "bounds": {"lower": "low"}},
         "bounds.lower\n  Input should be a valid number, unable to parse string as a number"),
        ({"type": "absolute", "bounds": {"lower": 1, "middle": 2}},
         "bounds.middle\n  Extra inputs are not permitted"),
        ([], "Input should be a valid dictionary or instance of InsightThreshold"),
    ],
)  # fmt: skip
def test_threshold_configuration_pydantic_errors(
    client: httpx.Client, configuration: Any, fragment: str
) -> None:
    response = client.post(ALERTS, json=valid_body(threshold=_threshold(configuration)))

    body = response.json()
    assert response.status_code == 400
    assert (body["code"], body["attr"]) == ("invalid_input", "threshold__non_field_errors")
    assert body["detail"].startswith("Invalid threshold configuration: 1 validation error for ")
    assert fragment in body["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"insight": "101"},
        {"name": 5},
        {"subscribed_users": []},
        {"enabled": "false", "skip_weekend": None},
        {"threshold": _threshold({"type": "absolute", "bounds": {"lower": 3, "upper": 3}})},
        {"threshold": _threshold({"type": "absolute", "bounds": {"lower": "2.5"}})},
        {"insight": 102, "config": {"type": "TrendsAlertConfig", "series_index": 1}},
        {"insight": 105, "condition": {"type": "absolute_value"}},
        {"condition": {"type": "relative_increase"},
         "threshold": _threshold({"type": "percentage", "bounds": {"upper": 0.2}})},
        {"config": {"type": "TrendsAlertConfig", "series_index": 0, "check_ongoing_interval": True},
         "threshold": _threshold({"type": "absolute", "bounds": {"upper": 9}})},
        {"condition": {"type": "relative_decrease"},
         "config": {"type": "TrendsAlertConfig", "series_index": 0,
                    "check_ongoing_interval": True}},
        {"calculation_interval": "every_15_minutes"},
        {"detector_config": {"type": "zscore", "threshold": 0.9},
         "investigation_agent_enabled": True, "investigation_gates_notifications": True,
         "threshold": _threshold({"type": "absolute"})},
    ],
)  # fmt: skip
def test_accepted_bodies(client: httpx.Client, changes: dict[str, Any]) -> None:
    response = client.post(ALERTS, json=valid_body(**changes))

    assert response.status_code == 201, response.text


def test_accepted_values_are_coerced_like_drf(make_alert: MakeAlert) -> None:
    created = make_alert(insight="101", name=5, enabled="false", skip_weekend=None)

    assert (created["insight"]["id"], created["name"]) == (101, "5")
    assert (created["enabled"], created["skip_weekend"]) == (False, None)


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"insight": REMOVE, "name": LONG}, "insight"),
        ({"name": LONG, "subscribed_users": [99]}, "name"),
        ({"subscribed_users": [42], "threshold": None}, "subscribed_users"),
        ({"enabled": "x", "calculation_interval": "x"}, "enabled"),
        ({"condition": {}, "calculation_interval": "x"}, "calculation_interval"),
        ({"condition": {}, "config": None, "insight": 107}, "insight"),
    ],
)
def test_only_the_first_failing_field_in_meta_order_is_reported(
    client: httpx.Client, changes: dict[str, Any], attr: str
) -> None:
    assert client.post(ALERTS, json=_body(changes)).json()["attr"] == attr


def test_condition_is_checked_before_config(client: httpx.Client) -> None:
    response = client.post(ALERTS, json=_body({"condition": REMOVE, "config": REMOVE}))

    assert response.json()["detail"] == "Alert has invalid condition: None"


@pytest.mark.parametrize(
    ("changes", "attr", "detail"),
    [
        ({"investigation_agent_enabled": True}, "investigation_agent_enabled",
         "Investigation agent is only supported for anomaly detection alerts."),
        ({"investigation_gates_notifications": True}, "investigation_gates_notifications",
         "Notification gating requires investigation_agent_enabled=true."),
    ],
)  # fmt: skip
def test_investigation_flags(
    client: httpx.Client, changes: dict[str, Any], attr: str, detail: str
) -> None:
    response = client.post(ALERTS, json=valid_body(**changes))

    assert response.json() == error("invalid_input", detail, attr)


# -- PATCH: partial, validated on the merged alert -----------------------------------------


@pytest.mark.parametrize(
    ("patch", "code", "detail", "attr"),
    [
        ({"threshold": None}, "null", "This field may not be null.", "threshold"),
        ({"calculation_interval": None}, "null", "This field may not be null.",
         "calculation_interval"),
        ({"snoozed_until": 1}, "invalid_input", "snoozed_until has to be passed in string format",
         "snoozed_until"),
        ({"subscribed_users": 5}, "not_a_list", 'Expected a list of items but got type "int".',
         "subscribed_users"),
        ({"insight": "abc"}, "incorrect_type", "Incorrect type. Expected pk value, received str.",
         "insight"),
        ({"condition": {}}, "invalid_input", "Alert has invalid condition: {}", None),
        ({"config": None}, "invalid_input", "Unsupported alert config type: None", None),
        ({"threshold": _threshold({"type": "absolute", "bounds": {}})}, "invalid_input",
         BOUNDS_REQUIRED, "threshold__configuration"),
        ({"condition": {"type": "relative_increase"}, "insight": 105}, "invalid_input",
         "Relative alert condition 'relative_increase' is not compatible with non time series "
         "trends", None),
    ],
)  # fmt: skip
def test_patch_errors(
    client: httpx.Client,
    make_alert: MakeAlert,
    patch: dict[str, Any],
    code: str,
    detail: str,
    attr: str | None,
) -> None:
    created = make_alert()
    path = f"{ALERTS}{created['id']}/"

    response = client.patch(path, json=patch)

    assert response.status_code == 400
    assert response.json() == error(code, detail, attr)
    after = client.get(path).json()
    assert {key: value for key, value in after.items() if not key.startswith("checks")} == created


@pytest.mark.parametrize("threshold", [{}, {"name": "only a name"}])
def test_patch_threshold_without_configuration_is_an_invalid_configuration(
    client: httpx.Client, make_alert: MakeAlert, threshold: dict[str, Any]
) -> None:
    alert_id = make_alert()["id"]

    body = client.patch(f"{ALERTS}{alert_id}/", json={"threshold": threshold}).json()

    assert (body["code"], body["attr"]) == ("invalid_input", "threshold__non_field_errors")
    assert body["detail"].startswith("Invalid threshold configuration: 1 validation error")


def test_patch_condition_is_checked_against_the_stored_threshold(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(
        condition={"type": "relative_increase"},
        threshold=_threshold({"type": "percentage", "bounds": {"upper": 0.1}}),
    )["id"]

    response = client.patch(f"{ALERTS}{alert_id}/", json={"condition": {"type": "absolute_value"}})

    assert response.json() == error(
        "invalid_input",
        "Absolute value alerts require an absolute threshold, but a percentage threshold was "
        "configured",
    )


def test_patch_name_only_on_a_valid_alert_succeeds(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    assert client.patch(f"{ALERTS}{alert_id}/", json={"name": "ok"}).status_code == 200


# -- plan and entitlements -----------------------------------------------------------------


def _seed(**changes: Any) -> dict[str, Any]:
    seed = default_seed()
    seed.update(changes)
    return seed


def test_paid_plan_alert_limit_applies_to_post_only() -> None:
    with Emulator(seed=_seed(alert_limit=2)) as emu, client_for(emu) as client:
        first = client.post(ALERTS, json=valid_body(enabled=False)).json()
        client.post(ALERTS, json=valid_body())
        refused = client.post(ALERTS, json=valid_body())
        patched = client.patch(f"{ALERTS}{first['id']}/", json={"name": "still editable"})
        client.delete(f"{ALERTS}{first['id']}/")
        after_delete = client.post(ALERTS, json=valid_body())

    assert refused.status_code == 400
    assert refused.json() == error(
        "invalid_input", "Your team has reached the limit of 2 alerts on your plan.", "alert"
    )
    assert patched.status_code == 200
    assert after_delete.status_code == 201


def test_free_tier_is_limited_to_five_alerts() -> None:
    seed = _seed(entitlements={"alerts": False, "every_15_minutes": True})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        statuses = [client.post(ALERTS, json=valid_body()).status_code for _ in range(5)]
        refused = client.post(ALERTS, json=valid_body())

    assert statuses == [201] * 5
    assert refused.json() == error("invalid_input", "Your plan is limited to 5 alerts.", "alert")


def test_plan_limit_is_checked_after_the_alert_itself() -> None:
    with Emulator(seed=_seed(alert_limit=0)) as emu, client_for(emu) as client:
        invalid = client.post(ALERTS, json=valid_body(condition={}))
        valid = client.post(ALERTS, json=valid_body())

    assert invalid.json()["detail"] == "Alert has invalid condition: {}"
    assert valid.json()["attr"] == "alert"


def test_every_15_minutes_needs_the_entitlement() -> None:
    seed = _seed(entitlements={"alerts": True, "every_15_minutes": False})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        refused = client.post(ALERTS, json=valid_body(calculation_interval="every_15_minutes"))
        hourly = client.post(ALERTS, json=valid_body(calculation_interval="hourly"))
        patched = client.patch(
            f"{ALERTS}{hourly.json()['id']}/", json={"calculation_interval": "every_15_minutes"}
        )

    expected = error(
        "invalid_input",
        "15-minute alert intervals require a Boost, Scale, or Enterprise platform add-on.",
        "calculation_interval",
    )
    assert refused.json() == expected
    assert patched.json() == expected


def test_insight_without_query_is_refused() -> None:
    seed = default_seed()
    seed["insights"].append({"id": 200, "short_id": "NoQuery1", "name": "Legacy", "query": None})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        response = client.post(ALERTS, json=valid_body(insight=200))

    assert response.json() == error("invalid_input", "Insight has no valid query.", "insight")
