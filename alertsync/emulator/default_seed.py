"""The built-in seed: project 1 of "Hedgebox Inc.", the world the README and examples use.

The values here are fixed on purpose (keys, ids, short ids): documentation and tests quote
them. :func:`default_seed` returns a fresh copy each time, so callers may edit it freely.

Insights, one or more of every kind the alert rules distinguish (contract §2.5):

=====  ========  =============================  ==========================================
id     short id  name                           kind
=====  ========  =============================  ==========================================
101    Ab3dE9fG  Daily signups                  trends, time series, day, 1 series
102    Kx7pQ2mN  Revenue by plan                trends, time series, week, 2 series
103    Pq9rS4tU  Checkout errors                trends, time series, hour, 1 series
104    Bn5vC8xZ  Pageviews by country           trends, WorldMap (not time series)
105    Hm2kL5jD  Weekly active users            trends, BoldNumber (not time series)
106    Fu1nN3lS  Signup funnel                  funnel, steps viz, 3 steps, day
107    Rt6yU0iO  Week-1 retention               retention: cannot carry alerts
108    Dd4eL3tD  Old signups chart              trends, soft-deleted
109    Sq1LrT7w  Signups per day (SQL)          SQL: columns day, signups
110    Er5vQ8sZ  Error rate by service (SQL)    SQL: columns service, error_rate
111    Cv2tR9wX  Signup conversion trend        funnel, historical trends viz, week
112    Tc4oN6vE  Time to convert                funnel, time_to_convert viz: no alerts
113    Mx3pL7aT  API p95 latency                metrics (organization flag ``metrics`` on)
114    Dn8bW2sR  Pageviews by browser           trends, ActionsDonut (not time series)
=====  ========  =============================  ==========================================

The organization has every entitlement (unlimited alerts, 15-minute and unlimited real-time
intervals) and the ``metrics`` feature flag; the project timezone is UTC.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_ORGANIZATION = {"id": "01890f3a-6c2e-7b4d-9e21-5a7c3f8d1b42", "name": "Hedgebox Inc."}
_JOINED = "2024-01-15T09:00:00Z"
_CREATED = "2025-05-20T09:00:00Z"
_MODIFIED = "2025-06-01T08:00:00Z"


def _user(user_id: int, full_name: str, email: str, role: str) -> dict[str, Any]:
    first_name, last_name = full_name.split(" ")
    user_uuid = f"0188b2e1-1c3d-7000-a4b5-6c7d8e9f0a{user_id:02d}"
    return {
        "id": user_id,
        "uuid": user_uuid,
        "distinct_id": f"{first_name.lower()}-{user_uuid[-12:]}",
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "is_email_verified": True,
        "hedgehog_config": None,
        "role_at_organization": role,
    }


def _member(user_id: int, level: int, member_uuid: str) -> dict[str, Any]:
    return {
        "user": user_id,
        "level": level,
        "id": member_uuid,
        "joined_at": _JOINED,
        "updated_at": _JOINED,
        "is_2fa_enabled": False,
        "has_social_auth": False,
        "last_login": None,
    }


def _event(event: str, math: str = "total", **extra: Any) -> dict[str, Any]:
    return {"kind": "EventsNode", "event": event, "name": event, "math": math, **extra}


def _trends(series: list[dict[str, Any]], interval: str, display: str) -> dict[str, Any]:
    source = {
        "kind": "TrendsQuery",
        "series": series,
        "interval": interval,
        "trendsFilter": {"display": display},
    }
    return {"kind": "InsightVizNode", "source": source}


def _insight(
    insight_id: int, short_id: str, name: str, query: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "id": insight_id,
        "short_id": short_id,
        "name": name,
        "query": query,
        "created_by": 1,
        "created_at": _CREATED,
        "updated_at": _MODIFIED,
        "last_modified_at": _MODIFIED,
        **extra,
    }


def _funnel(steps: list[str], viz: str, interval: str = "day") -> dict[str, Any]:
    source = {
        "kind": "FunnelsQuery",
        "series": [_event(step) for step in steps],
        "interval": interval,
        "funnelsFilter": {"funnelVizType": viz},
    }
    return {"kind": "InsightVizNode", "source": source}


def _sql(query: str) -> dict[str, Any]:
    return {"kind": "DataVisualizationNode", "source": {"kind": "HogQLQuery", "query": query}}


_SIGNUP_STEPS = ["$pageview", "signed_up", "subscription_paid"]
_RETENTION = {
    "kind": "InsightVizNode",
    "source": {
        "kind": "RetentionQuery",
        "retentionFilter": {
            "period": "Week",
            "totalIntervals": 8,
            "targetEntity": {"id": "signed_up", "type": "events"},
            "returningEntity": {"id": "$pageview", "type": "events"},
        },
    },
}
_METRICS = {
    "kind": "MetricsQuery",
    "metric": "http.server.duration",
    "aggregation": "p95",
    "interval": "hour",
}
_SQL_SIGNUPS = (
    "SELECT toStartOfDay(timestamp) AS day, count() AS signups FROM events "
    "WHERE event = 'signed_up' GROUP BY day ORDER BY day"
)
_SQL_ERRORS = (
    "SELECT properties.service AS service, countIf(event = 'error') / count() AS error_rate "
    "FROM events GROUP BY service"
)

_INSIGHTS = [
    _insight(
        101,
        "Ab3dE9fG",
        "Daily signups",
        _trends([_event("signed_up")], "day", "ActionsLineGraph"),
        dashboards=[1],
        dashboard_tiles=[{"id": 11, "dashboard_id": 1, "deleted": None}],
        tags=["growth"],
    ),
    _insight(
        102,
        "Kx7pQ2mN",
        "Revenue by plan",
        _trends(
            [
                _event("subscription_paid", "sum", math_property="amount_pro"),
                _event("subscription_paid", "sum", math_property="amount_business"),
            ],
            "week",
            "ActionsLineGraph",
        ),
        tags=["revenue"],
    ),
    _insight(
        103,
        "Pq9rS4tU",
        "Checkout errors",
        _trends([_event("checkout_failed")], "hour", "ActionsLineGraph"),
        created_by=2,
        tags=["reliability"],
    ),
    _insight(
        104,
        "Bn5vC8xZ",
        "Pageviews by country",
        _trends([_event("$pageview")], "day", "WorldMap"),
    ),
    _insight(
        105,
        "Hm2kL5jD",
        "Weekly active users",
        _trends([_event("$pageview", "weekly_active")], "day", "BoldNumber"),
    ),
    _insight(106, "Fu1nN3lS", "Signup funnel", _funnel(_SIGNUP_STEPS, "steps")),
    _insight(107, "Rt6yU0iO", "Week-1 retention", _RETENTION),
    _insight(
        108,
        "Dd4eL3tD",
        "Old signups chart",
        _trends([_event("signed_up")], "day", "ActionsLineGraph"),
        deleted=True,
    ),
    _insight(
        109,
        "Sq1LrT7w",
        "Signups per day (SQL)",
        _sql(_SQL_SIGNUPS),
        columns=[{"name": "day", "numeric": False}, {"name": "signups"}],
        tags=["growth"],
    ),
    _insight(
        110,
        "Er5vQ8sZ",
        "Error rate by service (SQL)",
        _sql(_SQL_ERRORS),
        columns=[{"name": "service", "numeric": False}, {"name": "error_rate"}],
        tags=["reliability"],
    ),
    _insight(
        111,
        "Cv2tR9wX",
        "Signup conversion trend",
        _funnel(_SIGNUP_STEPS, "trends", "week"),
    ),
    _insight(
        112,
        "Tc4oN6vE",
        "Time to convert",
        _funnel(["$pageview", "signed_up"], "time_to_convert"),
    ),
    _insight(
        113,
        "Mx3pL7aT",
        "API p95 latency",
        _METRICS,
        tags=["reliability"],
    ),
    _insight(
        114,
        "Dn8bW2sR",
        "Pageviews by browser",
        _trends([_event("$pageview")], "day", "ActionsDonut"),
    ),
]

_ALERT_SCOPES = ["alert:read", "alert:write", "insight:read", "organization_member:read"]
_READ_SCOPES = ["alert:read", "insight:read", "organization_member:read"]
# Keys for managing alerts with and without their destinations (hog functions, integrations).
_DESTINATION_KEYS = [
    {
        "label": "alerts_no_destinations",
        "key": "phx_emulator_alerts_no_destinations_key",
        "scopes": _ALERT_SCOPES,
        "user": 1,
    },
    {
        "label": "alerts_and_destinations",
        "key": "phx_emulator_alerts_and_destinations_key",
        "scopes": [*_ALERT_SCOPES, "hog_function:write", "integration:read"],
        "user": 1,
    },
    {
        "label": "read_with_destinations",
        "key": "phx_emulator_read_with_destinations_key",
        "scopes": [*_READ_SCOPES, "hog_function:read", "integration:read"],
        "user": 1,
    },
    {
        "label": "full_grace",
        "key": "phx_emulator_grace_full_access_key",
        "scopes": ["*"],
        "user": 2,
    },
]


def _channel(channel_id: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": channel_id, "name": name, **extra}


def _slack_config(team_id: str, team_name: str, authed_user: str) -> dict[str, Any]:
    return {
        "app_id": "A0EMULATOR1",
        "authed_user": {"id": authed_user},
        "scope": "channels:read,groups:read,chat:write,chat:write.customize",
        "token_type": "bot",
        "bot_user_id": "U0POSTHOGAPP",
        "team": {"id": team_id, "name": team_name},
        "enterprise": None,
        "is_enterprise_install": False,
    }


# Slack workspace 42 is the one the README and the contract examples use; 43 was revoked.
_INTEGRATIONS = [
    {
        "id": 42,
        "kind": "slack",
        "config": _slack_config("T0HEDGEBOX", "Hedgebox", "U0ADALOVELACE"),
        "created_by": 1,
        "created_at": "2025-05-02T09:30:00Z",
        "channels": [
            _channel("C0123456789", "growth-alerts"),
            _channel("C0ENGALERTS", "eng-alerts"),
            _channel("C0GENERAL01", "general"),
            _channel("C0RANDOM001", "random", is_member=False),
            _channel("C0PARTNERS1", "partners", is_member=False, is_ext_shared=True),
            _channel("C0OLDALERTS", "old-alerts", is_archived=True),
            _channel("G0EXECALERT", "exec-alerts", is_private=True),
            _channel("G0PEOPLEOPS", "people-ops", is_private=True, authed_user_member=False),
        ],
    },
    {
        "id": 43,
        "kind": "slack",
        "config": _slack_config("T0ACQUIRED", "Acquired Co", "U0GRACEHOPPER"),
        "created_by": 2,
        "created_at": "2025-03-10T14:00:00Z",
        "revoked": True,
        "channels": [_channel("C0ACQALERTS", "alerts")],
    },
    {
        "id": 45,
        "kind": "linear",
        "config": {"url_key": "hedgebox"},
        "display_name": "hedgebox",
        "integration_id": "hedgebox",
        "created_by": 1,
        "created_at": "2025-04-01T12:00:00Z",
    },
]

_DEFAULT_SEED: dict[str, Any] = {
    "project_id": 1,
    "timezone": "UTC",
    "organization": {**DEFAULT_ORGANIZATION, "feature_flags": ["metrics"]},
    "users": [
        _user(1, "Ada Lovelace", "ada@example.com", "engineering"),
        _user(2, "Grace Hopper", "grace@example.com", "engineering"),
        _user(3, "Alan Turing", "alan@example.com", "data"),
        _user(4, "Margaret Hamilton", "margaret@example.com", "leadership"),
        _user(99, "Eve Outsider", "eve@other.example.com", "other"),
    ],
    "members": [
        _member(1, 15, "01890f3b-0000-7000-8000-000000000001"),
        _member(2, 8, "01890f3b-0000-7000-8000-000000000002"),
        _member(3, 1, "01890f3b-0000-7000-8000-000000000003"),
        _member(4, 1, "01890f3b-0000-7000-8000-000000000004"),
    ],
    "insights": _INSIGHTS,
    "api_keys": [
        {
            "label": "full",
            "key": "phx_emulator_full_access_key_do_not_use_in_production",
            "scopes": ["*"],
            "user": 1,
        },
        {
            "label": "read",
            "key": "phx_emulator_read_only_key",
            "scopes": ["alert:read", "insight:read", "organization_member:read"],
            "user": 1,
        },
        {
            "label": "alerts_only",
            "key": "phx_emulator_alerts_only_key",
            "scopes": ["alert:read", "alert:write"],
            "user": 1,
        },
        {
            "label": "no_alert_scope",
            "key": "phx_emulator_feature_flag_key",
            "scopes": ["feature_flag:read"],
            "user": 1,
        },
        *_DESTINATION_KEYS,
    ],
    "alert_limit": None,
    "entitlements": {
        "alerts": True,
        "every_15_minutes": True,
        "real_time": True,
        "real_time_limit": None,
    },
    "alerts": [],
    "integrations": _INTEGRATIONS,
    "features": {
        "alert_scoped_destinations": True,
        "test_delivery": True,
        "email_available": True,
        "internal_events_available": True,
        "managed_alert_event_guard": True,
        "insight_alert_event_exempt": True,
    },
}


def default_seed() -> dict[str, Any]:
    """A fresh copy of the built-in seed, in the seed-file structure (see ``seed.py``)."""
    return copy.deepcopy(_DEFAULT_SEED)
