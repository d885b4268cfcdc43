"""The apply report: one entry per change (done, failed, skipped, stale), then a summary."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from alertsync.model import OUTCOMES, Result, Target
from alertsync.render.md import code, text
from alertsync.render.text import Style, plain

_DONE_WORDS = {"create": "created", "update": "updated", "delete": "deleted"}
_LABEL = {"failed": "FAILED", "skipped": "skipped", "stale": "STALE"}


def _ident(result: Result) -> str:
    alert_id = result.alert_id or result.change.alert_id
    return f" (id {alert_id})" if alert_id else ""


def render_result(result: Result, style: Style = plain) -> str:
    change = result.change
    if result.outcome == "done":
        words = f"  {_DONE_WORDS[change.action]} {change.name!r}{_ident(result)}"
        note = f" ({result.message})" if result.message else ""
        return style(words + note, change.action)
    verb = f"{change.action} {change.name!r}{_ident(result)}"
    return style(f"  {_LABEL[result.outcome]}: {verb}: {result.message}", "warn")


def counts(results: list[Result]) -> dict[str, int]:
    tally: Counter[str] = Counter(r.outcome for r in results)
    return {outcome: tally[outcome] for outcome in OUTCOMES}


def render_summary(results: list[Result]) -> str:
    done = Counter(r.change.action for r in results if r.outcome == "done")
    tally = counts(results)
    ok = tally["done"] == len(results)
    head = "Apply complete" if ok else "Apply finished with errors"
    stale = f", {tally['stale']} refused as stale" if tally["stale"] else ""
    return (
        f"{head}: {done['create']} created, {done['update']} updated, {done['delete']} deleted, "
        f"{tally['failed']} failed, {tally['skipped']} skipped{stale}."
    )


def result_entry(result: Result) -> dict[str, Any]:
    return {
        "action": result.change.action,
        "name": result.change.name,
        "alert_id": result.alert_id or result.change.alert_id,
        "outcome": result.outcome,
        "message": result.message or None,
    }


def render_text_report(results: list[Result], target: Target, plan_id: str) -> str:
    """What follows the results printed one by one: the summary line and the plan's id."""
    return f"\n{render_summary(results)}\nPlan id: {plan_id}\n" if results else ""


def render_json_report(results: list[Result], target: Target, plan_id: str) -> str:
    document = {
        "format_version": 1,
        "plan_id": plan_id,
        "target": {"host": target.host, "project": target.project},
        "results": [result_entry(r) for r in results],
        "summary": counts(results),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_MD_OUTCOME = {"done": "✅ done", "failed": "❌ failed", "skipped": "⏭️ skipped", "stale": "⚠️ stale"}


def render_markdown_report(results: list[Result], target: Target, plan_id: str) -> str:
    tally = counts(results)
    lines = [
        f"### alertsync apply: {render_summary(results)}"
        if results
        else "### alertsync apply: no changes",
        "",
        f"Project {code(target.project)} on {code(target.host)} · plan id {code(plan_id)}",
        "",
    ]
    if results:
        lines += ["| done | failed | skipped | stale |", "|---:|---:|---:|---:|"]
        lines += [
            f"| {tally['done']} | {tally['failed']} | {tally['skipped']} | {tally['stale']} |",
            "",
        ]
        lines += ["| outcome | change | alert | message |", "|---|---|---|---|"]
        for r in results:
            name = code(r.change.name, table=True)
            lines.append(
                f"| {_MD_OUTCOME[r.outcome]} | {r.change.action} | {name} | {text(r.message)} |"
            )
    return "\n".join(lines) + "\n"
