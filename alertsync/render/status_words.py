"""The words of a status report, shared by its text and markdown renderers.

Strings that come from a file or from PostHog (alert and destination names, PostHog's error
messages) go through the `Quote` the renderer passes: `repr`-like escaping for a terminal,
code spans and escaped text for markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alertsync.core.destination_health import DestinationStatus
from alertsync.core.health import AlertStatus
from alertsync.core.status_report import StatusReport, TargetStatus

CONDITION_WORDS = {
    "errored": "errored",
    "overdue": "overdue",
    "destination-disabled": "destination disabled",
    "firing": "firing",
    "snoozed": "snoozed",
    "disabled": "disabled",
    "destination-degraded": "destination degraded",
    "missing": "not created yet",
}


@dataclass(frozen=True)
class Quote:
    name: Callable[[str], str]  # an alert or destination name, an id
    message: Callable[[str], str]  # running text from PostHog
    at_or_before: str = "<="  # marks a `since` that is "at or before" (see LEGEND)


def when(iso: str | None) -> str:
    """`2025-06-03T01:00:04Z` → `2025-06-03 01:00` (the report says the times are UTC)."""
    return f"{iso[:10]} {iso[11:16]}" if iso else "-"


def since(status: AlertStatus, marker: str = "<=") -> str:
    if status.since is None:
        return "-"
    return when(status.since.at) if status.since.exact else f"{marker}{when(status.since.at)}"


def state(status: AlertStatus) -> str:
    if status.alert_id is None:
        return "Not created"
    if status.enabled is False:
        return "Disabled"
    return status.state or "Unknown"


def duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min"


def issues(status: AlertStatus, quote: Quote) -> list[tuple[str, str]]:
    """(condition, what it means for this alert), in the order of the conditions; a line
    reads `condition: detail`."""
    lines: list[tuple[str, str]] = []
    for condition in status.conditions:
        if condition.startswith("destination-"):
            lines += [
                (condition, destination_detail(d, quote))
                for d in status.destinations or ()
                if d.condition == condition
            ]
        else:
            lines.append((condition, _ALERT_LINES[condition](status, quote)))
    return lines


def destination_detail(destination: DestinationStatus, quote: Quote) -> str:
    delivery = destination.last_delivery
    last = (
        f"last delivery {delivery.status} at {when(delivery.at)}"
        if delivery is not None
        else "no delivery recorded in the checks read"
    )
    name = quote.name(destination.name or destination.id)
    return f"{name} ({destination.kind}): {destination.reason}; {last}"


def _missing(status: AlertStatus, quote: Quote) -> str:
    return f"declared at {quote.name(status.source)}, not in PostHog yet (apply creates it)"


def _errored(status: AlertStatus, quote: Quote) -> str:
    if status.error is None:
        return "PostHog gave no message for the last check"
    code = f"({quote.name(status.error_code)}) " if status.error_code else ""
    return f"{code}{quote.message(status.error)}"


def _overdue(status: AlertStatus, quote: Quote) -> str:
    late = status.overdue
    assert late is not None
    return (
        f"no check since {when(late.since)} ({late.reference}); {_article(status.interval)} "
        f"{status.interval} check "
        f"was expected at {when(late.expected)}, and its {duration(late.grace_seconds)} "
        f"grace ended at {when(late.deadline)}"
    )


def _firing(status: AlertStatus, quote: Quote) -> str:
    value = f" (last value {status.last_value:g})" if status.last_value is not None else ""
    found = f"since {since(status, quote.at_or_before)}" if status.since else "PostHog says so"
    return found + value


def _article(interval: str | None) -> str:
    return "an" if interval in ("hourly", "every_15_minutes") else "a"


def _snoozed(status: AlertStatus, quote: Quote) -> str:
    if status.snoozed_until is None:
        return "PostHog gives no end"
    return f"until {when(status.snoozed_until)}"


def _disabled(status: AlertStatus, quote: Quote) -> str:
    return "enabled: false in PostHog while the file says enabled (plan shows the drift)"


_ALERT_LINES: dict[str, Callable[[AlertStatus, Quote], str]] = {
    "missing": _missing,
    "errored": _errored,
    "overdue": _overdue,
    "firing": _firing,
    "snoozed": _snoozed,
    "disabled": _disabled,
}


def counts(target: TargetStatus) -> str:
    """`6 alerts: 1 errored, 1 overdue, ...` (conditions with none are left out)."""
    parts = [
        f"{target.count(name)} {words}"
        for name, words in CONDITION_WORDS.items()
        if target.count(name)
    ]
    head = f"{len(target.alerts)} alert(s)"
    return f"{head}: {', '.join(parts)}" if parts else f"{head}, nothing to report"


def verdict(report: StatusReport, flag: Callable[[str], str] = str) -> str:
    """The closing line: what --fail-on selected, and whether the run fails."""
    failing = sum(1 for t in report.targets for s in t.alerts if report.failing(s))
    unread = report.unread
    names = ", ".join(t.environment or t.target.project for t in unread)
    lost = f"{len(unread)} of {len(report.targets)} environment(s) could not be read ({names})"
    if not report.fail_on:
        head = f"{flag('--fail-on none')}: no state fails the run"
        return f"{head}; {lost}: exit 1." if unread else f"{head}."
    selected = flag(f"--fail-on {','.join(report.fail_on)}")
    if not failing:
        found = f"No alert is in a state {selected} selects"
    else:
        found = f"{failing} alert(s) in a state {selected} selects"
    if unread:
        return f"{found}; {lost}: exit 1."
    return f"{found}: exit 1." if failing else f"{found}."


def zone(report: StatusReport, name: Callable[[str], str] = str) -> str:
    """Which timezone quiet hours and weekends were read in, and where it came from."""
    if report.timezone_given:
        return f"quiet hours and weekends in {name(report.timezone)}, from --timezone"
    return (
        f"quiet hours and weekends in {name(report.timezone)}, the default: PostHog's API "
        "does not give the project's timezone, set it with --timezone"
    )


def scope(target: TargetStatus, name: Callable[[str], str]) -> str:
    if target.prefix is None:
        return "every alert of the project"
    return f"names starting with {name(target.prefix)}"


def inexact(target: TargetStatus) -> bool:
    """Whether a `since` of the target reads "at or before" (for the legend)."""
    return any(s.since is not None and not s.since.exact for s in target.alerts)


LEGEND = "<= the state began at or before that time: every check read is in it."
