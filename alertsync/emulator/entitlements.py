"""What the organization's plan allows (contract §2.1, §5): interval entitlements, the
real-time alert count and the alert count.

* Interval entitlements are checked on every create and every update, against the interval
  the alert would have, even when the write does not touch it.
* The real-time limit counts the team's **enabled** real-time alerts, never the alert being
  written; it applies when the alert would be an enabled real-time alert (so it re-runs on a
  switch to ``real_time``, on re-enabling, and on any other update).
* The alert limit (POST only) counts every alert of the team, disabled ones included.
"""

from __future__ import annotations

from collections.abc import Iterable

from alertsync.emulator.seed import FREE_TIER_ALERT_LIMIT, Seed
from alertsync.emulator.stored import Alert

REAL_TIME = "real_time"
FIFTEEN_MINUTES_DENIED = (
    "15-minute alert intervals require a Boost, Scale, or Enterprise platform add-on."
)
REAL_TIME_DENIED = "Real-time alert intervals require a Scale or Enterprise plan."


def interval_entitlement_error(interval: str, seed: Seed) -> str | None:
    """``AlertConfiguration.interval_entitlement_error``."""
    if interval == "every_15_minutes" and not seed.entitlements.every_15_minutes:
        return FIFTEEN_MINUTES_DENIED
    if interval == REAL_TIME and not seed.entitlements.real_time:
        return REAL_TIME_DENIED
    return None


def real_time_limit_error(
    seed: Seed, alerts: Iterable[Alert], *, interval: str, enabled: bool, alert_id: str | None
) -> str | None:
    """``AlertConfiguration.real_time_alert_validation_error`` (``existing`` = ``alert_id``)."""
    limit = seed.entitlements.real_time_limit
    if interval != REAL_TIME or not enabled or not seed.entitlements.real_time or limit is None:
        return None
    count = sum(
        1
        for alert in alerts
        if alert.enabled and alert.calculation_interval == REAL_TIME and alert.id != alert_id
    )
    if count >= limit:
        return f"Your team has reached the limit of {limit} real-time alerts on your plan."
    return None


def alert_limit_error(seed: Seed, alert_count: int) -> str | None:
    """``AlertConfiguration.check_alert_limit``."""
    if not seed.entitlements.alerts:
        if alert_count >= FREE_TIER_ALERT_LIMIT:
            return f"Your plan is limited to {FREE_TIER_ALERT_LIMIT} alerts."
    elif seed.alert_limit is not None and alert_count >= seed.alert_limit:
        return f"Your team has reached the limit of {seed.alert_limit} alerts on your plan."
    return None
