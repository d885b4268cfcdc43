"""Carry out a plan: POST creates, PATCH updates (changed fields only), DELETE deletes.

Order is the plan's: creates, then updates, then deletes. A failed change does not stop the
others, except that

* deletes are held back when a create or update failed (a rename is a create plus a delete:
  deleting the old alert after the new one failed would lose it);
* nothing more is attempted once PostHog rejected the key (401/403), or once a request kept
  failing for its whole retry budget (PostHog is down or unreachable);
* once the user asks to stop (``stop``: Ctrl-C or SIGTERM, see `alertsync.cli.signals`), the
  request in flight finishes and every later change is skipped. A second signal abandons
  the request in flight (a ``KeyboardInterrupt``); its change is reported as failed with an
  unknown outcome, which the next plan shows.

Every change gets a `Result`: done (with a note when it was recovered, e.g. after a lost
response), failed (with PostHog's message), skipped (with the reason), or stale (a saved
plan's change that no longer fits the live alert).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from alertsync.errors import (
    Abandoned,
    ApiError,
    AuthenticationFailed,
    NetworkError,
    NotKept,
    PermissionDenied,
    RetriesExhausted,
)
from alertsync.model import Change, DestChange, DestResult, Labels, Plan, Result, Written

Precheck = Callable[[Change], "Result | None"]
StopReason = Callable[[], "str | None"]  # why the user asked to stop, or None


class Writer(Protocol):
    def create_alert(self, body: dict[str, Any], name: str) -> Written: ...

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> Written: ...

    def delete_alert(self, alert_id: str, name: str) -> Written: ...

    def write_destination(
        self, change: DestChange, alert_id: str, alert_name: str, labels: Labels
    ) -> Written: ...


def apply_plan(
    plan: Plan,
    writer: Writer,
    on_result: Callable[[Result], None] | None = None,
    precheck: Precheck | None = None,
    stop: StopReason | None = None,
    concurrency: int = 1,
) -> list[Result]:
    """Apply the changes: creates, then updates, then deletes, each kind up to
    `concurrency` at a time; `precheck` may refuse one (a saved plan gone stale).
    `on_result` sees every result in plan order, as soon as those before it are known."""
    run = _Run(writer, precheck, stop, on_result, plan.labels)
    for phase in _phases(plan.changes):
        if concurrency > 1 and len(phase) > 1 and not run.interrupted:
            run.together(phase, concurrency)
        else:
            for index, change in phase:
                run.one(index, change)
    return run.finish(len(plan.changes))


def _phases(changes: Iterable[Change]) -> list[list[tuple[int, Change]]]:
    phases: dict[str, list[tuple[int, Change]]] = {"create": [], "update": [], "delete": []}
    for index, change in enumerate(changes):
        phases[change.action].append((index, change))
    return [phase for phase in phases.values() if phase]


class _Run:
    """The results of one apply, kept in plan order; safe to use from worker threads."""

    def __init__(
        self,
        writer: Writer,
        precheck: Precheck | None,
        stop: StopReason | None,
        on_result: Callable[[Result], None] | None,
        labels: Labels,
    ) -> None:
        self.writer = writer
        self.labels = labels
        self.precheck = precheck
        self.stop = stop
        self.on_result = on_result
        self.results: dict[int, Result] = {}
        self.interrupted: str | None = None
        self._emitted = 0
        self._lock = threading.Lock()

    def one(self, index: int, change: Change) -> None:
        """Run one change on this thread (a second Ctrl-C abandons its request)."""
        try:
            self._record(index, self._attempt(change))
        except KeyboardInterrupt:
            self.interrupted = (self.stop() if self.stop else None) or "interrupted"
            self._record(index, Result(change, "failed", _abandoned(self.interrupted)))

    def together(self, phase: list[tuple[int, Change]], width: int) -> None:
        """Run a phase's changes on `width` worker threads. This thread hands out each next
        change only when one finishes, so a stop asked for meanwhile (its signal handler runs
        on this thread) skips every change not yet started. A second Ctrl-C stops waiting:
        the requests in flight are reported with unknown outcomes."""
        waiting = iter(phase)
        running: dict[Future[Result], tuple[int, Change]] = {}
        pool = ThreadPoolExecutor(width, thread_name_prefix="alertsync-apply")
        try:
            self._hand_out(pool, waiting, running, width)
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    self._record(running.pop(future)[0], future.result())
                self._hand_out(pool, waiting, running, width)
        except KeyboardInterrupt:
            self.interrupted = (self.stop() if self.stop else None) or "interrupted"
            for index, change in running.values():
                self._record(index, Result(change, "failed", _abandoned(self.interrupted)))
            for index, change in waiting:
                self._record(index, _not_attempted(change, self.interrupted))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _hand_out(
        self,
        pool: ThreadPoolExecutor,
        waiting: Iterator[tuple[int, Change]],
        running: dict[Future[Result], tuple[int, Change]],
        width: int,
    ) -> None:
        while len(running) < width:
            item = next(waiting, None)
            if item is None:
                return
            self.interrupted = self.interrupted or (self.stop() if self.stop else None)
            if self.interrupted:
                self._record(item[0], _not_attempted(item[1], self.interrupted))
                continue
            running[pool.submit(self._attempt, item[1])] = item

    def _attempt(self, change: Change) -> Result:
        with self._lock:
            self.interrupted = self.interrupted or (self.stop() if self.stop else None)
            if self.interrupted:
                return _not_attempted(change, self.interrupted)
            refused = (self.precheck(change) if self.precheck else None) or _skip_reason(
                change, self.results.values()
            )
        return refused or _run(change, self.writer, self.labels)

    def _record(self, index: int, result: Result) -> None:
        with self._lock:
            if index in self.results:
                return
            self.results[index] = result
            while self._emitted in self.results:
                if self.on_result is not None:
                    self.on_result(self.results[self._emitted])
                self._emitted += 1

    def finish(self, total: int) -> list[Result]:
        return [self.results[i] for i in range(total)]


def _not_attempted(change: Change, reason: str) -> Result:
    return Result(change, "skipped", f"not attempted: {reason}")


def _abandoned(reason: str) -> str:
    return (
        f"{reason} while its request was in flight: PostHog may or may not have made this "
        "change; run plan to see"
    )


def _skip_reason(change: Change, done: Iterable[Result]) -> Result | None:
    failed = [r for r in done if r.outcome == "failed"]
    fatal = next((r.fatal for r in failed if r.fatal), "")
    if fatal:
        return _not_attempted(change, fatal)
    if change.action == "delete" and any(r.change.action != "delete" for r in failed):
        return Result(
            change,
            "skipped",
            "not deleted because a create or update failed (a rename would lose the alert); "
            "fix the failure and run apply again",
        )
    return None


def _run(change: Change, writer: Writer, labels: Labels) -> Result:
    try:
        written = _send(change, writer)
    except (AuthenticationFailed, PermissionDenied) as exc:
        return Result(change, "failed", str(exc), fatal="PostHog refused the API key")
    except RetriesExhausted as exc:
        return Result(change, "failed", str(exc), fatal="PostHog kept failing (see above)")
    except Abandoned as exc:
        return Result(change, "failed" if exc.sent else "skipped", str(exc))
    except NotKept as exc:
        return Result(change, "failed", str(exc), alert_id=exc.alert_id)
    except (ApiError, NetworkError) as exc:
        return Result(change, "failed", str(exc))
    done = Result(change, "done", written.note, alert_id=written.alert_id)
    routes = [d for d in change.destinations if not d.cascade]
    return _routed(done, routes, writer, labels) if routes else done


def _routed(done: Result, routes: list[DestChange], writer: Writer, labels: Labels) -> Result:
    """The alert is saved; now its destinations, one after the other (each needs its id).
    One that fails does not stop the others; the alert's result then says which failed."""
    alert_id = done.alert_id or done.change.alert_id
    assert alert_id is not None
    results: list[DestResult] = []
    fatal = ""
    for route in routes:
        if fatal:
            results.append(DestResult(route, "skipped", f"not attempted: {fatal}"))
            continue
        try:
            written = writer.write_destination(route, alert_id, done.change.name, labels)
        except AuthenticationFailed as exc:
            fatal = "PostHog refused the API key"
            results.append(DestResult(route, "failed", str(exc)))
        except PermissionDenied as exc:  # a scope for destinations: the alerts may go on
            results.append(DestResult(route, "failed", str(exc)))
        except RetriesExhausted as exc:
            fatal = "PostHog kept failing (see above)"
            results.append(DestResult(route, "failed", str(exc)))
        except Abandoned as exc:
            fatal = "interrupted"
            results.append(DestResult(route, "failed" if exc.sent else "skipped", str(exc)))
        except (ApiError, NetworkError) as exc:
            results.append(DestResult(route, "failed", str(exc)))
        else:
            results.append(DestResult(route, "done", written.note, written.alert_id))
    failed = [r for r in results if r.outcome != "done"]
    if not failed:
        return Result(done.change, "done", done.message, done.alert_id, destinations=tuple(results))
    saved = "saved" if done.change.sends_alert else "unchanged"
    message = (
        f"the alert is {saved} (id {alert_id}), but {len(failed)} of its {len(results)} "
        "destination change(s) did not go through; run apply again to finish them"
    )
    return Result(
        done.change, "failed", message, alert_id, fatal=fatal, destinations=tuple(results)
    )


def _send(change: Change, writer: Writer) -> Written:
    if not change.sends_alert:
        return Written(change.alert_id)
    if change.action == "create":
        return writer.create_alert(dict(change.body or {}), change.name)
    assert change.alert_id is not None
    if change.action == "update":
        return writer.update_alert(change.alert_id, dict(change.body or {}), change.name)
    return writer.delete_alert(change.alert_id, change.name)
