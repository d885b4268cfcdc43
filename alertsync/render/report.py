"""The apply report: one line per change, then a summary."""

from __future__ import annotations

from collections import Counter

from alertsync.apply import Result
from alertsync.render.text import Style, plain

_DONE_WORDS = {"create": "created", "update": "updated", "delete": "deleted"}
_SYMBOL = {"done": "ok", "failed": "FAILED", "skipped": "skipped"}


def render_result(result: Result, style: Style = plain) -> str:
    change = result.change
    ident = (
        f" (id {result.alert_id or change.alert_id})"
        if (result.alert_id or change.alert_id)
        else ""
    )
    if result.outcome == "done":
        return style(f"  {_DONE_WORDS[change.action]} {change.name!r}{ident}", change.action)
    verb = f"{change.action} {change.name!r}{ident}"
    return style(f"  {_SYMBOL[result.outcome]}: {verb}: {result.message}", "warn")


def render_summary(results: list[Result]) -> str:
    done = Counter(r.change.action for r in results if r.outcome == "done")
    failed = sum(1 for r in results if r.outcome == "failed")
    skipped = sum(1 for r in results if r.outcome == "skipped")
    head = "Apply complete" if not failed and not skipped else "Apply finished with errors"
    return (
        f"{head}: {done['create']} created, {done['update']} updated, {done['delete']} deleted, "
        f"{failed} failed, {skipped} skipped."
    )
