"""Plain words for an alert and its changes, for reviewers who have never opened PostHog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.model import Canonical, Labels
from alertsync.render.md import code
from alertsync.render.values import user

INTERVALS = {
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


def amount(value: Any, percentage: bool) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if percentage:
        return f"{value * 100:g}%"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _bounds(spec: Canonical) -> tuple[Any, Any, bool]:
    bounds = _path(spec, "threshold", "configuration", "bounds") or {}
    percentage = _path(spec, "threshold", "configuration", "type") == "percentage"
    return bounds.get("lower"), bounds.get("upper"), percentage


def _bound_words(value: Any, old: Any, percentage: bool, verb: str, compare: bool) -> str | None:
    if value is None and not (compare and old is not None):
        return None
    was = ""
    if compare and old != value:
        was = f" (was {amount(old, percentage)})" if old is not None else " (new)"
    if value is None:
        return f"no longer {verb} (was {amount(old, percentage)})"
    return f"{verb} **{amount(value, percentage)}**{was}"


def fires_when(spec: Canonical, old: Canonical | None = None) -> str:
    """'Fires when the daily value drops below 50 (was 40)'."""
    interval = INTERVALS.get(
        str(spec.get("calculation_interval")), str(spec.get("calculation_interval"))
    )
    kind = _path(spec, "condition", "type")
    quantity = QUANTITY.get(str(kind), "value")
    lower, upper, pct = _bounds(spec)
    old_lower, old_upper, _ = _bounds(old) if old else (None, None, pct)
    compare = old is not None
    parts = [
        _bound_words(lower, old_lower, pct, "drops below", compare),
        _bound_words(upper, old_upper, pct, "rises above", compare),
    ]
    series = _path(spec, "config", "series_index")
    of_series = f" of series {series}" if isinstance(series, int) and series > 0 else ""
    condition = " or ".join(p for p in parts if p) or "never (no bounds)"
    return f"Fires when the {interval} {quantity}{of_series} {condition}."


def _schedule(spec: Canonical) -> str:
    interval = str(spec.get("calculation_interval"))
    words = {"every_15_minutes": "every 15 minutes"}.get(interval, interval)
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
        return "Notifies nobody (no subscribed users)."
    return "Notifies " + ", ".join(code(user(u, labels)) for u in users) + "."


def describe(spec: Canonical, labels: Labels) -> Iterator[str]:
    """What an alert does, in three or four sentences."""
    yield fires_when(spec)
    yield recipients(spec, labels)
    yield schedule(spec)
    if spec.get("enabled") is False:
        yield "**Disabled**: it is not checked."


def changes(old: Canonical, new: Canonical, labels: Labels) -> Iterator[str]:
    """What an update does, in sentences, most important first."""
    if old.get("enabled") != new.get("enabled"):
        yield (
            "**Disables** the alert: it will no longer be checked."
            if not new.get("enabled")
            else "**Enables** the alert again."
        )
    if _fires_differently(old, new):
        yield fires_when(new, old)
        if not _only_bounds_differ(old, new):
            yield "Before, it fired when" + fires_when(old).removeprefix("Fires when")
    before, after = set(old.get("subscribed_users") or []), set(new.get("subscribed_users") or [])
    if after - before:
        yield f"Now also notifies {_people(after - before, labels)}."
    if before - after:
        yield f"No longer notifies {_people(before - after, labels)}."
    if _schedule(old) != _schedule(new):
        yield f"Now checked {_schedule(new)} (was {_schedule(old)})."
    if _path(old, "threshold", "name") != _path(new, "threshold", "name"):
        yield f"Threshold renamed to {code(_path(new, 'threshold', 'name'))}."


def _people(ids: set[Any], labels: Labels) -> str:
    return ", ".join(code(name) for name in sorted(user(u, labels) for u in ids))


def _fires_differently(old: Canonical, new: Canonical) -> bool:
    keys = ("threshold", "condition", "calculation_interval", "config")
    strip = ("name",)
    return any(_without(old.get(k), strip) != _without(new.get(k), strip) for k in keys)


def _only_bounds_differ(old: Canonical, new: Canonical) -> bool:
    def rest(spec: Canonical) -> Any:
        return (
            _path(spec, "threshold", "configuration", "type"),
            spec.get("condition"),
            spec.get("calculation_interval"),
            _path(spec, "config", "series_index"),
        )

    return bool(rest(old) == rest(new))


def _without(value: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in keys}
    return value
