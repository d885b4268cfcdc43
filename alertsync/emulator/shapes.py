"""The read shapes: alerts (contract §1.1), InsightBasic (§8.1), UserBasic and members (§8.2).

Check rows render in :mod:`~alertsync.emulator.checks`.

Key order follows the serializers' ``Meta.fields``. Results share nested JSON values (queries,
configurations) with the seed and the store, which never change them in place; copy a
result before changing it (the HTTP views only serialise it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alertsync.emulator.checks import AlertCheck, render_check
from alertsync.emulator.seed import Insight, Member, Seed, User
from alertsync.emulator.stored import Alert, Threshold

INSIGHT_FIELDS = (
    "id",
    "short_id",
    "name",
    "derived_name",
    "filters",
    "query",
    "dashboards",
    "dashboard_tiles",
    "description",
    "last_refresh",
    "refreshing",
    "saved",
    "tags",
    "updated_at",
    "created_by",
    "created_at",
    "last_modified_at",
    "favorited",
    "user_access_level",
    "last_viewed_at",
)


def render_user(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.id,
        "uuid": user.uuid,
        "distinct_id": user.distinct_id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_email_verified": user.is_email_verified,
        "hedgehog_config": user.hedgehog_config,
        "role_at_organization": user.role_at_organization,
    }


def render_insight(insight: Insight | None, seed: Seed) -> dict[str, Any] | None:
    if insight is None:
        return None
    known: dict[str, Any] = {
        "id": insight.id,
        "short_id": insight.short_id,
        "name": insight.name,
        "query": insight.query,
        "created_by": None,
    }
    rendered = {
        name: known[name] if name in known else insight.attributes[name] for name in INSIGHT_FIELDS
    }
    if insight.created_by is not None:
        rendered["created_by"] = render_user(seed.users.get(insight.created_by))
    return rendered


def render_member(member: Member, seed: Seed) -> dict[str, Any]:
    return {
        "id": member.id,
        "user": render_user(seed.users.get(member.user_id)),
        "level": member.level,
        "joined_at": member.joined_at,
        "updated_at": member.updated_at,
        "is_2fa_enabled": member.is_2fa_enabled,
        "has_social_auth": member.has_social_auth,
        "last_login": member.last_login,
    }


def render_alert(
    alert: Alert,
    seed: Seed,
    *,
    checks: Sequence[AlertCheck] | None = None,
    total: int | None = None,
    match_type: str | None = None,
    looked_up: Alert | None = None,
) -> dict[str, Any]:
    """The alert as the API returns it.

    ``checks`` (list and retrieve) adds the ``checks`` key; ``total`` adds ``checks_total``
    (retrieve only); ``match_type`` adds ``search_match_type`` (looked up with ``?search=``).
    POST, PUT and PATCH responses carry none of them. ``looked_up``: the alert as the write
    found it; PostHog annotates ``last_value`` when it looks the alert up, so a PATCH/PUT
    answers with the value from before the write (a snooze's check row shows on the next read).
    """
    users = [render_user(seed.users.get(user_id)) for user_id in alert.subscribed_users]
    insight = seed.insights.get(alert.insight)
    head: dict[str, Any] = {
        "id": alert.id,
        "created_by": render_user(seed.users.get(alert.created_by)),
        "created_at": alert.created_at,
        "insight": render_insight(insight, seed),
        "insight_short_id": None if insight is None else insight.short_id,
        "insight_display_name": None if insight is None else insight.display_name,
        "name": alert.name,
        "subscribed_users": [user for user in users if user is not None],
        "threshold": _render_threshold(alert.threshold),
        "condition": alert.condition,
        "state": alert.state,
        "enabled": alert.enabled,
        "last_notified_at": alert.last_notified_at,
        "last_checked_at": alert.last_checked_at,
        "next_check_at": alert.next_check_at,
    }
    if checks is not None:
        head["checks"] = [render_check(check) for check in checks]
    if total is not None:
        head["checks_total"] = total
    rendered = head | _render_tail(alert)
    if looked_up is not None:
        rendered["last_value"] = looked_up.last_value
    if match_type is not None:
        rendered["search_match_type"] = match_type
    return rendered


def firing_checks(alert: Alert) -> list[AlertCheck]:
    """The checks a list item carries: those with triggered points, newest first."""
    points = [check for check in alert.checks if check.is_firing_point]
    return sorted(points, key=lambda check: check.moment, reverse=True)


def _render_tail(alert: Alert) -> dict[str, Any]:
    return {
        "config": alert.config,
        "detector_config": alert.detector_config,
        "calculation_interval": alert.calculation_interval,
        "snoozed_until": alert.snoozed_until,
        "skip_weekend": alert.skip_weekend,
        "schedule_restriction": alert.schedule_restriction,
        "last_value": alert.last_value,
        "investigation_agent_enabled": alert.investigation_agent_enabled,
        "investigation_gates_notifications": alert.investigation_gates_notifications,
        "investigation_inconclusive_action": alert.investigation_inconclusive_action,
    }


def _render_threshold(threshold: Threshold | None) -> dict[str, Any] | None:
    if threshold is None:
        return None
    return {
        "id": threshold.id,
        "created_at": threshold.created_at,
        "name": threshold.name,
        "configuration": threshold.configuration,
    }
