"""The :class:`Emulator`: a local PostHog alerts API on 127.0.0.1, for tests and demos."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from alertsync.emulator.checks import render_check
from alertsync.emulator.clock import Clock, IdFactory, parse_datetime, utcnow
from alertsync.emulator.destination_hooks import DestinationHooks
from alertsync.emulator.destination_world import DestinationWorld
from alertsync.emulator.dispatch import Api
from alertsync.emulator.evaluator import CheckSpec
from alertsync.emulator.faults import FaultPolicy, NoFaults
from alertsync.emulator.refusals import ApiError
from alertsync.emulator.requestlog import RecordedRequest, RequestLog
from alertsync.emulator.seed import Seed, SeedError
from alertsync.emulator.seed_loader import ALERT_STATE_KEYS, load_seed
from alertsync.emulator.server import HOST, EmulatorServer, Pipeline
from alertsync.emulator.service import AlertService
from alertsync.emulator.shapes import firing_checks, render_alert
from alertsync.emulator.store import AlertStore
from alertsync.emulator.stored import Alert
from alertsync.emulator.throttle import Throttle

SeedSource = Seed | Mapping[str, Any] | str | Path | None
_KEEP: Any = object()


class Emulator(DestinationHooks):
    """A real HTTP server speaking the PostHog alerts API contract.

    ``seed``: ``None`` (built-in), a seed mapping, or a JSON/YAML seed file path.
    ``state_path``: JSON file keeping the alerts between runs (loaded if it exists, rewritten
    atomically after each change). ``port``: 0 picks a free port. ``latency_ms``: delay
    before answering every request. ``fault_policy``: see :mod:`alertsync.emulator.faults`.
    ``clock``: returns the current aware UTC datetime (tests pin it; default: real time).
    ``throttle``: enforce PostHog's rate limits per personal API key (480/minute and
    4800/hour; 240/minute and 1200/hour for insights), answering PostHog's 429 (see
    :mod:`~alertsync.emulator.throttle`); timed by ``clock``.
    """

    def __init__(
        self,
        seed: SeedSource = None,
        state_path: str | Path | None = None,
        port: int = 0,
        latency_ms: int = 0,
        fault_policy: FaultPolicy | None = None,
        clock: Callable[[], datetime] | None = None,
        throttle: bool = False,
    ) -> None:
        self._seed = load_seed(seed)
        self._port = port
        ticks = Clock(clock or utcnow)
        limits = Throttle(lambda: ticks.now().timestamp()).check if throttle else None
        self._store = AlertStore(self._seed.project_id, Path(state_path) if state_path else None)
        ids = IdFactory()
        self._service = AlertService(self._seed, self._store, ticks, ids)
        self._destinations = DestinationWorld(self._seed, self._store, self._service, ticks, ids)
        self._log = RequestLog()

        def base_url() -> str:
            return self.base_url

        routes = self._destinations.routes(base_url)
        api = Api(self._seed, self._service, base_url, limits, extra_routes=routes)
        self._faults = fault_policy or NoFaults()
        self._pipeline = Pipeline(api, self._faults, self._log, latency_ms)
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None
        self._restore(ticks)

    def _restore(self, clock: Clock) -> None:
        """Load the state file, or create the seed's alerts on a first start."""
        if self._store.load():
            latest = self._store.latest_created_at()
            moment = parse_datetime(latest) if latest else None
            if moment is not None:
                clock.advance_past(moment)
            return
        with self._store.deferred_writes():
            for index, entry in enumerate(self._seed.alerts):
                try:
                    self._bootstrap(entry)
                except ApiError as error:
                    detail = f"seed.alerts[{index}]: {error.detail} (attr {error.attr})"
                    raise SeedError(detail) from None
                except (ValueError, TypeError) as error:
                    raise SeedError(f"seed.alerts[{index}]: {error}") from None

    def _bootstrap(self, entry: Mapping[str, Any]) -> None:
        """One seed alert: its POST body, then the state keys (see ``seed``)."""
        body = {key: value for key, value in entry.items() if key not in ALERT_STATE_KEYS}
        user_id = entry.get("created_by", self._seed.full_access_key.user_id)
        alert_id = self._service.create(body, user_id).id
        if "snooze" in entry:
            self._service.update(alert_id, {"snoozed_until": entry["snooze"]}, "PATCH")
        for check in entry.get("checks", []):
            self._service.record_check(alert_id, CheckSpec.from_mapping(check))
        times = {key: entry[key] for key in ("last_checked_at", "next_check_at") if key in entry}
        if times:
            self._service.set_check_times(alert_id, **times)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Bind 127.0.0.1:``port`` and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._server = EmulatorServer(self._port, self._pipeline)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name=f"alertsync-emulator-{self._server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, close the socket and cut open connections. Safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join()

    def serve_forever(self) -> None:
        """Serve in the foreground (starting if needed) until Ctrl-C or :meth:`stop`."""
        if self._server is None:
            self.start()
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "stopped"
        return f"<Emulator project={self.project_id} {where}>"

    # -- what clients need -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() first")
        return f"http://{HOST}:{self._server.server_address[1]}"

    @property
    def seed(self) -> Seed:
        return self._seed

    @property
    def project_id(self) -> int:
        return self._seed.project_id

    @property
    def api_key(self) -> str:
        """The seed's full-access personal API key."""
        return self._seed.full_access_key.key

    @property
    def api_keys(self) -> dict[str, str]:
        """Every seeded key by label, e.g. ``full``, ``read``, ``no_alert_scope``."""
        return {key.label: key.key for key in self._seed.api_keys}

    # -- test hooks ------------------------------------------------------------------------

    @property
    def fault_policy(self) -> FaultPolicy:
        return self._faults

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of the request log, oldest first."""
        return self._log.entries()

    def clear_requests(self) -> None:
        self._log.clear()

    def alerts(self) -> list[dict[str, Any]]:
        """Every stored alert in the list-item read shape, newest first (a deep copy)."""
        return [self._item(alert) for alert in self._service.all()]

    def set_alert_state(self, alert_id: str, state: str = "Firing") -> dict[str, Any]:
        """Simulate the evaluator: set ``state``, ``last_checked_at`` and ``next_check_at``
        (no check row)."""
        return self._item(self._service.set_state(alert_id, state))

    def record_check(
        self,
        alert_id: str,
        state: str = "Not firing",
        calculated_value: float | None = None,
        error: str | Mapping[str, Any] | None = None,
        at: datetime | str | None = None,
        **details: Any,
    ) -> dict[str, Any]:
        """Record a check as PostHog's check task would, and return the alert (list item).

        ``state``: ``Firing``, ``Not firing``, ``Errored`` or ``Snoozed``; ``error``: a message
        (rendered sanitised, as PostHog does) or a stored error object such as
        ``{"code": "email_unavailable", "message": ...}``; ``at``: when (default: now).
        ``details``: ``triggered_points`` (a firing check with points shows in list items),
        ``triggered_dates``, ``anomaly_scores``, ``interval``, ``targets_notified``
        (``{"users": [emails], "destinations": [...]}``), ``investigation_status``,
        ``investigation_verdict``, ``investigation_summary``. The alert's ``state``,
        ``last_checked_at``, ``next_check_at``, ``last_notified_at`` and ``last_value``
        follow (see :mod:`~alertsync.emulator.evaluator`). Raises ``KeyError`` for an unknown
        alert and ``ValueError`` for an unknown state.
        """
        spec = CheckSpec(state, calculated_value, error, at, **details)
        return self._item(self._service.record_check(alert_id, spec))

    def set_check_times(
        self,
        alert_id: str,
        *,
        last_checked_at: Any = _KEEP,
        next_check_at: Any = _KEEP,
    ) -> dict[str, Any]:
        """Set ``last_checked_at`` and/or ``next_check_at`` (aware or UTC datetimes, ISO
        strings, or ``None``), e.g. a ``last_checked_at`` days old for a stale alert."""
        times = {
            name: value
            for name, value in (
                ("last_checked_at", last_checked_at),
                ("next_check_at", next_check_at),
            )
            if value is not _KEEP
        }
        return self._item(self._service.set_check_times(alert_id, **times))

    def checks(self, alert_id: str) -> list[dict[str, Any]]:
        """Every check row of the alert in the read shape, newest first (``KeyError`` for an
        unknown alert)."""
        try:
            alert = self._service.get(alert_id).alert
        except ApiError:
            raise KeyError(alert_id) from None
        newest_first = sorted(alert.checks, key=lambda check: check.moment, reverse=True)
        return [render_check(check) for check in newest_first]

    def _item(self, alert: Alert) -> dict[str, Any]:
        return copy.deepcopy(render_alert(alert, self._seed, checks=firing_checks(alert)))
