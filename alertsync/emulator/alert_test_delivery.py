"""``POST …/alerts/{id}/test-delivery/`` (destinations contract §6; S ``test_delivery``).

A synthetic notification to every subscribed user's email and every active destination of
the alert (enabled, not deleted, ``$insight_alert_firing`` + this ``alert_id``). Nothing
leaves the machine: each scheduled delivery is recorded as a :class:`RecordedTestDelivery`,
which tests read from ``Emulator.test_deliveries``. The answers are PostHog's:

* 202 ``{destination_count, email_recipient_count, failed_delivery_channels}``;
* 409 ``{"detail": ...}`` (a plain body, not the error envelope) with neither a recipient nor
  an active destination;
* 503 ``{"detail": ...}`` when nothing could be scheduled: the seed's ``features`` decide
  whether email (``email_available``) and destinations (``internal_events_available``) work.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.clock import Clock, format_datetime
from alertsync.emulator.destination_seed import Features
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.hog_templates import DESTINATION_KINDS
from alertsync.emulator.routing import Call, resolve_project
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertService
from alertsync.emulator.stored import Alert
from alertsync.emulator.wire import Response, json_response

NOTHING_TO_TEST = "Add an email recipient or active destination before sending a test."
NOT_STARTED = "Unable to start the test delivery. Check the configured channels and try again."
NO_EMAIL = (
    "Email delivery is unavailable for this instance. Configure email settings before trying again."
)
TEST_BREACHES = "Test alert from PostHog. No action is needed."


@dataclass(frozen=True)
class RecordedDestination:
    hog_function_id: str
    name: str | None
    template: str | None  # slack | discord | webhook | teams
    inputs: dict[str, Any]  # each input's value


@dataclass(frozen=True)
class RecordedTestDelivery:
    """One scheduled test delivery: what PostHog would have sent, and where."""

    alert_id: str
    at: str
    emails: tuple[str, ...]
    destinations: tuple[RecordedDestination, ...]
    event_properties: dict[str, Any]
    failed_delivery_channels: tuple[str, ...]


class AlertTestDeliveries:
    def __init__(
        self,
        seed: Seed,
        alerts: AlertService,
        functions: HogFunctionService,
        clock: Clock,
    ) -> None:
        self._seed = seed
        self._alerts = alerts
        self._functions = functions
        self._clock = clock
        self._features: Features = seed.features
        self._sent: list[RecordedTestDelivery] = []
        self._lock = threading.Lock()

    def entries(self) -> list[RecordedTestDelivery]:
        with self._lock:
            return list(self._sent)

    def clear(self) -> None:
        with self._lock:
            self._sent.clear()

    def post(self, call: Call) -> Response:
        resolve_project(call.params["project"], self._seed)
        alert = self._alerts.get(call.params["alert"], key=call.key).alert
        active = [f for f in self._functions.owned_by(alert.id) if f.enabled]
        emails = self._emails(alert)
        if not active and not emails:
            return json_response(409, {"detail": NOTHING_TO_TEST})
        failed: list[str] = []
        sent_emails: tuple[str, ...] = ()
        if emails:
            if self._features.email_available:
                sent_emails = tuple(emails)
            else:
                failed.append("email")
        fired: tuple[RecordedDestination, ...] = ()
        if active:
            if self._features.internal_events_available:
                fired = tuple(_destination(function) for function in active)
            else:
                failed.append("destination")
        if not sent_emails and not fired:
            unavailable = bool(emails) and not self._features.email_available
            return json_response(503, {"detail": NO_EMAIL if unavailable else NOT_STARTED})
        self._record(alert, sent_emails, fired, failed)
        body = {
            "destination_count": len(fired),
            "email_recipient_count": len(sent_emails),
            "failed_delivery_channels": failed,
        }
        return json_response(202, body)

    def _emails(self, alert: Alert) -> list[str]:
        users = [self._seed.users.get(user_id) for user_id in alert.subscribed_users]
        return [user.email for user in users if user is not None]

    def _record(
        self,
        alert: Alert,
        emails: tuple[str, ...],
        fired: tuple[RecordedDestination, ...],
        failed: list[str],
    ) -> None:
        insight = self._seed.insights.get(alert.insight)
        properties = {
            "alert_id": alert.id,
            "alert_name": f"[TEST] {alert.name}",
            "insight_id": alert.insight,
            "insight_name": insight.name if insight else None,
            "breaches": TEST_BREACHES,
            "is_test": True,
        }
        delivery = RecordedTestDelivery(
            alert_id=alert.id,
            at=format_datetime(self._clock.now()),
            emails=emails,
            destinations=fired,
            event_properties=properties,
            failed_delivery_channels=tuple(failed),
        )
        with self._lock:
            self._sent.append(delivery)


def _destination(function: HogFunction) -> RecordedDestination:
    values = {
        key: item.get("value")
        for key, item in function.inputs.items()
        if isinstance(item, dict) and "value" in item
    }
    return RecordedDestination(
        hog_function_id=function.id,
        name=function.name,
        template=DESTINATION_KINDS.get(function.template_id or ""),
        inputs=values,
    )
