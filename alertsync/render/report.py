"""The apply report: one entry per change (done, failed, skipped, stale), then a summary."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from alertsync.model import OUTCOMES, DestResult, Labels, Result, Target
from alertsync.render.dest_words import where_to
from alertsync.render.md import code, text
from alertsync.render.text import Style, plain

_DONE_WORDS = {"create": "created", "update": "updated", "delete": "deleted"}
_LABEL = {"failed": "FAILED", "skipped": "skipped", "stale": "STALE"}


def _ident(result: Result) -> str:
    alert_id = result.alert_id or result.change.alert_id
    return f" (id {alert_id})" if alert_id else ""


_ROUTE_WORDS = {"create": "now notifies", "update": "changed", "delete": "stopped notifying"}
_ROUTE_VERBS = {"create": "add", "update": "change", "delete": "remove"}


def render_result(result: Result, style: Style = plain, labels: Labels | None = None) -> str:
    change = result.change
    if result.outcome == "done":
        words = f"  {_DONE_WORDS[change.action]} {change.name!r}{_ident(result)}"
        note = f" ({result.message})" if result.message else ""
        head = style(words + note, change.action)
    else:
        verb = f"{change.action} {change.name!r}{_ident(result)}"
        head = style(f"  {_LABEL[result.outcome]}: {verb}: {result.message}", "warn")
    lines = [head, *(_route_line(r, style, labels or Labels()) for r in result.destinations)]
    return "\n".join(lines)


def route_words(route: DestResult, labels: Labels) -> str:
    where = where_to(route.change.after or route.change.before or {}, labels)
    if route.outcome == "done":
        off = route.change.action == "create" and (route.change.after or {}).get("enabled") is False
        verb = "added, disabled," if off else _ROUTE_WORDS[route.change.action]
        note = f" ({route.message})" if route.message else ""
        return f"{verb} {where}{note}"
    return f"{_LABEL[route.outcome]}: {_ROUTE_VERBS[route.change.action]} {where}: {route.message}"


def _route_line(route: DestResult, style: Style, labels: Labels) -> str:
    role = route.change.action if route.outcome == "done" else "warn"
    return style(f"      {route_words(route, labels)}", role)


def counts(results: list[Result]) -> dict[str, int]:
    tally: Counter[str] = Counter(r.outcome for r in results)
    return {outcome: tally[outcome] for outcome in OUTCOMES}


def render_summary(results: list[Result]) -> str:
    done = Counter(r.change.action for r in results if r.outcome == "done")
    tally = counts(results)
    ok = tally["done"] == len(results)
    head = "Apply complete" if ok else "Apply finished with errors"
    stale = f", {tally['stale']} refused as stale" if tally["stale"] else ""
    routes = Counter(d.outcome for r in results for d in r.destinations)
    routed = (
        f" Destinations: {routes['done']} done, {routes['failed']} failed"
        f"{', ' + str(routes['skipped']) + ' skipped' if routes['skipped'] else ''}."
        if routes
        else ""
    )
    return (
        f"{head}: {done['create']} created, {done['update']} updated, {done['delete']} deleted, "
        f"{tally['failed']} failed, {tally['skipped']} skipped{stale}.{routed}"
    )


def result_entry(result: Result) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "action": result.change.action,
        "name": result.change.name,
        "alert_id": result.alert_id or result.change.alert_id,
        "outcome": result.outcome,
        "message": result.message or None,
    }
    if result.destinations:
        entry["destinations"] = [_route_entry(r) for r in result.destinations]
    return entry


def _route_entry(route: DestResult) -> dict[str, Any]:
    spec = route.change.after or route.change.before or {}
    return {
        "action": route.change.action,
        "kind": route.change.kind,
        "destination_id": route.dest_id or route.change.dest_id,
        "target": {k: spec[k] for k in ("workspace", "channel", "url", "url_env") if k in spec},
        "outcome": route.outcome,
        "message": route.message or None,
    }


def render_text_report(
    results: list[Result], target: Target, plan_id: str, labels: Labels | None = None
) -> str:
    """What follows the results printed one by one: the summary line and the plan's id."""
    return f"\n{render_summary(results)}\nPlan id: {plan_id}\n" if results else ""


def render_json_report(
    results: list[Result], target: Target, plan_id: str, labels: Labels | None = None
) -> str:
    document = {
        "format_version": 1,
        "plan_id": plan_id,
        "target": {"host": target.host, "project": target.project},
        "results": [result_entry(r) for r in results],
        "summary": counts(results),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_MD_OUTCOME = {"done": "✅ done", "failed": "❌ failed", "skipped": "⏭️ skipped", "stale": "⚠️ stale"}


def render_markdown_report(
    results: list[Result], target: Target, plan_id: str, labels: Labels | None = None
) -> str:
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
            for route in r.destinations:
                where = where_to(
                    route.change.after or route.change.before or {},
                    labels or Labels(),
                    lambda v: code(v, table=True),
                )
                verb = f"{_ROUTE_VERBS[route.change.action]} destination"
                lines.append(
                    f"| {_MD_OUTCOME[route.outcome]} | {verb} | {name} | {where}"
                    f"{': ' + text(route.message) if route.message else ''} |"
                )
    return "\n".join(lines) + "\n"
