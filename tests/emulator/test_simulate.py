"""``POST …/alerts/simulate/`` (contract §3.4): scopes, request validation, the stand-in maths."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    FUNNEL_STEPS,
    METRICS,
    RETENTION,
    SIMULATE,
    SQL_ERRORS,
    SQL_SIGNUPS,
    TRENDS_HOURLY,
    TRENDS_TWO_SERIES,
    add_key,
    client_for,
    error,
    seed_with,
)

NOW = datetime(2026, 4, 6, 14, 30, tzinfo=UTC)
KEYS = [
    "data", "dates", "scores", "triggered_indices", "triggered_dates", "interval",
    "total_points", "anomaly_count",
]  # fmt: skip


@pytest.fixture
def sim() -> Any:
    with Emulator(clock=lambda: NOW) as emu, client_for(emu) as client:
        yield client


def test_default_detector_on_a_trend(sim: httpx.Client) -> None:
    response = sim.post(SIMULATE, json={"insight": 101})

    body = response.json()
    assert response.status_code == 200
    assert list(body) == KEYS
    assert (body["interval"], body["total_points"]) == ("day", 31)  # window 30 + offset 1
    assert len(body["data"]) == len(body["dates"]) == len(body["scores"]) == 31
    assert body["dates"][-1] == "2026-04-05" and body["dates"][0] == "2026-03-06"
    assert body["scores"][:30] == [None] * 30
    assert (body["triggered_indices"], body["triggered_dates"]) == ([30], ["2026-04-05"])
    assert body["anomaly_count"] == 1


def test_the_insight_may_be_a_short_id(sim: httpx.Client) -> None:
    by_id = sim.post(SIMULATE, json={"insight": 103}).json()

    assert sim.post(SIMULATE, json={"insight": " Pq9rS4tU "}).json() == by_id
    assert by_id["interval"] == "hour"
    assert by_id["dates"][-1] == "2026-04-06 13:00:00"


def test_simulation_is_deterministic_and_stores_nothing(sim: httpx.Client) -> None:
    body = {"insight": TRENDS_TWO_SERIES, "series_index": 1, "date_from": "-10w"}

    first, second = sim.post(SIMULATE, json=body).json(), sim.post(SIMULATE, json=body).json()

    assert first == second
    assert first["total_points"] == 10
    assert sim.get(ALERTS).json()["count"] == 0


def test_ensembles_report_their_members(sim: httpx.Client) -> None:
    detector = {
        "type": "ensemble",
        "operator": "and",
        "detectors": [{"type": "zscore", "window": 10}, {"type": "threshold", "upper_bound": 50}],
    }

    body = sim.post(SIMULATE, json={"insight": 101, "detector_config": detector}).json()

    assert list(body) == [*KEYS, "sub_detector_scores"]
    assert [sub["type"] for sub in body["sub_detector_scores"]] == ["zscore", "threshold"]
    assert body["total_points"] == 11
    assert body["triggered_indices"] == [10]


def test_direction_limits_what_triggers(sim: httpx.Client) -> None:
    detector = {"type": "mad", "window": 10, "direction": "down"}

    body = sim.post(SIMULATE, json={"insight": 101, "detector_config": detector}).json()

    assert body["anomaly_count"] == 0  # the spike goes up


def test_sql_insights_have_no_dates_and_pick_a_column(sim: httpx.Client) -> None:
    config = {"type": "HogQLAlertConfig", "evaluation": "first_row", "column": "signups"}

    body = sim.post(SIMULATE, json={"insight": "Sq1LrT7w", "config": config}).json()

    assert (body["dates"], body["interval"], body["triggered_dates"]) == ([], None, [])
    assert body["total_points"] == 31


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"insight": FUNNEL_STEPS},
         "Anomaly detection simulation isn't supported for FunnelsQuery insights"),
        ({"insight": METRICS},
         "Anomaly detection simulation isn't supported for MetricsQuery insights"),
        ({"insight": 101, "series_index": 1},
         "series_index 1 is out of range (query has 1 series)"),
        ({"insight": SQL_SIGNUPS,
          "config": {"type": "HogQLAlertConfig", "evaluation": "any_row"}},
         "Anomaly detection isn't supported for any-row SQL alerts — its rows are unrelated "
         "entities, not a time series. Use last-row or first-row evaluation."),
        ({"insight": SQL_SIGNUPS,
          "config": {"type": "HogQLAlertConfig", "evaluation": "last_row", "column": "x"}},
         "SQL alert column 'x' is not in the result columns (day, signups)."),
        ({"insight": SQL_ERRORS,
          "config": {"type": "HogQLAlertConfig", "evaluation": "last_row",
                     "label_column": "country"}},
         "SQL alert label column 'country' is not in the result columns (service, error_rate)."),
    ],
)  # fmt: skip
def test_what_cannot_be_simulated(sim: httpx.Client, payload: dict[str, Any], detail: str) -> None:
    assert sim.post(SIMULATE, json=payload).json() == error("invalid_input", detail)


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"type": "HogQLAlertConfig"}, "evaluation\n  Field required [type=missing"),
        ({"type": "HogQLAlertConfig", "evaluation": "mid"},
         "evaluation\n  Input should be 'last_row', 'first_row' or 'any_row' [type=enum"),
        ({"type": "HogQLAlertConfig", "evaluation": "last_row", "series_index": 0},
         "series_index\n  Extra inputs are not permitted [type=extra_forbidden"),
        ("last_row", "Input should be a valid dictionary or instance of HogQLAlertConfig"),
    ],
)  # fmt: skip
def test_a_sql_config_is_validated_like_pydantic(
    sim: httpx.Client, config: Any, fragment: str
) -> None:
    detail = sim.post(SIMULATE, json={"insight": SQL_SIGNUPS, "config": config}).json()["detail"]

    assert detail.startswith("1 validation error for HogQLAlertConfig\n")
    assert fragment in detail


def test_sql_with_several_numeric_columns_needs_a_column() -> None:
    seed = seed_with()
    columns = [{"name": "day", "numeric": False}, {"name": "a"}, {"name": "b"}]
    query = {"kind": "HogQLQuery", "query": "select day, a, b from t"}
    seed["insights"].append({"id": 301, "short_id": "TwoNums", "query": query, "columns": columns})
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        detail = client.post(SIMULATE, json={"insight": 301}).json()["detail"]

    assert detail == (
        "SQL alert query returns 3 columns (day, a, b) and more than one of them is numeric — "
        "pick the column to evaluate in the alert settings."
    )


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, error("required", "This field is required.", "insight")),
        ({"insight": None}, error("null", "This field may not be null.", "insight")),
        ({"insight": ""}, error("null", "This field may not be null.", "insight")),
        ({"insight": "nope"}, error("incorrect_type",
                                    "Incorrect type. Expected pk value, received str.",
                                    "insight")),
        ({"insight": 9999}, error("does_not_exist", 'Invalid pk "9999" - object does not exist.',
                                  "insight")),
        ({"insight": "Dd4eL3tD"}, error("incorrect_type",
                                        "Incorrect type. Expected pk value, received str.",
                                        "insight")),
        ({"insight": RETENTION}, error("invalid_input",
                                       "Alerts are not supported for this insight.", "insight")),
        ({"insight": 101, "detector_config": {"type": "nonexistent_detector"}},
         error("invalid_input", "Invalid detector configuration.", "detector_config")),
        ({"insight": 101, "detector_config": {"type": "zscore", "window": 2}},
         error("invalid_input", "Window size must be between 5 and 1000.", "detector_config")),
        ({"insight": 101, "series_index": "first"},
         error("invalid_input", "A valid integer is required.", "series_index")),
        ({"insight": 101, "series_index": None},
         error("null", "This field may not be null.", "series_index")),
        ({"insight": 101, "date_from": ""},
         error("blank", "This field may not be blank.", "date_from")),
        ({"insight": 101, "date_from": ["-1d"]},
         error("invalid_input", "Not a valid string.", "date_from")),
        ({"insight": "nope", "detector_config": {"type": "x"}},
         error("incorrect_type", "Incorrect type. Expected pk value, received str.", "insight")),
        ([], error("invalid_input", "Invalid data. Expected a dictionary, but got list.")),
    ],
)  # fmt: skip
def test_request_validation(sim: httpx.Client, payload: Any, expected: Any) -> None:
    assert sim.post(SIMULATE, json=payload).json() == expected


def test_accepted_spellings(sim: httpx.Client) -> None:
    accepted = [
        {"insight": "101", "series_index": "0"},
        {"insight": TRENDS_HOURLY, "series_index": 0.0, "detector_config": None},
        {"insight": 101, "date_from": None, "config": None},
    ]

    assert [sim.post(SIMULATE, json=body).status_code for body in accepted] == [200, 200, 200]


@pytest.mark.parametrize(
    ("scopes", "status", "detail"),
    [
        (["feature_flag:read"], 403, "API key missing required scope 'alert:read'"),
        (["alert:read"], 403, "API key missing required scope 'insight:read'"),
        (["insight:read"], 403, "API key missing required scope 'alert:read'"),
        (["alert:read", "insight:read"], 200, None),
        (["alert:write", "insight:write"], 200, None),
    ],
)
def test_simulate_needs_alert_and_insight_read(
    scopes: list[str], status: int, detail: str | None
) -> None:
    seed = seed_with()
    key = add_key(seed, scopes)
    with Emulator(seed=seed) as emu, client_for(emu, key) as client:
        response = client.post(SIMULATE, json={"insight": 101})

    assert response.status_code == status
    if detail is not None:
        assert response.json()["detail"] == detail


def test_simulate_is_gated_like_create() -> None:
    seed = seed_with(organization={"feature_flags": []})
    seed["insights"][0]["viewers"] = [2]
    with Emulator(seed=seed) as emu, client_for(emu) as client:
        metrics = client.post(SIMULATE, json={"insight": METRICS}).json()
        hidden = client.post(SIMULATE, json={"insight": 101}).json()

    assert metrics["detail"] == "Metrics insight alerts are not enabled for your account."
    assert hidden["detail"] == "Viewer access to this insight is required."


def test_simulate_only_answers_post(sim: httpx.Client) -> None:
    response = sim.get(SIMULATE)

    assert response.json() == error(
        "method_not_allowed", 'Method "GET" not allowed.', kind="invalid_request"
    )
