"""Carry out a plan: POST creates, PATCH updates (changed fields only), DELETE deletes.

Order is the plan's: creates, then updates, then deletes. A failed change does not stop the
others, except that

* deletes are held back when a create or update failed (a rename is a create plus a delete:
  deleting the old alert after the new one failed would lose it);
* nothing more is attempted once PostHog rejected the key (401/403), or once a request kept
  failing for its whole retry budget (PostHog is down or unreachable);
* once the user asks to stop (``stop``: Ctrl-C or SIGTERM, see `alertsync.interrupt`), the
  request in flight finishes and every later change is skipped. A second signal abandons
  the request in flight (a ``KeyboardInterrupt``); its change is reported as failed with an
  unknown outcome, which the next plan shows.

Every change gets a `Result`: done (with a note when it was recovered, e.g. after a lost
response), failed (with PostHog's message), skipped (with the reason), or stale (a saved
plan's change that no longer fits the live alert).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from alertsync.errors import (
    Abandoned,
    ApiError,
    AuthenticationFailed,
    NetworkError,
    PermissionDenied,
    RetriesExhausted,
)
from alertsync.plan import Change, Plan

Outcome = Literal["done", "failed", "skipped", "stale"]
Precheck = Callable[[Change], "Result | None"]
StopReason = Callable[[], "str | None"]  # why the user asked to stop, or None


@dataclass(frozen=True)
class Result:
    change: Change
    outcome: Outcome
    message: str = ""  # for done: a note (e.g. recovered after a lost response)
    alert_id: str | None = None
    fatal: str = ""  # why nothing more is attempted after it (the key was refused, ...)


@dataclass(frozen=True)
class Written:
    """What a write did: the alert's id, and a note when it needed recovering."""

    alert_id: str | None
    note: str = ""


class Writer(Protocol):
    def create_alert(self, body: dict[str, Any], name: str) -> Written: ...

    def update_alert(self, alert_id: str, body: dict[str, Any], name: str) -> Written: ...

    def delete_alert(self, alert_id: str, name: str) -> Written: ...


def apply_plan(
    plan: Plan,
    writer: Writer,
    on_result: Callable[[Result], None] | None = None,
    precheck: Precheck | None = None,
    stop: StopReason | None = None,
) -> list[Result]:
    """Apply each change in order; `precheck` may refuse one (a saved plan gone stale)."""
    results: list[Result] = []
    interrupted: str | None = None
    for change in plan.changes:
        interrupted = interrupted or (stop() if stop else None)
        if interrupted:
            result = Result(change, "skipped", f"not attempted: {interrupted}")
        else:
            try:
                result = (
                    (precheck(change) if precheck else None)
                    or _skip_reason(change, results)
                    or _run(change, writer)
                )
            except KeyboardInterrupt:
                interrupted = (stop() if stop else None) or "interrupted"
                result = Result(change, "failed", _abandoned(interrupted))
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _abandoned(reason: str) -> str:
    return (
        f"{reason} while its request was in flight: PostHog may or may not have made this "
        "change; run plan to see"
    )


def _skip_reason(change: Change, done: Iterable[Result]) -> Result | None:
    failed = [r for r in done if r.outcome == "failed"]
    fatal = next((r.fatal for r in failed if r.fatal), "")
    if fatal:
        return Result(change, "skipped", f"not attempted: {fatal}")
    if change.action == "delete" and any(r.change.action != "delete" for r in failed):
        return Result(
            change,
            "skipped",
            "not deleted because a create or update failed (a rename would lose the alert); "
            "fix the failure and run apply again",
        )
    return None


def _run(change: Change, writer: Writer) -> Result:
    try:
        written = _send(change, writer)
    except (AuthenticationFailed, PermissionDenied) as exc:
        return Result(change, "failed", str(exc), fatal="PostHog refused the API key")
    except RetriesExhausted as exc:
        return Result(change, "failed", str(exc), fatal="PostHog kept failing (see above)")
    except Abandoned as exc:
        return Result(change, "failed" if exc.sent else "skipped", str(exc))
    except (ApiError, NetworkError) as exc:
        return Result(change, "failed", str(exc))
    return Result(change, "done", written.note, alert_id=written.alert_id)


def _send(change: Change, writer: Writer) -> Written:
    if change.action == "create":
        return writer.create_alert(dict(change.body or {}), change.name)
    assert change.alert_id is not None
    if change.action == "update":
        return writer.update_alert(change.alert_id, dict(change.body or {}), change.name)
    return writer.delete_alert(change.alert_id, change.name)
