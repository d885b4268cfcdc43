"""Kinds of change a reviewer should look at twice: what the badges of a plan are made of."""

from __future__ import annotations

from typing import Any

from alertsync.model import ABSENT, Change, FieldChange, Plan

RISKS = (
    "delete",
    "disable",
    "recipients_removed",
    "threshold_loosened",
    "firing_state_reset",
    "insight_changed",
    "may_be_refused",
    "destination_removed",
)
FREE_TIER_ALERTS = 5
ENTITLEMENTS = {
    "real_time": (
        "May be refused: real-time alerts need PostHog's Scale or Enterprise plan, and count "
        "against the plan's limit of enabled real-time alerts."
    ),
    "every_15_minutes": (
        "May be refused: 15-minute checks need a Boost, Scale or Enterprise platform add-on."
    ),
}
METRICS_NOTE = (
    "May be refused: alerts on metrics insights need the organization's metrics feature and "
    "a key with the metrics:read scope."
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
    if refusal_notes(change):
        found.append("may_be_refused")
    if any(d.action == "delete" and not d.cascade for d in change.destinations):
        found.append("destination_removed")
    return found


def refusal_notes(change: Change) -> tuple[str, ...]:
    """What PostHog may refuse at apply that no plan can know beforehand (it depends on the
    organization's plan and flags): named in the plan, not discovered halfway through."""
    after = change.after or {}
    if change.action == "delete":
        return ()
    notes = []
    interval = after.get("calculation_interval")
    if interval in ENTITLEMENTS:
        notes.append(ENTITLEMENTS[str(interval)])
    config = after.get("config")
    if isinstance(config, dict) and config.get("type") == "MetricsAlertConfig":
        notes.append(METRICS_NOTE)
    return tuple(notes)


def plan_notes(plan: Plan) -> tuple[str, ...]:
    """What may be refused about the plan as a whole: the project's alert limit."""
    notes: list[str] = []
    after = plan.in_scope + plan.out_of_scope + plan.count("create") - plan.count("delete")
    if plan.count("create") and after > FREE_TIER_ALERTS:
        notes.append(
            f"May be refused: the project will have {after} alerts, and PostHog's free plan "
            f"allows {FREE_TIER_ALERTS} (paid plans may set their own limit)."
        )
    if plan.deletes and not plan.destinations_read:
        notes.append(
            "A deleted alert takes its Slack, webhook, Discord and Teams destinations with it "
            "(PostHog removes them). They were not read, as the files declare no "
            "`destinations`: give an alert the key to see and manage its destinations."
        )
    return tuple(notes)


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
