"""Badges inform rather than drown: the firing-state reset only for an alert that is checked
after the change, a series named before and after, no "re-checked at once" for a disabled
alert."""

from __future__ import annotations

from typing import Any

from alertsync.core.insights import series_names
from alertsync.core.plan import make_plan
from alertsync.core.risks import risks
from alertsync.model import Change, Guards, InsightLabel, Labels, Target
from alertsync.render.markdown import render_markdown
from alertsync.render.text import render_plan
from tests.builders import live, read_shape, spec

TARGET = Target("https://eu.posthog.com", "12345")
LOOSER = {"configuration": {"type": "absolute", "bounds": {"lower": 40}}}


def update(live_over: dict[str, Any], labels: Labels | None = None, **over: Any) -> Change:
    plan = make_plan(
        {"Signups": spec(**over)}, live(read_shape("a1", **live_over)), None, Guards(), labels
    )
    (change,) = plan.changes
    return change


def test_a_new_bound_on_an_enabled_alert_resets_its_state() -> None:
    change = update({}, threshold=LOOSER)
    assert "firing_state_reset" in risks(change)
    assert "re-checks it at once" in change.reset_notes[0]


def test_an_alert_disabled_in_the_same_change_is_not_told_it_resets() -> None:
    change = update({}, threshold=LOOSER, enabled=False, calculation_interval="hourly")
    assert change.reset_notes == ()
    assert risks(change) == ["disable", "threshold_loosened"]


def test_an_alert_that_stays_disabled_is_never_re_checked_at_once() -> None:
    change = update({"enabled": False}, threshold=LOOSER, enabled=False)
    assert change.reset_notes == () and "firing_state_reset" not in risks(change)
    plan = make_plan(
        {"Signups": spec(threshold=LOOSER, enabled=False)},
        live(read_shape("a1", enabled=False)),
        None,
        Guards(),
    )
    for text in (render_markdown(plan, TARGET), render_plan(plan)):
        assert "at once" not in text and "firing state" not in text
    assert "Stays **disabled**" in render_markdown(plan, TARGET)


def test_an_alert_enabled_again_with_a_new_bound_is_re_checked() -> None:
    change = update({"enabled": False}, threshold=LOOSER)
    assert "firing_state_reset" in risks(change)


def test_a_series_change_names_both_series_by_their_names() -> None:
    labels = Labels(insights={101: InsightLabel(101, "Ab3dE9fG", "Signups", series=("A", "B"))})
    plan = make_plan(
        {"Signups": spec(config={"type": "TrendsAlertConfig", "series_index": 1})},
        live(read_shape("a1")),
        None,
        Guards(),
        labels,
    )
    text = render_markdown(plan, TARGET)
    assert "Fires when the daily value of the 2nd series (`B`) drops below **50**." in text
    assert "Before, it fired when the daily value of the 1st series (`A`) drops below" in text


def test_without_series_names_the_series_is_named_by_position_and_index() -> None:
    plan = make_plan(
        {"Signups": spec(config={"type": "TrendsAlertConfig", "series_index": 1})},
        live(read_shape("a1")),
        None,
        Guards(),
    )
    text = render_markdown(plan, TARGET)
    assert "the daily value of the 2nd series (series_index 1) drops below" in text
    assert "it fired when the daily value of the 1st series (series_index 0) drops" in text


def test_an_index_the_insight_does_not_have_says_so() -> None:
    labels = Labels(insights={101: InsightLabel(101, "Ab3dE9fG", "Signups", series=("A",))})
    plan = make_plan(
        {"New": spec("New", config={"type": "TrendsAlertConfig", "series_index": 3})},
        [],
        None,
        Guards(),
        labels,
    )
    assert "the 4th series (series_index 3; the insight has 1)" in render_markdown(plan, TARGET)


def test_series_names_as_posthog_shows_them() -> None:
    query = {
        "kind": "InsightVizNode",
        "source": {
            "kind": "TrendsQuery",
            "series": [
                {"kind": "EventsNode", "event": "$pageview"},
                {"kind": "EventsNode", "event": None},
                {"kind": "EventsNode", "event": "signed_up", "custom_name": "Signups"},
                {"kind": "ActionsNode", "id": 7, "name": "Checkout"},
                {"kind": "ActionsNode", "id": 8},
            ],
        },
    }
    assert series_names(query) == ("$pageview", "All events", "Signups", "Checkout", "action 8")
    formulas = {
        "kind": "TrendsQuery",
        "series": [{"kind": "EventsNode", "event": "a"}],
        "trendsFilter": {
            "formulaNodes": [{"formula": "A/B"}, {"formula": "A", "custom_name": "x"}]
        },
    }
    assert series_names(formulas) == ("A/B", "x")
    assert series_names({"kind": "FunnelsQuery", "series": []}) == ()
    assert series_names(None) == ()
