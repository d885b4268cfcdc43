"""``detector_config`` (contract §2.6): validation, ranges and the normalised return shape."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.builders import ALERTS, SQL_SIGNUPS, error, kind_body, threshold, valid_body

from .conftest import MakeAlert

INVALID = "Invalid detector configuration."


def _with_detector(detector: Any, **overrides: Any) -> dict[str, Any]:
    return valid_body(detector_config=detector, threshold=threshold(), **overrides)


NORMALISED = [
    ({"type": "zscore"},
     {"preprocessing": None, "threshold": None, "type": "zscore", "window": None}),
    ({"type": "zscore", "threshold": 0.95, "preprocessing": {"diffs_n": 1}},
     {"preprocessing": {"diffs_n": 1, "lags_n": None, "smooth_n": None}, "threshold": 0.95,
      "type": "zscore", "window": None}),
    ({"type": "mad", "threshold": 1, "window": 30.0},
     {"preprocessing": None, "threshold": 1.0, "type": "mad", "window": 30}),
    ({"type": "iqr"},
     {"multiplier": None, "preprocessing": None, "type": "iqr", "window": None}),
    ({"type": "threshold", "upper_bound": 10},
     {"lower_bound": None, "preprocessing": None, "type": "threshold", "upper_bound": 10.0}),
    ({"type": "ecod"}, {"preprocessing": None, "threshold": None, "type": "ecod", "window": None}),
    ({"type": "copod"},
     {"preprocessing": None, "threshold": None, "type": "copod", "window": None}),
    ({"type": "isolation_forest", "n_estimators": 100},
     {"n_estimators": 100, "preprocessing": None, "threshold": None,
      "type": "isolation_forest", "window": None}),
    ({"type": "knn", "method": "mean"},
     {"method": "mean", "n_neighbors": None, "preprocessing": None, "threshold": None,
      "type": "knn", "window": None}),
    ({"type": "hbos", "n_bins": 10},
     {"n_bins": 10, "preprocessing": None, "threshold": None, "type": "hbos", "window": None}),
    ({"type": "lof"},
     {"n_neighbors": None, "preprocessing": None, "threshold": None, "type": "lof",
      "window": None}),
    ({"type": "ocsvm", "kernel": "rbf", "nu": 0.1},
     {"kernel": "rbf", "nu": 0.1, "preprocessing": None, "threshold": None, "type": "ocsvm",
      "window": None}),
    ({"type": "pca"}, {"preprocessing": None, "threshold": None, "type": "pca", "window": None}),
    ({"type": "ensemble", "operator": "or",
      "detectors": [{"type": "iqr", "multiplier": 3}, {"type": "threshold"}]},
     {"detectors": [
         {"multiplier": 3.0, "preprocessing": None, "type": "iqr", "window": None},
         {"lower_bound": None, "preprocessing": None, "type": "threshold",
          "upper_bound": None}],
      "operator": "or", "type": "ensemble"}),
    ({"type": "zscore", "training_offset_n": 3, "direction": "down"},
     {"direction": "down", "preprocessing": None, "threshold": None, "training_offset_n": 3,
      "type": "zscore", "window": None}),
]  # fmt: skip


@pytest.mark.parametrize(("sent", "stored"), NORMALISED)
def test_detector_config_is_returned_normalised(
    client: httpx.Client, make_alert: MakeAlert, sent: dict[str, Any], stored: dict[str, Any]
) -> None:
    created = make_alert(detector_config=sent, threshold=threshold())

    assert created["detector_config"] == stored
    assert list(created["detector_config"]) == list(stored)  # the model's (alphabetical) order
    assert client.get(f"{ALERTS}{created['id']}/").json()["detector_config"] == stored


def test_the_normalised_form_also_comes_back_from_a_patch(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert()["id"]

    patched = client.patch(
        f"{ALERTS}{alert_id}/", json={"detector_config": {"type": "pca", "window": 40}}
    ).json()

    assert patched["detector_config"] == {
        "preprocessing": None,
        "threshold": None,
        "type": "pca",
        "window": 40,
    }


REFUSED = [
    ({"type": "crystal_ball"}, INVALID),
    ({"threshold": 0.9}, INVALID),
    ("zscore", INVALID),
    ({"type": "zscore", "colour": "red"}, INVALID),
    ({"type": "zscore", "multiplier": 2}, INVALID),
    ({"type": "zscore", "window": 12.5}, INVALID),
    ({"type": "zscore", "threshold": "high"}, INVALID),
    ({"type": "zscore", "preprocessing": {"diffs_n": 1, "order": 2}}, INVALID),
    ({"type": "zscore", "preprocessing": 3}, INVALID),
    ({"type": "zscore", "direction": "sideways"}, INVALID),
    ({"type": "knn", "method": "smallest"}, INVALID),
    ({"type": "ocsvm", "kernel": 3}, INVALID),
    ({"type": "ensemble", "detectors": [{"type": "zscore"}, {"type": "mad"}]}, INVALID),
    ({"type": "ensemble", "operator": "and"}, INVALID),
    ({"type": "ensemble", "operator": "xor", "detectors": [{"type": "zscore"}, {"type": "mad"}]},
     INVALID),
    ({"type": "ensemble", "operator": "and",
      "detectors": [{"type": "zscore"}, {"type": "ensemble"}]}, INVALID),
    ({"type": "ensemble", "operator": "and", "detectors": [{"type": "zscore"}]},
     "Ensemble detector requires at least 2 sub-detectors."),
    ({"type": "ensemble", "operator": "and", "detectors": []},
     "Ensemble detector requires at least 2 sub-detectors."),
    ({"type": "zscore", "threshold": 1.5}, "Sensitivity threshold must be between 0.0 and 1.0."),
    ({"type": "zscore", "threshold": -0.1}, "Sensitivity threshold must be between 0.0 and 1.0."),
    ({"type": "mad", "window": 4}, "Window size must be between 5 and 1000."),
    ({"type": "mad", "window": 1001}, "Window size must be between 5 and 1000."),
    ({"type": "isolation_forest", "n_estimators": 9},
     "Number of trees must be between 10 and 500."),
    ({"type": "knn", "n_neighbors": 51}, "Number of neighbors must be between 1 and 50."),
    ({"type": "lof", "n_neighbors": 0}, "Number of neighbors must be between 1 and 50."),
    ({"type": "hbos", "n_bins": 4}, "Number of bins must be between 5 and 50."),
    ({"type": "iqr", "multiplier": 0.4}, "IQR multiplier must be between 0.5 and 10.0."),
    ({"type": "iqr", "multiplier": 11}, "IQR multiplier must be between 0.5 and 10.0."),
    ({"type": "zscore", "training_offset_n": 0}, "Training offset must be between 1 and 500."),
    ({"type": "zscore", "preprocessing": {"smooth_n": 31}},
     "Smoothing window must be between 0 and 30."),
    ({"type": "zscore", "preprocessing": {"lags_n": 11}}, "Lag features must be between 0 and 10."),
    ({"type": "ensemble", "operator": "or",
      "detectors": [{"type": "zscore"}, {"type": "mad", "window": 2}]},
     "Window size must be between 5 and 1000."),
    ({"type": "zscore", "threshold": 2, "window": 2},
     "Sensitivity threshold must be between 0.0 and 1.0."),
]  # fmt: skip


@pytest.mark.parametrize(("detector", "detail"), REFUSED)
def test_refused_detector_configs(client: httpx.Client, detector: Any, detail: str) -> None:
    response = client.post(ALERTS, json=_with_detector(detector))

    assert response.json() == error("invalid_input", detail, "detector_config")


@pytest.mark.parametrize(
    "detector",
    [
        {"type": "zscore", "threshold": 0.0, "window": 5},
        {"type": "zscore", "threshold": 1.0, "window": 1000},
        {"type": "iqr", "multiplier": 0.5},
        {"type": "threshold", "lower_bound": -5, "upper_bound": 5000},
        {"type": "ocsvm", "nu": 7},
        {"type": "zscore", "preprocessing": {"diffs_n": 9, "lags_n": 0, "smooth_n": 30}},
        {"type": "zscore", "training_offset_n": 500, "direction": "both"},
        {"type": "mad", "training_offset_n": None, "direction": None},
    ],
)
def test_range_edges_are_inclusive_and_unchecked_params_are_free(
    client: httpx.Client, detector: dict[str, Any]
) -> None:
    assert client.post(ALERTS, json=_with_detector(detector)).status_code == 201


def test_a_numeric_string_passes_the_schema_then_breaks_the_range_check(
    client: httpx.Client,
) -> None:
    """PostHog compares the raw value: ``"30" < 5`` is a TypeError, answered with a 500."""
    response = client.post(ALERTS, json=_with_detector({"type": "zscore", "window": "30"}))

    assert response.status_code == 500
    assert response.json()["type"] == "server_error"


def test_in_an_ensemble_numeric_strings_are_coerced_first(client: httpx.Client) -> None:
    detector = {
        "type": "ensemble",
        "operator": "and",
        "detectors": [{"type": "zscore", "window": "30"}, {"type": "mad"}],
    }

    created = client.post(ALERTS, json=_with_detector(detector)).json()

    assert created["detector_config"]["detectors"][0]["window"] == 30


def test_detectors_work_on_sql_insights(client: httpx.Client) -> None:
    body = kind_body(SQL_SIGNUPS, "sql", detector_config={"type": "mad"}, threshold=threshold())

    assert client.post(ALERTS, json=body).status_code == 201


def test_detector_null_clears_it(client: httpx.Client, make_alert: MakeAlert) -> None:
    alert_id = make_alert(detector_config={"type": "zscore"}, threshold=threshold(lower=1))["id"]

    patched = client.patch(f"{ALERTS}{alert_id}/", json={"detector_config": None}).json()

    assert patched["detector_config"] is None


def test_a_detector_alert_needs_no_bounds_but_a_threshold_alert_does(
    client: httpx.Client, make_alert: MakeAlert
) -> None:
    alert_id = make_alert(detector_config={"type": "zscore"}, threshold=threshold())["id"]

    removed = client.patch(f"{ALERTS}{alert_id}/", json={"detector_config": None})

    assert removed.json() == error(
        "invalid_input",
        "At least one threshold bound (lower or upper) must be provided.",
        "threshold__configuration",
    )
