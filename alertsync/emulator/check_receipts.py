"""Firing checks with delivery receipts, recorded by a test hook (alerts contract §2.8, §3.3;
destinations contract §8).

A stand-in until the emulator models alert checks: :meth:`CheckReceipts.record` plays the
evaluator (the alert fires, its notification goes out) and keeps an ``AlertCheck`` in
memory; the alert's retrieve then shows the recorded checks, newest first, with
``checks_total`` (``checks_limit`` default 5, at most 500; ``checks_offset``; the date filters
are not emulated here). List results keep ``checks: []``: PostHog lists only checks with
``triggered_points`` there, and these have none.

``deliveries`` (S ``get_deliveries``): one ``email`` record per notified subscriber (no
``target_id``/``template`` keys), then one ``hog_function`` record per destination that
accepted the notification; ``display_label`` is ``Email: <address>``, the destination name
for Slack, and the name plus `` · `` and the function id's last 4 characters for the others.
A destination's ``target`` is its name with any URL cut to its host (``logic/destinations``).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from alertsync.emulator.clock import Clock, IdFactory, format_datetime
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.hog_templates import DESTINATION_KINDS
from alertsync.emulator.routing import Call
from alertsync.emulator.seed import Seed
from alertsync.emulator.store import AlertStore
from alertsync.emulator.stored import FIRING, STATES, Alert, evaluated_alert
from alertsync.emulator.views import AlertViews
from alertsync.emulator.wire import Response, json_response

SANITISED_ERROR = "This alert encountered an error. Check the alert configuration and try again."
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://\S*[^\s'\".,;:!?)\]}>]")


@dataclass(frozen=True)
class RecordedCheck:
    id: str
    alert_id: str
    created_at: datetime
    calculated_value: float | None
    state: str
    error: Any
    emails: tuple[str, ...]
    destinations: tuple[dict[str, Any], ...]
    notified_at: datetime | None
    interval: str | None
    receipts: bool  # ``has_delivery_receipts``


class CheckReceipts:
    def __init__(
        self, seed: Seed, store: AlertStore, functions: HogFunctionService, clock: Clock
    ) -> None:
        self._seed = seed
        self._store = store
        self._functions = functions
        self._clock = clock
        self._ids = IdFactory()
        self._checks: dict[str, list[RecordedCheck]] = {}
        self._lock = threading.Lock()

    def record(
        self,
        alert_id: str,
        *,
        state: str = FIRING,
        calculated_value: float | None = None,
        notify: bool = True,
        error: Mapping[str, Any] | None = None,
        deliveries: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Record a check; with ``notify`` (and a firing state) the subscribers and every enabled
        destination accepted the notification, unless ``deliveries`` lists the destination
        records (``channel``, ``target``, ``target_id``, ``template``, ``status``, ``at``)."""
        if state not in STATES:
            raise ValueError(f"unknown alert state {state!r}; expected one of {STATES}")
        with self._store.locked():
            alert = self._store.get(alert_id)
            if alert is None:
                raise KeyError(alert_id)
            now = self._clock.tick()
            notified = notify and state == FIRING
            check = RecordedCheck(
                id=self._ids.new(now),
                alert_id=alert.id,
                created_at=now,
                calculated_value=calculated_value,
                state=state,
                error=dict(error) if error is not None else None,
                emails=self._emails(alert) if notified else (),
                destinations=self._destinations(alert, deliveries, now) if notified else (),
                notified_at=now if notified else None,
                interval=_interval(self._seed, alert),
                receipts=notified,
            )
            evaluated = evaluated_alert(alert, state, now)
            last_notified = format_datetime(now) if notified else alert.last_notified_at
            self._store.replace(
                replace(evaluated, last_notified_at=last_notified, last_value=calculated_value)
            )
        with self._lock:
            self._checks.setdefault(alert.id, []).append(check)
        return render_check(check)

    def drop(self, alert_id: str) -> None:
        with self._lock:
            self._checks.pop(alert_id, None)

    def newest_first(self, alert_id: str) -> list[RecordedCheck]:
        with self._lock:
            return list(reversed(self._checks.get(alert_id, [])))

    def _emails(self, alert: Alert) -> tuple[str, ...]:
        users = (self._seed.users.get(user_id) for user_id in alert.subscribed_users)
        return tuple(user.email for user in users if user is not None)

    def _destinations(
        self, alert: Alert, given: Sequence[Mapping[str, Any]] | None, now: datetime
    ) -> tuple[dict[str, Any], ...]:
        if given is not None:
            return tuple(dict(row) for row in given)
        active = [f for f in self._functions.owned_by(alert.id) if f.enabled]
        return tuple(destination_row(function, now) for function in active)


def destination_row(function: HogFunction, at: datetime) -> dict[str, Any]:
    """``AlertDelivery`` for a destination that accepted a send."""
    return {
        "channel": "hog_function",
        "target": _display_name(function.name),
        "target_id": function.id,
        "template": DESTINATION_KINDS.get(function.template_id or ""),
        "status": "accepted",
        "at": at.isoformat(),
    }


def _display_name(name: str | None) -> str:
    if not name:
        return "Destination"
    _, _, tail = name.rpartition(" → ")
    return _URL.sub(lambda match: urlsplit(match.group(0)).hostname or "", tail or name)


def _interval(seed: Seed, alert: Alert) -> str | None:
    insight = seed.insights.get(alert.insight)
    query = insight.query if insight else None
    source = query.get("source", query) if isinstance(query, dict) else None
    interval = source.get("interval") if isinstance(source, dict) else None
    return interval if isinstance(interval, str) else None


def render_check(check: RecordedCheck) -> dict[str, Any]:
    """``AlertCheckSerializer``."""
    return {
        "id": check.id,
        "created_at": format_datetime(check.created_at),
        "calculated_value": check.calculated_value,
        "state": check.state,
        "error": _error(check.error),
        "targets_notified": bool(check.emails or check.destinations),
        "anomaly_scores": None,
        "triggered_points": None,
        "triggered_dates": None,
        "interval": check.interval,
        "triggered_metadata": None,
        "investigation_status": None,
        "investigation_verdict": None,
        "investigation_summary": None,
        "investigation_notebook_short_id": None,
        "notification_sent_at": format_datetime(check.notified_at) if check.notified_at else None,
        "notification_suppressed_by_agent": False,
        "deliveries": _deliveries(check) if check.receipts else None,
    }


def _error(error: Any) -> dict[str, str] | None:
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return None
    if error.get("code") == "email_unavailable":
        return {"code": "email_unavailable", "message": error["message"]}
    return {"message": SANITISED_ERROR}


def _deliveries(check: RecordedCheck) -> list[dict[str, Any]]:
    at = check.notified_at.isoformat() if check.notified_at else None
    rows: list[dict[str, Any]] = [
        {
            "channel": "email",
            "target": email,
            "status": "accepted",
            "at": at,
            "display_label": f"Email: {email}",
        }
        for email in check.emails
    ]
    for row in check.destinations:
        label = row.get("target") or "Destination"
        target_id = row.get("target_id")
        if target_id and row.get("template") != "slack":
            label = f"{label} · {str(target_id)[-4:]}"
        rows.append({**row, "display_label": label})
    return rows


class CheckedAlertViews(AlertViews):
    """The alert views, with a retrieve that shows the recorded checks."""

    def __init__(self, seed: Seed, service: Any, base_url: Any, receipts: CheckReceipts) -> None:
        super().__init__(seed, service, base_url)
        self._receipts = receipts

    def retrieve(self, call: Call) -> Response:
        response = super().retrieve(call)
        body = json.loads(response.body)
        checks = self._receipts.newest_first(str(body["id"]))
        if not checks:
            return response
        limit, offset = _window(call.request.query)
        body["checks"] = [render_check(check) for check in checks[offset : offset + limit]]
        body["checks_total"] = len(checks)
        return json_response(response.status, body)


def _window(query: Mapping[str, str]) -> tuple[int, int]:
    try:
        limit = max(1, min(int(query["checks_limit"]), 500)) if "checks_limit" in query else 5
    except ValueError:
        limit = 5
    try:
        offset = max(0, int(query.get("checks_offset", "0")))
    except ValueError:
        offset = 0
    return limit, offset
