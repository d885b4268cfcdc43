"""The status report as markdown, for a scheduled CI job that opens or updates an issue.

A table of the alerts that need a look (🔴 a condition `--fail-on` selected, 🟡 another one),
the others folded into `<details>`, notes, the counts and the verdict. Inert like the
plan's markdown (`render.md`): every name and message from a file or from PostHog is a code
span or escaped text. It stays under GitHub's limit for an issue or comment body: past it,
the alerts with nothing to report become a count, then the rows that do not fit are
counted, not shown.
"""

from __future__ import annotations

from alertsync.core.health import AlertStatus
from alertsync.core.status_report import StatusReport, TargetStatus
from alertsync.render.md import code, text
from alertsync.render.status_words import (
    Quote,
    counts,
    inexact,
    issues,
    scope,
    since,
    state,
    verdict,
    when,
    zone,
)

MAX_LENGTH = 60_000  # GitHub refuses issue and comment bodies over 65,536 characters
QUOTE = Quote(name=lambda value: code(value, table=True), message=text, at_or_before="≤ ")
HEAD = "| | Alert | State | Since | Last check | What to look at |\n|---|---|---|---|---|---|"


def render_status_markdown(report: StatusReport) -> str:
    failing = sum(1 for t in report.targets for s in t.alerts if report.failing(s))
    total = sum(len(t.alerts) for t in report.targets)
    title = (
        f"### alertsync status: {failing} of {total} alert(s) need attention"
        if failing
        else f"### alertsync status: no alert in a --fail-on state ({total} read)"
    )
    if report.unread:
        title += f"; ❌ {len(report.unread)} environment(s) could not be read"
    budget = MAX_LENGTH // max(1, len(report.targets))
    closing = verdict(report, lambda flag: f"`{flag}`")
    parts = [title, *(_target(t, report, budget) for t in report.targets), closing]
    return "\n\n".join(parts) + "\n"


def _target(target: TargetStatus, report: StatusReport, budget: int) -> str:
    where = target.target
    project = f"project {code(where.project)} at {code(where.host)}"
    if target.environment is not None:
        project = f"Environment {code(target.environment)}: {project}"
    project = project[0].upper() + project[1:]
    if target.error is not None:
        return f"{project}: ❌ could not be read.\n\n{text(target.error)}"
    read = f"read {when(target.taken_at)} UTC; {zone(report, code)}"
    head = f"{project} ({scope(target, code)}), {read}."
    tail = [f"> Note: {text(note)}." for note in target.notes]
    if inexact(target):
        tail.append("≤: the state began at or before that time (every check read is in it).")
    tail.append(f"**Summary:** {counts(target)}.")
    rows = [_row(s, report) for s in target.alerts if s.conditions]
    quiet = [s for s in target.alerts if not s.conditions]
    room = budget - len(head) - sum(len(line) + 2 for line in tail) - len(HEAD) - 200
    return "\n\n".join([head, *_fitted(rows, quiet, room), *tail])


def _fitted(rows: list[str], quiet: list[AlertStatus], room: int) -> list[str]:
    """The table and the alerts with nothing to report, cut to `room` characters."""
    shown: list[str] = []
    for row in rows:
        if sum(len(r) + 1 for r in shown) + len(row) > room:
            break
        shown.append(row)
    blocks = [HEAD + "\n" + "\n".join(shown)] if shown else []
    if len(shown) < len(rows):
        blocks.append(f"{len(rows) - len(shown)} more alert(s) left out: see `--format json`.")
    if quiet:
        names = ", ".join(code(s.name) for s in quiet)
        summary = f"<summary>{len(quiet)} alert(s) with nothing to report</summary>"
        listed = f"<details>{summary}\n\n{names}\n\n</details>"
        fits = sum(len(b) for b in blocks) + len(listed) <= room
        blocks.append(listed if fits else f"{len(quiet)} alert(s) with nothing to report.")
    return blocks


def _row(status: AlertStatus, report: StatusReport) -> str:
    mark = "🔴" if report.failing(status) else "🟡"
    found = "<br>".join(f"**{condition}**: {words}" for condition, words in issues(status, QUOTE))
    cells = [
        mark,
        code(status.name, table=True),
        text(state(status)),
        since(status, QUOTE.at_or_before),
        when(status.last_check),
        found,
    ]
    return "| " + " | ".join(cells) + " |"
