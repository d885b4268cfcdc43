"""The PostHog API client: the endpoints alertsync uses, and creates that never happen twice.

Errors come back as the `alertsync.errors` tree with PostHog's own message (see `http`).

A create (POST) is never re-sent blindly. It is retried directly only when it provably did
not reach PostHog (the connection could not be opened, or a 429). When its outcome is
unknown (a timeout, a dropped connection, a 5xx), the client re-lists the alerts and looks
for the name: found, the create is done; not found, it is sent again (for transient
failures, within the same budget). So a run never makes two alerts of one name. A DELETE
retried after a lost response may find the alert gone: that is success.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from alertsync.core.dest_spec import input_values
from alertsync.core.live import LivePage, live_page
from alertsync.core.requests import alert_path, alerts_path
from alertsync.edges.posthog import listing
from alertsync.edges.posthog.destinations import DestinationsApi
from alertsync.edges.posthog.http import Ambiguous, Call, Http, Trace
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.edges.posthog.retry import Budget
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.errors import (
    Abandoned,
    AlertsyncError,
    ApiError,
    NetworkError,
    NotKept,
)
from alertsync.model import DestChange, Labels, StopSignal, Written

__all__ = ["PostHogClient", "Trace"]

# Every insight-alert destination of a project: hog functions on the alert event (destinations
# contract §3.4), in the full shape (with `filters` and `status`); grouped by alert id later.
LIST_INSIGHTS_ABOVE = 50  # more short ids to look up than this: list the insights instead
SCANS = 3  # readings of the alerts listing to find a create whose answer was lost


class PostHogClient:
    def __init__(
        self,
        conn: Connection,
        tuning: Tuning | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        env: Mapping[str, str] | None = None,
        trace: Trace | None = None,
        stop: StopSignal | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        on_page: Callable[[int, int], None] | None = None,
        on_wait: Callable[[float], None] | None = None,
        limits: SharedLimits | None = None,
    ) -> None:
        self.conn = conn
        self.tuning = tuning or Tuning()
        self._on_page = on_page  # (alerts read so far, alerts counted): for a progress line
        self._env = env or {}
        self._http = Http(
            conn,
            self.tuning,
            transport=transport,
            env=env,
            trace=trace,
            stop=stop,
            clock=clock,
            sleep=sleep,
            rng=rng,
            on_wait=on_wait,  # seconds the rate limiter makes a request wait: for a progress line
            limits=limits,
        )
        self.destinations = DestinationsApi(self._http, conn.project, self._env)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PostHogClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _alerts(self) -> str:
        return alerts_path(self.conn.project)

    # -- reads -------------------------------------------------------------------------

    def list_alerts(self, budget: Budget | None = None) -> list[dict[str, Any]]:
        """Every alert of the project, every page; refuses a listing that does not add up."""
        return listing.consistent_listing(
            self._http, self._alerts, "listing alerts", self._on_page, budget
        )

    def live_pages(self) -> list[LivePage]:
        """Every alert of the project in the canonical shape, and what it says of insights
        and users (`core.live.joined` puts the pages together); each page is made canonical
        as it arrives and its raw alerts dropped, so a plan never holds the whole raw
        listing. Refused as `list_alerts` refuses."""
        return listing.consistent_pages(
            self._http, self._alerts, "listing alerts", live_page, self._on_page
        )

    def halt(self) -> None:
        """Send nothing more: every later request (and retry) is abandoned before it goes
        out; a request already in flight finishes. For reads whose answer is no longer
        wanted (another read of the same plan failed)."""
        self._http.halt()

    def insights_by_short_id(self, short_ids: Iterable[str]) -> list[dict[str, Any]]:
        """InsightBasic objects for the short ids that exist in the project: one lookup per
        short id (`Tuning.concurrency` at a time), or, for many, one listing of them all."""
        path = f"/api/projects/{self.conn.project}/insights/"
        wanted = sorted(short_ids)
        if len(wanted) > LIST_INSIGHTS_ABOVE:
            keep = set(wanted)
            found = listing.items(self._http, path, {"basic": "true"}, "listing insights")
            return [i for i in found if i.get("short_id") in keep]

        def look_up(short_id: str) -> list[dict[str, Any]]:
            params = {"short_id": short_id, "basic": "true"}
            action = f"looking up insight {short_id!r}"
            return [i for i in listing.items(self._http, path, params, action) if i.get("short_id")]

        return self._each(wanted, look_up)

    def insights_by_id(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """The insights with these numeric ids that exist in the project (with their
        queries), `Tuning.concurrency` at a time; an id PostHog does not find is left out."""

        def read(insight_id: int) -> list[dict[str, Any]]:
            path = f"/api/projects/{self.conn.project}/insights/{insight_id}/"
            call = Call("GET", path, f"reading insight {insight_id}", params={"basic": "true"})
            try:
                return [listing.as_object(self._http.json(call))]
            except ApiError as exc:
                if exc.status == 404:
                    return []
                raise

        return self._each(sorted(ids), read)

    def _each(
        self, items: list[Any], read: Callable[[Any], list[dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        if len(items) < 2 or self.tuning.concurrency < 2:
            return [found for item in items for found in read(item)]
        with ThreadPoolExecutor(min(self.tuning.concurrency, len(items))) as pool:
            return [found for each in pool.map(read, items) for found in each]

    def alerts_with_checks(
        self,
        alert_ids: Iterable[str],
        checks: int,
        on_read: Callable[[int, int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Each alert retrieved with its newest `checks` checks (`checks_limit`, at most 500)
        and `checks_total`, `Tuning.concurrency` at a time; one deleted since it was listed
        is left out. `on_read(done, total)` follows the progress."""
        wanted = list(alert_ids)
        done = itertools.count(1)  # next() is atomic: reads finish on several threads

        def read(alert_id: str) -> list[dict[str, Any]]:
            path = alert_path(self.conn.project, alert_id)
            params = {"checks_limit": str(checks)}
            call = Call("GET", path, f"reading the checks of alert {alert_id}", params=params)
            try:
                found = [listing.as_object(self._http.json(call))]
            except ApiError as exc:
                if exc.status != 404:
                    raise
                found = []
            if on_read is not None:
                on_read(next(done), len(wanted))
            return found

        return self._each(wanted, read)

    def alert_destinations(self) -> list[dict[str, Any]]:
        """Every alert destination of the project (hog functions listening to the alert
        event), every page; needs the `hog_function:read` scope."""
        functions = self.destinations.list_all("to report their health")
        for function in functions:
            for value in input_values(function).values():
                if isinstance(value, str) and "://" in value:
                    self._http.keep_secret(value)
            if isinstance(function.get("name"), str):  # a name may quote its URL
                function["name"] = self._http.redact(function["name"])
        return functions

    def members(self) -> list[dict[str, Any]]:
        path = "/api/organizations/@current/members/"
        return list(listing.items(self._http, path, {}, "listing organization members"))

    # -- writes ------------------------------------------------------------------------

    def create_alert(self, body: dict[str, Any], name: str) -> Written:
        """POST, never blindly twice: after an unknown outcome, re-list and look first."""
        action = f"creating alert {name!r}"
        budget = self._http.retrier.budget()
        note = ""
        while True:
            try:
                call = Call("POST", self._alerts, action, body, budget=budget)
                created = listing.as_object(self._http.json(call))
                _kept(action, body, created)
                return Written(str(created.get("id")), note)
            except Ambiguous as lost:
                found = self._find_created(name, lost.error, budget)
                if found is not None:
                    return Written(found, "recovered after a lost response: PostHog had made it")
                missing = f"; a fresh listing shows no alert named {name!r}, so it was not created"
                retrier = self._http.retrier
                retrier.pause_to_resend(lost.error, lost.retryable, lost.wait, budget, missing)
                note = "sent again: a fresh listing showed the first attempt had not made it"

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> Written:
        path = alert_path(self.conn.project, alert_id)
        action = f"updating alert {name!r}"
        _kept(action, body, listing.as_object(self._http.json(Call("PATCH", path, action, body))))
        return Written(alert_id)

    def delete_alert(self, alert_id: str, name: str) -> Written:
        budget = self._http.retrier.budget()
        path = alert_path(self.conn.project, alert_id)
        try:
            self._http.send(Call("DELETE", path, f"deleting alert {name!r}", budget=budget))
        except ApiError as exc:
            if exc.status == 404 and budget.attempts > 1:
                return Written(alert_id, "already gone when retried: an earlier attempt did it")
            raise
        return Written(alert_id)

    def write_destination(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written:
        return self.destinations.write(change, alert_id, alert_name, labels)

    def keep_secret(self, value: str) -> None:
        self._http.keep_secret(value)

    def _find_created(self, name: str, error: AlertsyncError, budget: Budget) -> str | None:
        """The id of a live alert named ``name`` after a create with an unknown outcome."""
        if self._http.cancelled():
            raise Abandoned(
                f"{error}; the run was interrupted before alertsync could check whether "
                "PostHog made the alert: run plan to see",
                sent=True,
            )
        self._http.note(f"{error}: outcome unknown; listing alerts to see whether it was made")
        self._http.retrier.settle(budget)
        streak = budget.failures  # the create's failures, not the listing's
        try:
            alerts = self._scan_alerts(budget)
        except AlertsyncError as exc:
            raise NetworkError(
                f"{error}; checking whether PostHog made the alert failed too ({exc}); "
                "run plan to see"
            ) from exc
        budget.failures = streak
        return next((str(a.get("id")) for a in alerts if a.get("name") == name), None)

    def _scan_alerts(self, budget: Budget) -> list[dict[str, Any]]:
        """Every alert, page after page, for a presence check while other creates land:
        newer alerts only push older ones to later pages, so an alert may be seen twice but
        never missed; duplicates and a growing count are fine here (not for planning).
        A scan that may have missed one (fewer distinct alerts than the first page counted,
        or a short page before the last) is read again: concluding "not made" from it would
        send the create twice."""
        for _attempt in range(SCANS):
            pages = list(listing.pages(self._http, self._alerts, {}, "checking the alerts", budget))
            items = [item for page in pages for item in page.results]
            distinct = {item.get("id") for item in items if isinstance(item, dict)}
            full = all(len(page.results) == listing.PAGE_SIZE for page in pages[:-1])
            if full and len(distinct) >= pages[0].count:
                return items
            self._http.note("the check listing did not add up; reading it again")
        raise NetworkError("the alerts listing kept coming back incomplete")


def _kept(action: str, body: dict[str, Any], answer: dict[str, Any]) -> None:
    """An older PostHog ignores fields it does not know: say so, instead of a plan that
    shows the same change forever."""
    missing = [key for key in body if key not in answer]
    if missing:
        raise NotKept(action, missing, str(answer.get("id")) if answer.get("id") else None)
