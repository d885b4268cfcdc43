"""Is a managed alert working? Its status, from the alert and recent checks PostHog returns.

For each alert the files declare (alerts contract §1.1, §2.3, §2.8):

* **state** (`Firing`, `Not firing`, `Errored`, `Snoozed`) and **since when**: the oldest of
  the newest checks that are all in that state. When every check read is in it, the change
  happened before them: "at least since" the oldest one read;
* the **last check's error**, on one line and shortened;
* **overdue**: no check by the deadline `core.overdue` computes from the last check (or from
  the alert's creation when it was never checked, or from the end of an expired snooze);
  a disabled or snoozed alert is never overdue;
* **snoozed** until when; **disabled** in PostHog while the file says enabled (drift);
* its **destinations**' health and last deliveries (`core.destination_health`);
* **missing**: declared in the files but not in PostHog (not created yet).

Each finding is a condition name; `--fail-on` picks the ones that make `status` exit 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from alertsync.core.destination_health import DestinationStatus, destination_status
from alertsync.core.instants import Offset, format_instant, parse_instant
from alertsync.core.overdue import due_after, schedule_of

CONDITIONS = (
    "errored",
    "overdue",
    "destination-disabled",
    "firing",
    "snoozed",
    "disabled",
    "destination-degraded",
    "missing",
)
DEFAULT_FAIL_ON = ("errored", "overdue", "destination-disabled")
ERROR_LENGTH = 160
ERRORED, FIRING, SNOOZED = "Errored", "Firing", "Snoozed"


@dataclass(frozen=True)
class Since:
    at: str  # UTC, to the second
    exact: bool  # False: every check read is in this state, so it began no later than `at`


@dataclass(frozen=True)
class Overdue:
    reference: str  # "last check", "created" or "snooze ended"
    since: str  # when that was
    expected: str  # when the next check should have run
    deadline: str  # expected plus the grace margin
    grace_seconds: int


@dataclass(frozen=True)
class AlertStatus:
    name: str
    source: str  # file:line of the alert in the files
    enabled_in_file: bool
    alert_id: str | None = None  # None: not in PostHog (not created yet)
    state: str | None = None
    since: Since | None = None
    enabled: bool | None = None
    interval: str | None = None
    last_check: str | None = None
    next_check: str | None = None
    last_value: float | None = None  # the newest check's calculated value
    snoozed_until: str | None = None
    error: str | None = None  # the last check's error, shortened
    error_code: str | None = None
    overdue: Overdue | None = None
    checks_read: int = 0
    checks_total: int | None = None
    destinations: tuple[DestinationStatus, ...] | None = None  # None: not read
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Now:
    """When the status is taken, and the project's timezone as an offset."""

    instant: float
    offset: Offset


def missing_status(name: str, source: str, enabled_in_file: bool) -> AlertStatus:
    return AlertStatus(name, source, enabled_in_file, conditions=("missing",))


def alert_status(
    name: str,
    source: str,
    enabled_in_file: bool,
    raw: Mapping[str, Any],
    functions: Sequence[Mapping[str, Any]] | None,
    now: Now,
) -> AlertStatus:
    """The status of one live alert (retrieved with its checks), notifying `functions`
    (None when the destinations could not be read)."""
    checks = newest_first(raw.get("checks"))
    state = raw.get("state") if isinstance(raw.get("state"), str) else None
    until = parse_instant(raw.get("snoozed_until"))
    snoozing = until is not None and until > now.instant
    enabled = raw.get("enabled") is not False
    error, code = last_error(checks)
    found = AlertStatus(
        name,
        source,
        enabled_in_file,
        alert_id=str(raw.get("id")),
        state=state,
        since=since(state, checks),
        enabled=enabled,
        interval=str(raw.get("calculation_interval") or "daily"),
        last_check=_shown(last_check(raw, checks)),
        next_check=_shown(parse_instant(raw.get("next_check_at"))),
        last_value=_number(raw.get("last_value")),
        snoozed_until=_shown(until if snoozing or state == SNOOZED else None),
        error=error,
        error_code=code,
        overdue=None if snoozing or not enabled else overdue(raw, checks, now),
        checks_read=len(checks),
        checks_total=_count(raw.get("checks_total")),
        destinations=(
            None if functions is None else tuple(destination_status(f, checks) for f in functions)
        ),
    )
    return _with_conditions(found)


def newest_first(raw: Any) -> list[Mapping[str, Any]]:
    """The checks as read, newest first (PostHog's order; sorted again to be sure)."""
    checks = [c for c in raw if isinstance(c, dict)] if isinstance(raw, list) else []
    return sorted(checks, key=lambda c: parse_instant(c.get("created_at")) or 0.0, reverse=True)


def since(state: str | None, checks: Sequence[Mapping[str, Any]]) -> Since | None:
    """When the alert entered `state`, as far as the checks read show."""
    run = []
    for check in checks:
        if check.get("state") != state:
            break
        run.append(check)
    oldest = parse_instant(run[-1].get("created_at")) if run else None
    if oldest is None or state is None:
        return None
    return Since(format_instant(oldest), exact=len(run) < len(checks))


def last_error(checks: Sequence[Mapping[str, Any]]) -> tuple[str | None, str | None]:
    """The newest check's error message (one line, shortened) and code."""
    error = checks[0].get("error") if checks else None
    if not isinstance(error, dict):
        return None, None
    message = " ".join(str(error.get("message") or "an error without a message").split())
    if len(message) > ERROR_LENGTH:
        message = message[: ERROR_LENGTH - 1].rstrip() + "…"
    code = error.get("code")
    return message, code if isinstance(code, str) else None


def last_check(raw: Mapping[str, Any], checks: Sequence[Mapping[str, Any]]) -> float | None:
    """The newest of `last_checked_at` and the newest check's time."""
    times = [parse_instant(raw.get("last_checked_at"))]
    times += [parse_instant(checks[0].get("created_at"))] if checks else []
    known = [t for t in times if t is not None]
    return max(known) if known else None


def overdue(
    raw: Mapping[str, Any], checks: Sequence[Mapping[str, Any]], now: Now
) -> Overdue | None:
    """How late the alert's next check is, if past its deadline (see `core.overdue`)."""
    checked, unsnoozed = last_check(raw, checks), parse_instant(raw.get("snoozed_until"))
    known = [(checked, "last check")] if checked is not None else []
    if not known:
        known.append((parse_instant(raw.get("created_at")) or now.instant, "created"))
    if unsnoozed is not None and unsnoozed <= now.instant:
        known.append((unsnoozed, "snooze ended"))
    at, what = max(known)
    schedule = schedule_of(
        raw.get("calculation_interval"), raw.get("skip_weekend"), raw.get("schedule_restriction")
    )
    due = due_after(at, schedule, now.offset)
    if now.instant <= due.deadline:
        return None
    shown = (format_instant(at), format_instant(due.expected), format_instant(due.deadline))
    return Overdue(what, *shown, int(schedule.grace))


def _with_conditions(status: AlertStatus) -> AlertStatus:
    found = {
        "errored": status.state == ERRORED or status.error is not None,
        "overdue": status.overdue is not None,
        "firing": status.state == FIRING,
        "snoozed": status.snoozed_until is not None or status.state == SNOOZED,
        "disabled": status.enabled is False and status.enabled_in_file,
    }
    for destination in status.destinations or ():
        if destination.condition is not None:
            found[destination.condition] = True
    conditions = tuple(name for name in CONDITIONS if found.get(name))
    return replace(status, conditions=conditions)


def _shown(instant: float | None) -> str | None:
    return None if instant is None else format_instant(instant)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
