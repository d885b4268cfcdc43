"""The status report as JSON (`status --format json`): one document, keys sorted, deterministic.

The shape (README, "alertsync status"): `format_version`, `generator`, `timezone` and
`timezone_given`, `fail_on`, `failed` (whether the run exits 1), and `targets`: per PostHog
project read, its `target`, `taken_at`, `scope`, `summary` (alerts per condition),
`unmanaged_in_scope`, `notes` and `alerts`, each with its state, since when, checks,
overdue, error, snooze, destinations, `conditions` and the `failing` ones among them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from alertsync import __version__
from alertsync.core.destination_health import DestinationStatus
from alertsync.core.health import AlertStatus
from alertsync.core.status_report import StatusReport, TargetStatus, summary

FORMAT_VERSION = 1


def render_status_json(report: StatusReport) -> str:
    return json.dumps(status_document(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def status_document(report: StatusReport) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "generator": f"alertsync {__version__}",
        "timezone": report.timezone,
        "timezone_given": report.timezone_given,
        "fail_on": list(report.fail_on),
        "failed": report.failed,
        "targets": [_target(target, report) for target in report.targets],
    }


def _target(target: TargetStatus, report: StatusReport) -> dict[str, Any]:
    return {
        "environment": target.environment,
        "error": target.error,
        "target": {"host": target.target.host, "project": target.target.project},
        "taken_at": target.taken_at,
        "scope": {"name_prefix": target.prefix},
        "summary": {"alerts": len(target.alerts), **summary(target)},
        "unmanaged_in_scope": target.unmanaged,
        "notes": list(target.notes),
        "alerts": [_alert(status, report) for status in target.alerts],
    }


def _alert(status: AlertStatus, report: StatusReport) -> dict[str, Any]:
    return {
        "name": status.name,
        "source": status.source,
        "alert_id": status.alert_id,
        "exists": status.alert_id is not None,
        "state": status.state,
        "since": asdict(status.since) if status.since else None,
        "enabled": status.enabled,
        "enabled_in_file": status.enabled_in_file,
        "calculation_interval": status.interval,
        "last_check": status.last_check,
        "next_check": status.next_check,
        "last_value": status.last_value,
        "snoozed_until": status.snoozed_until,
        "error": (
            {"message": status.error, "code": status.error_code}
            if status.error is not None
            else None
        ),
        "overdue": asdict(status.overdue) if status.overdue else None,
        "checks": {"read": status.checks_read, "total": status.checks_total},
        "destinations": (
            None if status.destinations is None else [_destination(d) for d in status.destinations]
        ),
        "conditions": list(status.conditions),
        "failing": list(report.failing(status)),
    }


def _destination(destination: DestinationStatus) -> dict[str, Any]:
    delivery = destination.last_delivery
    return {
        "id": destination.id,
        "name": destination.name,
        "kind": destination.kind,
        "enabled": destination.enabled,
        "state": destination.state,
        "health": destination.health,
        "reason": destination.reason,
        "last_delivery": asdict(delivery) if delivery is not None else None,
    }
