"""Plain words for an alert and its changes, for reviewers who have never opened PostHog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.core import quiet_hours
from alertsync.model import Canonical, Labels
from alertsync.render import detector_words
from alertsync.render.md import code
from alertsync.render.values import user

INTERVALS = {
    "real_time": "real-time",
    "every_15_minutes": "15-minute",
    "hourly": "hourly",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
}
QUANTITY = {
    "absolute_value": "value",
    "relative_increase": "increase",
    "relative_decrease": "decrease",
}


def _path(spec: Canonical, *keys: str) -> Any:
    value: Any = spec
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def amount(value: Any, percentage: bool | str) -> str:
    """A bound as a reviewer reads it: `percentage` True for a fraction shown in percent
    (0.2 → 20%), `"points"` for a value already in percent (a funnel's conversion)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if percentage == "points":
        return f"{value:g}%"
    if percentage:
        return f"{value * 100:g}%"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _bounds(spec: Canonical) -> tuple[Any, Any, bool | str]:
    bounds = _path(spec, "threshold", "configuration", "bounds") or {}
    percentage: bool | str = _path(spec, "threshold", "configuration", "type") == "percentage"
    if not percentage and _path(spec, "config", "type") == "FunnelsAlertConfig":
        percentage = "points"  # a conversion rate, already in percent
    return bounds.get("lower"), bounds.get("upper"), percentage


def _bound_words(
    value: Any, old: Any, percentage: bool | str, verb: str, compare: bool
) -> str | None:
    if value is None and not (compare and old is not None):
        return None
    was = ""
    if compare and old != value:
        was = f" (was {amount(old, percentage)})" if old is not None else " (new)"
    if value is None:
        return f"no longer {verb} (was {amount(old, percentage)})"
    return f"{verb} **{amount(value, percentage)}**{was}"


def fires_when(
    spec: Canonical,
    old: Canonical | None = None,
    labels: Labels | None = None,
    name_series: bool = False,
) -> str:
    """'Fires when the daily value drops below 50 (was 40)'; for anomaly detection, what
    the detector is. `name_series`: say which series even when it is the first."""
    if spec.get("detector_config") is not None:
        return detector_words.sentence(spec["detector_config"])
    interval = INTERVALS.get(
        str(spec.get("calculation_interval")), str(spec.get("calculation_interval"))
    )
    kind = _path(spec, "condition", "type")
    lower, upper, pct = _bounds(spec)
    old_lower, old_upper, _ = _bounds(old) if old else (None, None, pct)
    compare = old is not None
    parts = [
        _bound_words(lower, old_lower, pct, "drops below", compare),
        _bound_words(upper, old_upper, pct, "rises above", compare),
    ]
    condition = " or ".join(p for p in parts if p) or "never (no bounds)"
    subject = _subject(spec, interval, str(kind), labels or Labels(), name_series)
    return f"Fires when {subject} {condition}."


def _subject(
    spec: Canonical, interval: str, condition: str, labels: Labels, name_series: bool
) -> str:
    """What is compared: 'the daily value of series 1', 'the SQL column `signups` in the
    last row', 'conversion from step 1 to step 2', with the condition's change words."""
    quantity = QUANTITY.get(condition, "value")
    change = "" if quantity == "value" else f" {quantity} in"
    config: dict[str, Any] = spec["config"] if isinstance(spec.get("config"), dict) else {}
    kind = config.get("type")
    if kind == "HogQLAlertConfig":
        column = config.get("column")
        row = {"last_row": "the last row", "first_row": "the first row", "any_row": "any row"}
        what = f"SQL column {code(column)}" if column else "SQL result's value"
        where = row.get(str(config.get("evaluation")), "a row")
        return f"the{change} {what} in {where}".replace("the in ", "the ")
    if kind == "FunnelsAlertConfig":
        return f"the {interval}{change} {_conversion(config)}"
    if kind == "MetricsAlertConfig":
        return f"the {interval} metric{change.removesuffix(' in')}"
    return f"the {interval} {quantity}{series(spec, labels, name_series)}"


def series(spec: Canonical, labels: Labels, always: bool = False) -> str:
    """' of the 2nd series (`Activations`)' for a trends alert's `series_index`, by the name
    PostHog shows when the insight's query was read, else by the index the file holds
    (' of the 2nd series (series_index 1)'). Nothing for the first series unless `always`
    or the insight has several."""
    config = spec.get("config")
    index = config.get("series_index") if isinstance(config, dict) else None
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return ""
    insight = spec.get("insight")
    label = labels.insights.get(insight) if isinstance(insight, int) else None
    names = label.series if label is not None else ()
    if index == 0 and not always and len(names) <= 1:
        return ""
    which = f"the {ordinal(index + 1)} series"
    if index < len(names):
        return f" of {which} ({code(names[index])})"
    if names:
        return f" of {which} (series_index {index}; the insight has {len(names)})"
    return f" of {which} (series_index {index})"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _conversion(config: dict[str, Any]) -> str:
    step = config.get("funnel_step")
    if step is None:
        return "overall conversion (first to last step)"
    if config.get("metric") == "conversion_from_previous":
        return f"conversion from step {step} to step {step + 1}"
    return f"conversion from step 1 to step {step + 1}"


def _schedule(spec: Canonical) -> str:
    interval = str(spec.get("calculation_interval"))
    words = {"every_15_minutes": "every 15 minutes", "real_time": "in real time"}.get(
        interval, interval
    )
    weekend = ", skipping weekends" if spec.get("skip_weekend") else ""
    ongoing = (
        ", including the current unfinished interval"
        if _path(spec, "config", "check_ongoing_interval")
        else ""
    )
    return f"{words}{weekend}{ongoing}"


def schedule(spec: Canonical) -> str:
    return f"Checked {_schedule(spec)}."


def recipients(spec: Canonical, labels: Labels) -> str:
    users = spec.get("subscribed_users") or []
    if not users:
        return "Emails nobody (no subscribed users)."
    return "Emails " + ", ".join(code(user(u, labels)) for u in users) + "."


def describe(spec: Canonical, labels: Labels) -> Iterator[str]:
    """What an alert does, in three or four sentences."""
    yield fires_when(spec, labels=labels)
    yield recipients(spec, labels)
    yield schedule(spec)
    if spec.get("schedule_restriction"):
        yield quiet(spec) + "."
    if spec.get("investigation_agent_enabled"):
        yield investigation(spec)
    if spec.get("enabled") is False:
        yield "**Disabled**: it is not checked."


def quiet(spec: Canonical) -> str:
    """'No checks between 22:00 and 07:00 (project time)'."""
    windows = quiet_hours.describe(spec.get("schedule_restriction"))
    return f"No checks {windows} (project time)" if windows else "No quiet hours"


def investigation(spec: Canonical) -> str:
    if not spec.get("investigation_agent_enabled"):
        return "No AI investigation when it fires."
    text = "An AI agent investigates when it starts firing"
    if spec.get("investigation_gates_notifications"):
        held = spec.get("investigation_inconclusive_action") == "suppress"
        text += "; notifications wait for its verdict" + (
            ", and an inconclusive one notifies nobody" if held else ""
        )
    return text + "."


def changes(old: Canonical, new: Canonical, labels: Labels) -> Iterator[str]:
    """What an update does, in sentences, most important first."""
    if old.get("enabled") != new.get("enabled"):
        yield (
            "**Disables** the alert: it will no longer be checked."
            if not new.get("enabled")
            else "**Enables** the alert again."
        )
    elif new.get("enabled") is False:
        yield "Stays **disabled**: it is not checked, so this takes effect once it is enabled."
    if _fires_differently(old, new):
        moved = _path(old, "config", "series_index") != _path(new, "config", "series_index")
        yield fires_when(new, old, labels, name_series=moved)
        if not _only_bounds_differ(old, new):
            was = fires_when(old, labels=labels, name_series=moved)
            plain = was.startswith("Fires when")
            yield (
                "Before, it fired when" + was.removeprefix("Fires when")
                if plain
                else ("Before: " + was)
            )
    before, after = set(old.get("subscribed_users") or []), set(new.get("subscribed_users") or [])
    if after - before:
        yield f"Now also notifies {_people(after - before, labels)}."
    if before - after:
        yield f"No longer notifies {_people(before - after, labels)}."
    if _schedule(old) != _schedule(new):
        yield f"Now checked {_schedule(new)} (was {_schedule(old)})."
    if _path(old, "threshold", "name") != _path(new, "threshold", "name"):
        yield f"Threshold renamed to {code(_path(new, 'threshold', 'name'))}."
    if old.get("schedule_restriction") != new.get("schedule_restriction"):
        now, was = (quiet_hours.describe(s.get("schedule_restriction")) for s in (new, old))
        yield f"Quiet hours (no checks, project time): {now or 'none'} (was {was or 'none'})."
    keys = ("investigation_agent_enabled", "investigation_gates_notifications")
    if any(old.get(k) != new.get(k) for k in (*keys, "investigation_inconclusive_action")):
        yield f"{investigation(new)} (Was: {investigation(old).removesuffix('.')}.)"


def _people(ids: set[Any], labels: Labels) -> str:
    return ", ".join(code(name) for name in sorted(user(u, labels) for u in ids))


def _fires_differently(old: Canonical, new: Canonical) -> bool:
    keys = ("threshold", "condition", "calculation_interval", "config", "detector_config")
    strip = ("name",)
    return any(_without(old.get(k), strip) != _without(new.get(k), strip) for k in keys)


def _only_bounds_differ(old: Canonical, new: Canonical) -> bool:
    def rest(spec: Canonical) -> Any:
        return (
            _path(spec, "threshold", "configuration", "type"),
            spec.get("condition"),
            spec.get("calculation_interval"),
            _path(spec, "config", "series_index"),
            spec.get("detector_config"),
        )

    return bool(rest(old) == rest(new))


def _without(value: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in keys}
    return value
