"""Alert checks: the stored rows, their read shape (contract §2.8) and the retrieve window (§3.3).

A check row keeps what PostHog's ``AlertCheck`` model keeps: the raw ``error`` and the raw
``targets_notified`` map (``{"users": [emails], "destinations": [receipts]}``). The read shape
derives from them, as ``AlertCheckSerializer`` does:

* ``targets_notified``: ``true`` when the stored map is not empty;
* ``error``: ``null``; ``{"code": "email_unavailable", "message": ...}``; or, for any other
  stored error, the sanitised ``{"message": "This alert encountered an error. Check the alert
  configuration and try again."}``;
* ``deliveries``: ``null`` without delivery receipts; else one record per email recipient
  (``at`` is ``notification_sent_at`` in Python's ISO form, ``+00:00``) then per destination
  receipt, with its ``display_label`` (Slack keeps its channel name; other destinations add
  `` · `` and the last 4 characters of the hog function id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from alertsync.emulator.clock import parse_datetime
from alertsync.emulator.relative_dates import relative_date_parse

SANITISED_ERROR = "This alert encountered an error. Check the alert configuration and try again."
CHECKS_DEFAULT_LIMIT = 5
CHECKS_MAX_LIMIT = 500


@dataclass(frozen=True)
class AlertCheck:
    id: str
    created_at: str
    calculated_value: float | None
    state: str
    error: Any = None
    targets_notified: Mapping[str, Any] = field(default_factory=dict)
    anomaly_scores: Any = None
    triggered_points: Any = None
    triggered_dates: Any = None
    interval: str | None = None
    triggered_metadata: Any = None
    investigation_status: str | None = None
    investigation_verdict: str | None = None
    investigation_summary: str | None = None
    investigation_notebook_short_id: str | None = None
    notification_sent_at: str | None = None
    notification_suppressed_by_agent: bool = False
    has_delivery_receipts: bool = False

    @property
    def moment(self) -> datetime:
        moment = parse_datetime(self.created_at)
        if moment is None:
            raise ValueError(f"check {self.id}: bad created_at {self.created_at!r}")
        return moment

    @property
    def is_firing_point(self) -> bool:
        """The checks a list item carries: those with non-empty ``triggered_points``."""
        return self.triggered_points is not None and self.triggered_points != []

    def to_json(self) -> dict[str, Any]:
        data = {name.name: getattr(self, name.name) for name in fields(self)}
        data["targets_notified"] = dict(self.targets_notified)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AlertCheck:
        return cls(**data)


def render_check(check: AlertCheck) -> dict[str, Any]:
    """The check as the API returns it (``AlertCheckSerializer.Meta.fields`` order)."""
    return {
        "id": check.id,
        "created_at": check.created_at,
        "calculated_value": check.calculated_value,
        "state": check.state,
        "error": render_error(check.error),
        "targets_notified": bool(check.targets_notified),
        "anomaly_scores": check.anomaly_scores,
        "triggered_points": check.triggered_points,
        "triggered_dates": check.triggered_dates,
        "interval": check.interval,
        "triggered_metadata": check.triggered_metadata,
        "investigation_status": check.investigation_status,
        "investigation_verdict": check.investigation_verdict,
        "investigation_summary": check.investigation_summary,
        "investigation_notebook_short_id": check.investigation_notebook_short_id,
        "notification_sent_at": check.notification_sent_at,
        "notification_suppressed_by_agent": check.notification_suppressed_by_agent,
        "deliveries": _deliveries(check),
    }


def render_error(error: Any) -> dict[str, str] | None:
    if not isinstance(error, Mapping) or not isinstance(error.get("message"), str):
        return None
    if error.get("code") == "email_unavailable":
        return {"code": "email_unavailable", "message": error["message"]}
    return {"message": SANITISED_ERROR}


def _deliveries(check: AlertCheck) -> list[dict[str, Any]] | None:
    if not check.has_delivery_receipts:
        return None
    notified = check.targets_notified or {}
    sent = parse_datetime(check.notification_sent_at) if check.notification_sent_at else None
    at = sent.isoformat() if sent is not None else None
    emails = [
        {
            "channel": "email",
            "target": email,
            "status": "accepted",
            "at": at,
            "display_label": f"Email: {email}",
        }
        for email in notified.get("users") or []
    ]
    return emails + [_labelled(row) for row in notified.get("destinations") or []]


def _labelled(row: Mapping[str, Any]) -> dict[str, Any]:
    label = row.get("target") or "Destination"
    target_id = row.get("target_id")
    if target_id and row.get("template") != "slack":
        label = f"{label} · {str(target_id)[-4:]}"
    return {**row, "display_label": label}


@dataclass(frozen=True)
class CheckWindow:
    """The retrieve parameters ``checks_date_from``/``_to``, ``checks_limit``/``_offset``."""

    date_from: datetime | None = None
    date_to: datetime | None = None
    limit: int = CHECKS_DEFAULT_LIMIT
    offset: int = 0

    def select(self, checks: Sequence[AlertCheck]) -> tuple[int, list[AlertCheck]]:
        """``(total after the date filter, the page)``, newest first."""
        newest_first = sorted(checks, key=lambda check: check.moment, reverse=True)
        kept = [
            check
            for check in newest_first
            if (self.date_from is None or check.moment >= self.date_from)
            and (self.date_to is None or check.moment <= self.date_to)
        ]
        offset = min(self.offset, len(kept))
        return len(kept), kept[offset : offset + self.limit]


def check_window(query: Mapping[str, str], now: datetime) -> CheckWindow:
    """S ``retrieve``: with a date filter and no ``checks_limit`` the limit becomes 500; a
    limit is clamped to 1-500 and a non-number means the default; an offset is at least 0."""
    date_from, date_to = query.get("checks_date_from"), query.get("checks_date_to")
    raw_limit, raw_offset = query.get("checks_limit"), query.get("checks_offset")
    if raw_limit is not None:
        limit = _int_or(raw_limit, None)
        limit = CHECKS_DEFAULT_LIMIT if limit is None else max(1, min(limit, CHECKS_MAX_LIMIT))
    else:
        limit = CHECKS_MAX_LIMIT if date_from or date_to else CHECKS_DEFAULT_LIMIT
    offset = max(0, _int_or(raw_offset, 0) or 0) if raw_offset is not None else 0
    return CheckWindow(
        date_from=relative_date_parse(date_from, now) if date_from else None,
        date_to=relative_date_parse(date_to, now) if date_to else None,
        limit=limit,
        offset=offset,
    )


def _int_or(text: str, default: int | None) -> int | None:
    try:
        return int(text)
    except ValueError:
        return default
