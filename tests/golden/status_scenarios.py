"""The status report whose whole rendering the golden files pin: one project with an alert in
each state `status` reports, evaluated from PostHog's read shapes at a fixed instant."""

from __future__ import annotations

from typing import Any

from alertsync.core.desired import desired_set
from alertsync.core.health import DEFAULT_FAIL_ON, Now
from alertsync.core.instants import parse_instant, utc
from alertsync.core.status_report import StatusReport, target_status
from alertsync.model import Document, PathKey, Position
from tests.builders import alert, check_row, hog_function, read_shape
from tests.golden.scenarios import TARGET

NOW = "2025-06-04T12:00:00Z"  # a Wednesday
QUIET = {"blocked_windows": [{"start": "22:00", "end": "13:00"}]}  # no check till 1pm
IDS = {
    "Checkout errors above 20 an hour": "0197a5c2-0000-7000-8000-000000000001",
    "Daily signups below 50": "0197a5c2-0000-7000-8000-000000000002",
    "Revenue down week over week": "0197a5c2-0000-7000-8000-000000000003",
    "Signups spiking": "0197a5c2-0000-7000-8000-000000000004",
    "Weekly active users below 2,000": "0197a5c2-0000-7000-8000-000000000005",
    "Pageviews overnight": "0197a5c2-0000-7000-8000-000000000006",
}
FILE_ALERTS = [
    alert("Checkout errors above 20 an hour", calculation_interval="hourly"),
    alert("Daily signups below 50"),
    alert("New alert, not applied yet"),
    alert("Pageviews overnight", calculation_interval="hourly", schedule_restriction=QUIET),
    alert("Revenue down week over week", calculation_interval="weekly"),
    alert("Signups spiking"),
    alert("Weekly active users below 2,000", calculation_interval="weekly"),
]


def _located(path: PathKey, key: bool) -> Position:
    index = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
    return Position(3 + 12 * index, 5)


def _live(name: str, *checks: dict[str, Any], **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "state": checks[0]["state"] if checks else "Not firing",
        "snoozed_until": None,
        "last_checked_at": checks[0]["created_at"] if checks else None,
        "checks": list(checks),
        "checks_total": len(checks) + 10,
        "created_at": "2025-05-01T09:00:00Z",
    }
    fields.update(over)
    return read_shape(IDS[name], name, **fields)


def _delivery(function_id: str, at: str) -> dict[str, Any]:
    return {
        "channel": "hog_function",
        "target": "Signups spiking",
        "target_id": function_id,
        "template": "slack",
        "status": "accepted",
        "at": at,
    }


def _live_alerts() -> dict[str, list[dict[str, Any]]]:
    fired = "2025-06-04T01:00:04.551200Z"
    spiking = [
        check_row(
            "Firing",
            fired,
            id="c-spike-2",
            deliveries=[_delivery("f-slack", "2025-06-04T01:00:05+00:00")],
        ),
        check_row("Firing", "2025-06-03T01:00:03Z", id="c-spike-1"),
        check_row("Not firing", "2025-06-02T01:00:02Z"),
    ]
    alerts = [
        _live(
            "Checkout errors above 20 an hour",
            check_row(
                "Errored",
                "2025-06-04T11:15:00Z",
                error={"message": "This alert encountered an error. Check the alert configuration"},
            ),
            check_row("Errored", "2025-06-04T10:15:00Z"),
            calculation_interval="hourly",
        ),
        _live("Daily signups below 50", check_row("Not firing", "2025-06-01T01:10:00Z")),
        _live(
            "Pageviews overnight",
            check_row("Not firing", "2025-06-03T21:40:00Z"),
            calculation_interval="hourly",
            schedule_restriction=QUIET,
        ),
        _live(
            "Revenue down week over week",
            check_row("Snoozed", "2025-06-02T09:00:00Z"),
            check_row("Firing", "2025-06-02T03:00:00Z"),
            snoozed_until="2025-06-16T00:00:00Z",
            calculation_interval="weekly",
        ),
        _live("Signups spiking", *spiking, last_value=612.0),
        _live(
            "Weekly active users below 2,000",
            check_row("Not firing", "2025-05-26T03:00:00Z"),
            enabled=False,
            calculation_interval="weekly",
        ),
    ]
    return {a["name"]: [a] for a in alerts}


def _destinations() -> list[dict[str, Any]]:
    spiking = IDS["Signups spiking"]
    return [
        hog_function("f-slack", spiking, "Signups spiking: Slack #growth-alerts", enabled=False),
        hog_function(
            "f-hook",
            spiking,
            "Signups spiking: Webhook hooks.example.com",
            template={"id": "template-webhook"},
            status={"state": 2, "tokens": 120},
        ),
        hog_function(
            "f-teams",
            IDS["Daily signups below 50"],
            "Daily signups: Microsoft Teams",
            template={"id": "template-microsoft-teams"},
        ),
    ]


def status_report() -> StatusReport:
    """An alert in each state, one not created yet, one with nothing to report."""
    document = Document("alerts/growth.yaml", {"alerts": FILE_ALERTS}, locate=_located)
    desired = desired_set([document])
    instant = parse_instant(NOW)
    assert instant is not None
    target = target_status(
        desired, _live_alerts(), _destinations(), TARGET, Now(instant, utc), unmanaged=1
    )
    return StatusReport((target,), "UTC", DEFAULT_FAIL_ON, timezone_given=False)
