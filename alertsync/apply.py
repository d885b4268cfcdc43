"""Carry out a plan: POST creates, PATCH updates (changed fields only), DELETE deletes.

Order is the plan's: creates, then updates, then deletes. A failed change does not stop the
others, except that deletes are held back when a create or update failed (a rename is a
create plus a delete: deleting the old alert after the new one failed would lose it), and
nothing more is attempted once PostHog rejected the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from alertsync.errors import ApiError, AuthenticationFailed, NetworkError, PermissionDenied
from alertsync.plan import Change, Plan

Outcome = Literal["done", "failed", "skipped", "stale"]
Precheck = Callable[[Change], "Result | None"]


@dataclass(frozen=True)
class Result:
    change: Change
    outcome: Outcome
    message: str = ""
    alert_id: str | None = None
    fatal: bool = False  # nothing more is attempted after it (the key was refused)


class Writer(Protocol):
    def create_alert(self, body: dict[str, object], name: str) -> dict[str, object]: ...

    def update_alert(
        self, alert_id: str, body: dict[str, object], name: str
    ) -> dict[str, object]: ...

    def delete_alert(self, alert_id: str, name: str) -> None: ...


def apply_plan(
    plan: Plan,
    writer: Writer,
    on_result: Callable[[Result], None] | None = None,
    precheck: Precheck | None = None,
) -> list[Result]:
    """Apply each change in order; `precheck` may refuse one (a saved plan gone stale)."""
    results: list[Result] = []
    for change in plan.changes:
        result = (
            (precheck(change) if precheck else None)
            or _skip_reason(change, results)
            or _run(change, writer)
        )
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def _skip_reason(change: Change, done: Iterable[Result]) -> Result | None:
    failed = [r for r in done if r.outcome == "failed"]
    if any(r.fatal for r in failed):
        return Result(change, "skipped", "not attempted: PostHog refused the API key")
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
        alert_id = _send(change, writer)
    except (AuthenticationFailed, PermissionDenied) as exc:
        return Result(change, "failed", str(exc), fatal=True)
    except (ApiError, NetworkError) as exc:
        return Result(change, "failed", str(exc))
    return Result(change, "done", alert_id=alert_id)


def _send(change: Change, writer: Writer) -> str | None:
    if change.action == "create":
        created = writer.create_alert(dict(change.body or {}), change.name)
        return str(created.get("id"))
    assert change.alert_id is not None
    if change.action == "update":
        writer.update_alert(change.alert_id, dict(change.body or {}), change.name)
    else:
        writer.delete_alert(change.alert_id, change.name)
    return change.alert_id
