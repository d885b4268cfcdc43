"""The status report as a compact table for a terminal: one row per alert, its problems below.

```
  STATE       SINCE             LAST CHECK        ALERT
  Errored     2025-06-03 01:00  2025-06-03 01:00  'Signups dropped below 50 a day'
    ! errored: This alert encountered an error. Check the alert configuration and try again.
```

`!` marks a condition `--fail-on` selected, `-` one it did not. Names are quoted as `plan`
quotes them (control characters escaped), so no name can move the cursor or hide a line.
"""

from __future__ import annotations

from collections.abc import Iterator

from alertsync.core.health import AlertStatus
from alertsync.core.status_report import StatusReport, TargetStatus
from alertsync.render.status_words import (
    LEGEND,
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
from alertsync.render.text import Style, plain

HEADER = ("STATE", "SINCE", "LAST CHECK", "ALERT")


def printable(text: str) -> str:
    """Text with every character that is not printable escaped (`\\x1b`, `\\n`, ...)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


QUOTE = Quote(name=repr, message=printable)


def render_status_text(report: StatusReport, style: Style = plain) -> str:
    lines = [f"Alert status (times in UTC; {zone(report)})."]
    for target in report.targets:
        lines += ["", *_target_lines(target, report, style)]
    lines += ["", verdict(report)]
    return "\n".join(lines) + "\n"


def _target_lines(target: TargetStatus, report: StatusReport, style: Style) -> Iterator[str]:
    where = target.target
    project = f"project {where.project} at {where.host}"
    lead = f"Environment {target.environment}: {project}" if target.environment else project
    lead = lead[0].upper() + lead[1:]
    if target.error is not None:
        yield f"{lead}:"
        yield ""
        yield style(f"Error: {printable(target.error)}", "warn")
        return
    yield f"{lead} ({scope(target, repr)}), read {when(target.taken_at)}:"
    if not target.alerts:
        yield "  The files declare no alert."
    else:
        yield ""
        yield from _table(target, report, style)
    yield ""
    for note in target.notes:
        yield style(f"Note: {note}.", "warn")
    if inexact(target):
        yield LEGEND
    yield f"Summary: {counts(target)}."


def _table(target: TargetStatus, report: StatusReport, style: Style) -> Iterator[str]:
    rows = [_row(status) for status in target.alerts]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(3)]
    yield "  " + _cells(HEADER, widths)
    for row, status in zip(rows, target.alerts, strict=True):
        yield "  " + _cells(row, widths)
        for condition, words in issues(status, QUOTE):
            selected = condition in report.fail_on
            mark = "!" if selected else "-"
            yield style(f"    {mark} {condition}: {words}", "warn" if selected else "muted")


def _row(status: AlertStatus) -> tuple[str, str, str, str]:
    return (state(status), since(status), when(status.last_check), QUOTE.name(status.name))


def _cells(row: tuple[str, ...], widths: list[int]) -> str:
    padded = (cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
    return "  ".join(padded) + "  " + row[3]
