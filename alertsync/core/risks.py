"""Kinds of change a reviewer should look at twice: what the badges of a plan are made of."""

from __future__ import annotations

from typing import Any

from alertsync.model import ABSENT, Change, FieldChange

RISKS = (
    "delete",
    "disable",
    "recipients_removed",
    "threshold_loosened",
    "firing_state_reset",
    "insight_changed",
)


def risks(change: Change) -> list[str]:
    found: list[str] = []
    if change.action == "delete":
        found.append("delete")
    details = {d.path: d for d in change.details}
    enabled = details.get("enabled")
    if enabled is not None and enabled.new is False:
        found.append("disable")
    users = details.get("subscribed_users")
    if users is not None and set(users.old or []) - set(users.new or []):
        found.append("recipients_removed")
    if any(_loosened(d) for d in change.details):
        found.append("threshold_loosened")
    if change.resets_state:
        found.append("firing_state_reset")
    if "insight" in details:
        found.append("insight_changed")
    return found


def _loosened(detail: FieldChange) -> bool:
    """A bound that fires less often: lower went down, upper went up, or a bound removed."""
    side = detail.path.removeprefix("threshold.configuration.bounds.")
    if side not in ("lower", "upper") or side == detail.path:
        return False
    if detail.new is ABSENT:
        return True
    if not _numbers(detail.old, detail.new):
        return False
    return bool(detail.new < detail.old) if side == "lower" else bool(detail.new > detail.old)


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
