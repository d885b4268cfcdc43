"""A plan is green only when apply will succeed: every rule PostHog checks against the alert's
insight is checked when planning, at the alert's file:line:col, before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from alertsync.emulator import Emulator
from tests.builders import Runner, without_real_time

TRENDS = "config:\n      series_index: 0"


def alert_text(insight: str, condition: str, config: str, extra: str = "") -> str:
    return (
        "alerts:\n"
        "  - name: Checked against its insight\n"
        f"    insight: {insight}\n"
        "    threshold:\n"
        "      configuration:\n"
        "        type: absolute\n"
        "        bounds: {lower: 5}\n"
        f"    condition: {{type: {condition}}}\n"
        f"    {config}\n"
        f"{extra}"
    )


def where(text: str, needle: str) -> str:
    """line:col of the value that follows `needle` in `text` (1-based)."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return f"{number}:{line.index(needle) + len(needle) + 1}"
    raise AssertionError(needle)


CASES = {
    "relative condition on a non-time-series trend": (
        alert_text("Bn5vC8xZ", "relative_increase", TRENDS),
        "condition: {type: ",
        "condition.type",
        "not a time series, so PostHog refuses the relative_increase condition",
    ),
    "series beyond the insight's": (
        alert_text("Ab3dE9fG", "absolute_value", "config:\n      series_index: 3"),
        "series_index: ",
        "config.series_index",
        "series_index 3 is out of range: the insight has 1 series (0 to 0)",
    ),
    "funnel step out of range": (
        alert_text(
            "Fu1nN3lS",
            "absolute_value",
            "config: {type: FunnelsAlertConfig, metric: conversion_from_start, funnel_step: 3}",
        ),
        "funnel_step: ",
        "config.funnel_step",
        "funnel_step 3 is out of range: the funnel has 3 steps (0 to 2)",
    ),
    "relative condition on a steps funnel": (
        alert_text(
            "Fu1nN3lS",
            "relative_decrease",
            "config: {type: FunnelsAlertConfig, metric: conversion_from_start}",
        ),
        "condition: {type: ",
        "condition.type",
        "only supports the absolute_value condition",
    ),
    "conversion from previous at the first step": (
        alert_text(
            "Fu1nN3lS",
            "absolute_value",
            "config: {type: FunnelsAlertConfig, metric: conversion_from_previous, funnel_step: 0}",
        ),
        "metric: ",
        "config.metric",
        "conversion_from_previous is undefined at the first step",
    ),
    "anomaly detection on a funnel": (
        alert_text(
            "Fu1nN3lS",
            "absolute_value",
            "config: {type: FunnelsAlertConfig, metric: conversion_from_start}",
            "    detector_config: {type: zscore}\n",
        ),
        "detector_config: ",
        "detector_config",
        "anomaly detection isn't supported for FunnelsQuery insights",
    ),
    "an SQL config on a trends insight": (
        alert_text(
            "Ab3dE9fG", "absolute_value", "config: {type: HogQLAlertConfig, evaluation: last_row}"
        ),
        "config: {type: ",
        "config.type",
        "the insight is a trends insight (TrendsQuery), so config.type must be TrendsAlertConfig",
    ),
    "an insight that cannot carry alerts": (
        alert_text("Rt6yU0iO", "absolute_value", TRENDS),
        "insight: ",
        "insight",
        "PostHog does not support alerts on this insight (it is a RetentionQuery insight)",
    ),
    "a numeric insight id that names nothing": (
        alert_text("99999", "absolute_value", TRENDS),
        "insight: ",
        "insight",
        "no insight with id 99999 in project 1",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_refuses_what_posthog_would_refuse_at_the_right_place(
    run: Runner, tmp_path: Path, case: str
) -> None:
    text, needle, path, message = CASES[case]
    file = tmp_path / "alerts.yaml"
    file.write_text(text)
    for command in (["plan"], ["apply", "--auto-approve"]):
        result = run(*command, str(file))
        assert result.exit_code == 1, result.output
        (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith(str(file))]
        assert line.startswith(f"{file}:{where(text, needle)}: alerts[0].{path}: "), line
        assert message in line
    assert run.writes() == []


def test_a_real_time_alert_is_named_as_a_risk_in_the_plan(tmp_path: Path) -> None:
    file = tmp_path / "alerts.yaml"
    file.write_text(
        alert_text("Ab3dE9fG", "absolute_value", TRENDS, "    calculation_interval: real_time\n")
    )
    with Emulator(seed=without_real_time()) as emu:
        run = Runner(emu)
        plan = run("plan", str(file))
        assert plan.exit_code == 0
        assert "! May be refused: real-time alerts need PostHog's Scale or Enterprise plan" in (
            plan.stdout
        )
        markdown = run("plan", str(file), "--format", "markdown").stdout
        assert "real-time alerts need PostHog's Scale or Enterprise plan" in markdown
