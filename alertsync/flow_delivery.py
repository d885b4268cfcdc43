"""`test-delivery`: PostHog's test notification for named alerts, and where it went."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from alertsync.core.dest_spec import describe, live_destinations
from alertsync.errors import AlertsyncError, ApiError, ConfigError, PermissionDenied
from alertsync.flow import Remote
from alertsync.flow_destinations import name_slack
from alertsync.model import Delivery, Labels

OLDER_SERVER = (
    "this PostHog has no test delivery (an older version than the one that added it): "
    "nothing was sent"
)
UNLISTED = "(the destinations are not named: the key lacks hog_function:read)"


def test_deliveries(remote: Remote, names: Sequence[str]) -> list[Delivery]:
    """Send each named alert's test notification; a name with no live alert is refused
    before anything is sent."""
    conn = remote.connect()
    with remote.client(conn) as client:
        alerts = {a.get("name"): a for a in client.list_alerts()}
        missing = [n for n in names if n not in alerts]
        if missing:
            raise ConfigError(
                f"no live alert named {', '.join(repr(n) for n in missing)} in project "
                f"{conn.project}; nothing was sent"
            )
        listed = True
        try:
            routes = live_destinations(client.destinations.list_all("to say where tests go"))
        except PermissionDenied:
            routes, listed = {}, False
        labels = Labels()
        slack = [r.spec for dests in routes.values() for r in dests if r.spec["type"] == "slack"]
        if slack:
            name_slack(client, slack, labels)
        deliveries = []
        for name in dict.fromkeys(names):
            alert = alerts[name]
            alert_id = str(alert["id"])
            active = [r for r in routes.get(alert_id, []) if r.spec.get("enabled")]
            where = tuple(describe(r.spec, labels) for r in active) if listed else (UNLISTED,)
            emails = _emails(alert)
            try:
                answer = client.destinations.test_delivery(alert_id, name)
            except ApiError as exc:
                detail = OLDER_SERVER if exc.status == 404 else exc.body.detail
                deliveries.append(Delivery(name, alert_id, where, emails, error=detail))
                continue
            except AlertsyncError as exc:
                deliveries.append(Delivery(name, alert_id, where, emails, error=str(exc)))
                continue
            deliveries.append(
                Delivery(
                    name,
                    alert_id,
                    where,
                    emails,
                    _count(answer.get("destination_count")),
                    _count(answer.get("email_recipient_count")),
                    tuple(str(c) for c in answer.get("failed_delivery_channels") or []),
                )
            )
        return deliveries


def _emails(alert: dict[str, Any]) -> tuple[str, ...]:
    users = alert.get("subscribed_users") or []
    return tuple(
        sorted(u["email"] for u in users if isinstance(u, dict) and isinstance(u.get("email"), str))
    )


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
