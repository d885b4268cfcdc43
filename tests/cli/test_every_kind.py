"""Every alert PostHog users make: planned, applied and converged against the emulator (which
normalises like the newest PostHog), and exported from a project that holds all of them."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator, NoFaults
from alertsync.emulator.wire import Request, Response, json_response
from tests.builders import EXAMPLE, Runner, client_for, write

ALERTS = "/api/projects/1/alerts/"
TIME_SERIES = {101: 1, 102: 2, 103: 1}  # trends insight id → series
NOT_TIME_SERIES = (104, 105, 114)
SQL = (109, 110)
STEPS_FUNNEL, TRENDS_FUNNEL, METRICS = 106, 111, 113
DETECTORS: tuple[str, ...] = ("zscore", "mad", "iqr", "threshold", "ecod", "copod")
DETECTORS += ("isolation_forest", "knn", "hbos", "lof", "ocsvm", "pca")


def test_the_example_creates_every_kind_then_converges(run: Runner, tmp_path: Path) -> None:
    file = Path(shutil.copy(EXAMPLE, tmp_path / "alerts.yaml"))
    first = run("plan", str(file), "--detailed-exitcode")
    summary = "Plan: 13 to create, 0 to update, 0 to delete; destinations: 5 to add, 0 to change"
    assert first.exit_code == 2 and summary in first.stdout
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    again = run("plan", str(file), "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes." in again.stdout


def test_an_hourly_alert_with_an_upper_bound_on_a_daily_trend_converges(
    run: Runner, tmp_path: Path
) -> None:
    """The newest PostHog turns check_ongoing_interval on by itself for this alert unless it
    is sent as false (contract §2.5.5): alertsync always sends it."""
    body = {
        "name": "Hourly on daily",
        "insight": "Ab3dE9fG",
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 500}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
        "calculation_interval": "hourly",
    }
    file = write(tmp_path / "a.yaml", {"alerts": [body]})
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    (live,) = run.emu.alerts()
    assert live["config"]["check_ongoing_interval"] is False
    assert run("plan", str(file), "--detailed-exitcode").exit_code == 0


SAME_AS_STORED: dict[str, dict[str, Any]] = {
    "integral floats": {
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 500.0}}}
    },
    "quiet hours written loosely": {
        "schedule_restriction": {
            "blocked_windows": [
                {"start": "7:00", "end": "8:00"},
                {"start": "8:00", "end": "9:30"},
                {"start": "22:00", "end": "07:00"},
            ]
        }
    },
    "no quiet hours, written as {}": {"schedule_restriction": {}},
    "no quiet hours, written as no windows": {"schedule_restriction": {"blocked_windows": []}},
    "a sparse detector": {
        "detector_config": {"type": "knn", "n_neighbors": 7.0, "preprocessing": {"lags_n": 2}},
        "threshold": None,
    },
    "an ensemble": {
        "detector_config": {
            "type": "ensemble",
            "operator": "or",
            "detectors": [
                {"type": "iqr", "multiplier": 3},
                {"type": "threshold", "upper_bound": 9},
            ],
        },
        "threshold": None,
    },
    "SQL without optional columns": {
        "insight": "Sq1LrT7w",
        "config": {"type": "HogQLAlertConfig", "evaluation": "first_row"},
    },
    "SQL with null columns": {
        "insight": "Sq1LrT7w",
        "config": {"type": "HogQLAlertConfig", "evaluation": "last_row", "column": None},
    },
    "a funnel at the last step": {
        "insight": "Fu1nN3lS",
        "config": {"type": "FunnelsAlertConfig", "metric": "conversion_from_start"},
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 10}}},
    },
    "metrics": {"insight": "Mx3pL7aT", "config": {"type": "MetricsAlertConfig"}},
    "investigation off, written out": {
        "investigation_agent_enabled": False,
        "investigation_gates_notifications": False,
        "investigation_inconclusive_action": "notify",
    },
}


@pytest.mark.parametrize("case", sorted(SAME_AS_STORED))
def test_what_posthog_normalises_never_shows_as_a_change(
    run: Runner, tmp_path: Path, case: str
) -> None:
    alert: dict[str, Any] = {
        "name": case,
        "insight": "Ab3dE9fG",
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 500}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
        **SAME_AS_STORED[case],
    }
    alert = {k: v for k, v in alert.items() if v is not None}
    file = write(tmp_path / "a.yaml", {"alerts": [alert]})
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    result = run("plan", str(file), "--detailed-exitcode")
    assert result.exit_code == 0, result.output


# -- a project holding every kind and option, made outside alertsync ---------------------


def detector(rng: random.Random, kind: str) -> dict[str, Any]:
    params: dict[str, Any] = {"type": kind}
    choices: dict[str, Callable[[], Any]] = {
        "threshold": lambda: round(rng.uniform(0.5, 0.99), 2),
        "window": lambda: rng.choice([5, 30, 60, 1000]),
        "multiplier": lambda: rng.choice([0.5, 1.5, 3, 10.0]),
        "n_estimators": lambda: rng.choice([10, 100, 500]),
        "n_neighbors": lambda: rng.randint(1, 50),
        "n_bins": lambda: rng.randint(5, 50),
        "method": lambda: rng.choice(["largest", "mean", "median"]),
        "nu": lambda: 0.2,
        "kernel": lambda: "rbf",
        "lower_bound": lambda: rng.choice([0, 1.5]),
        "upper_bound": lambda: rng.choice([100, 250.0]),
    }
    for key, make in choices.items():
        if rng.random() < 0.5 and key in PARAMS.get(kind, ()):
            params[key] = make()
    if kind != "threshold" and rng.random() < 0.4:
        params["preprocessing"] = {"diffs_n": rng.choice([0, 1]), "smooth_n": rng.randint(0, 30)}
    return params


PARAMS = {
    "zscore": ("threshold", "window"),
    "mad": ("threshold", "window"),
    "iqr": ("multiplier", "window"),
    "threshold": ("lower_bound", "upper_bound"),
    "isolation_forest": ("n_estimators", "threshold", "window"),
    "knn": ("method", "n_neighbors", "threshold", "window"),
    "hbos": ("n_bins", "threshold", "window"),
    "lof": ("n_neighbors", "threshold", "window"),
    "ocsvm": ("kernel", "nu", "threshold", "window"),
}


def quiet(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.5:
        return None
    windows = []
    for _ in range(rng.randint(1, 3)):
        start = rng.randrange(0, 24 * 60, 30)
        length = rng.choice([30, 60, 90, 240, 480])
        end = (start + length) % (24 * 60)
        hh = f"{start // 60}" if rng.random() < 0.3 else f"{start // 60:02d}"
        windows.append(
            {"start": f"{hh}:{start % 60:02d}", "end": f"{end // 60:02d}:{end % 60:02d}"}
        )
    return {"blocked_windows": windows}


def ui_alert(rng: random.Random, index: int) -> dict[str, Any]:
    """An alert as PostHog's UI or API would take it, of every kind and option."""
    kind = ["trends", "flat", "sql", "steps", "funnel_trend", "metrics", "anomaly"][index % 7]
    condition = "absolute_value"
    threshold: dict[str, Any] = {"type": "absolute", "bounds": {"upper": rng.randint(10, 99)}}
    body: dict[str, Any] = {"name": f"{kind} alert {index:02}"}
    if kind in ("trends", "anomaly"):
        insight = rng.choice(list(TIME_SERIES))
        condition = rng.choice(["absolute_value", "relative_increase", "relative_decrease"])
        config: dict[str, Any] = {
            "type": "TrendsAlertConfig",
            "series_index": rng.randrange(TIME_SERIES[insight]),
        }
        if condition != "absolute_value" and rng.random() < 0.5:
            threshold = {"type": "percentage", "bounds": {"upper": 0.25, "lower": 0.01}}
        if rng.random() < 0.3:
            config["check_ongoing_interval"] = rng.choice([True, False, None])
    elif kind == "flat":
        insight, config = (
            rng.choice(NOT_TIME_SERIES),
            {"type": "TrendsAlertConfig", "series_index": 0},
        )
    elif kind == "sql":
        insight = rng.choice(SQL)
        evaluation = rng.choice(["last_row", "first_row", "any_row"])
        config = {"type": "HogQLAlertConfig", "evaluation": evaluation}
        if rng.random() < 0.6:
            config["column"] = rng.choice(["signups", "error_rate", None])
        if evaluation == "any_row" and rng.random() < 0.5:
            config["label_column"] = "service"
    elif kind == "steps":
        insight, step = STEPS_FUNNEL, rng.choice([None, 1, 2])
        metric = rng.choice(["conversion_from_start", "conversion_from_previous"])
        config = {"type": "FunnelsAlertConfig", "metric": metric, "funnel_step": step}
        threshold = {"type": "absolute", "bounds": {"lower": rng.randint(5, 60)}}
    elif kind == "funnel_trend":
        insight = TRENDS_FUNNEL
        condition = rng.choice(["absolute_value", "relative_decrease"])
        config = {"type": "FunnelsAlertConfig", "metric": "conversion_from_start"}
        if condition == "relative_decrease":
            threshold = {"type": "percentage", "bounds": {"upper": 0.3}}
    else:
        insight, config = METRICS, {"type": "MetricsAlertConfig"}
    body.update(insight=insight, condition={"type": condition}, config=config)
    if kind == "anomaly":
        if rng.random() < 0.3:
            members = rng.sample(DETECTORS, 2)
            operator = rng.choice(["and", "or"])
            body["detector_config"] = {
                "type": "ensemble",
                "operator": operator,
                "detectors": [detector(rng, m) for m in members],
            }
        else:
            body["detector_config"] = detector(rng, rng.choice(DETECTORS))
        threshold = {"type": "absolute", "bounds": {}}
        if rng.random() < 0.5:
            body["investigation_agent_enabled"] = True
            body["investigation_gates_notifications"] = rng.random() < 0.5
            body["investigation_inconclusive_action"] = rng.choice(["notify", "suppress"])
    body["threshold"] = {"configuration": threshold, "name": rng.choice(["", "A name"])}
    body["subscribed_users"] = rng.sample([1, 2, 3, 4], rng.randint(0, 3))
    intervals = ["real_time", "every_15_minutes", "hourly", "daily", "weekly", "monthly"]
    body["calculation_interval"] = rng.choice(intervals)
    body["enabled"] = rng.random() < 0.8
    body["skip_weekend"] = rng.choice([True, False, None])
    body["schedule_restriction"] = quiet(rng)
    return body


def test_export_of_every_kind_and_option_validates_and_round_trips(
    emulator: Emulator, tmp_path: Path
) -> None:
    rng = random.Random(10)
    made = 0
    with client_for(emulator) as http:
        for index in range(70):
            body = ui_alert(rng, index)
            response = http.post(ALERTS, json=body)
            if response.status_code == 201:
                made += 1
            else:  # a combination PostHog refuses (e.g. a check_ongoing rule): fine to skip
                assert response.status_code == 400, response.text
    assert made >= 50
    run = Runner(emulator)
    exported = tmp_path / "exported.yaml"
    assert run("export", "--output", str(exported)).exit_code == 0
    checked = run("validate", str(exported))
    assert checked.exit_code == 0, checked.output
    assert f"OK: {made} alert(s)" in checked.stdout
    plan = run("plan", str(exported), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    text = exported.read_text()
    for option in (
        "detector_config",
        "ensemble",
        "schedule_restriction",
        "HogQLAlertConfig",
        "FunnelsAlertConfig",
        "MetricsAlertConfig",
        "investigation_agent_enabled",
        "real_time",
        "preprocessing",
    ):
        assert option in text, option


# -- an older PostHog, which returns (and keeps) none of the newer fields --------------------

NEWER = (
    "detector_config",
    "schedule_restriction",
    "investigation_agent_enabled",
    "investigation_gates_notifications",
    "investigation_inconclusive_action",
    "insight_short_id",
    "insight_display_name",
    "last_value",
)


class OlderServer(NoFaults):
    """Answers without the fields PostHog added after 2024 (contract §1.1 Older servers)."""

    def after(self, request: Request, response: Response) -> Response:
        if "/alerts" not in request.path or not response.body:
            return response
        data = json.loads(response.body)
        for alert in data.get("results", [data]) if isinstance(data, dict) else []:
            if isinstance(alert, dict):
                for key in NEWER:
                    alert.pop(key, None)
        return json_response(response.status, data)


def test_an_older_server_sees_no_newer_field_and_no_phantom_change(tmp_path: Path) -> None:
    trends = Path(__file__).resolve().parents[1] / "cases" / "valid" / "trends-only.yaml"
    with Emulator(fault_policy=OlderServer()) as emu:
        run = Runner(emu)
        assert run("apply", str(trends), "--auto-approve").exit_code == 0
        sent = [r.body for r in emu.requests if r.method == "POST"]
        assert sent and not any(key in body for body in sent for key in NEWER)
        assert run("plan", str(trends), "--detailed-exitcode").exit_code == 0


def test_a_newer_field_an_older_server_drops_is_reported_not_planned_forever(
    tmp_path: Path,
) -> None:
    alert = {
        "name": "With quiet hours",
        "insight": "Ab3dE9fG",
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 500}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
        "schedule_restriction": {"blocked_windows": [{"start": "22:00", "end": "07:00"}]},
    }
    file = write(tmp_path / "a.yaml", {"alerts": [alert]})
    with Emulator(fault_policy=OlderServer()) as emu:
        run = Runner(emu)
        result = run("apply", str(file), "--auto-approve")
        assert result.exit_code == 1
        assert "PostHog saved the alert but did not keep schedule_restriction" in result.stdout
        assert "older PostHog" in result.stdout
        (live,) = emu.alerts()
        assert f"id {live['id']}" in result.stdout  # the alert was made, and the report says so
