"""The plan as markdown for a pull-request comment, within GitHub's 65,536-character limit.

Written for a reviewer who has never opened PostHog: a summary table, one section per change
in plain words with links to the insight and the alert, badges on risky changes, and
field-level detail folded into <details>. When the full text would be too long, it keeps the
summary and every risky change (every delete at least by name) and says what it left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alertsync.core.canonical import shown_fields
from alertsync.core.planid import plan_id
from alertsync.core.risks import plan_notes, refusal_notes, risks
from alertsync.model import Change, Labels, Plan, Target
from alertsync.render import dest_words, words
from alertsync.render.md import code, text, url_part
from alertsync.render.text import display_order
from alertsync.render.values import field_value, leaves

LIMIT = 65_000
BADGES = {
    "delete": "🗑️ deletes an alert",
    "disable": "⏸️ disables",
    "recipients_removed": "🔕 recipients removed",
    "threshold_loosened": "📉 threshold loosened",
    "firing_state_reset": "🔄 firing state reset",
    "insight_changed": "🔀 moves to another insight",
    "may_be_refused": "⚠️ may be refused",
    "destination_removed": "🔕 destination removed",
}
ICONS = {"create": "➕", "update": "✏️", "delete": "🗑️"}
ACTION_RANK = {"delete": 0, "update": 1, "create": 2}


def render_markdown(
    plan: Plan, target: Target, limit: int = LIMIT, title: str = "alertsync plan"
) -> str:
    """The comment; `title` (markdown, escaped by the caller) heads it."""
    head = _header(plan, target, title)
    if plan.empty:
        return head + "\n**No changes.** The live alerts match the files.\n"
    full = head + "".join(_section(c, plan.labels, target) for c in display_order(plan))
    if len(full) <= limit:
        return full
    return _fit(head, plan, target, limit)


def _header(plan: Plan, target: Target, title: str) -> str:
    scope = (
        "every alert of the project"
        if plan.prefix is None
        else f"alerts named {code(plan.prefix + '…')} ({plan.out_of_scope} others left alone)"
    )
    summary = (
        f"{plan.count('create')} to create, {plan.count('update')} to update, "
        f"{plan.count('delete')} to delete"
    )
    lines = [
        f"### {title}: {'no changes' if plan.empty else summary}",
        "",
        f"Project {code(target.project)} on {code(target.host)} · scope: {scope} · "
        f"{plan.in_scope} live alert(s) in scope",
        "",
    ]
    if not plan.empty:
        lines += [f"Plan id `{plan_id(plan, target)}`", ""]
    if not plan.empty:
        lines += [
            "| create | update | delete |",
            "|---:|---:|---:|",
            f"| {plan.count('create')} | {plan.count('update')} | {plan.count('delete')} |",
            "",
        ]
        routes = [plan.count_destinations(a) for a in ("create", "update", "delete")]
        if any(routes):
            lines += [
                f"Destinations (Slack, webhooks, Discord, Teams): {routes[0]} to add · "
                f"{routes[1]} to change · {routes[2]} to remove",
                "",
            ]
        lines += list(_risk_summary(plan))
        lines += [*(f"⚠️ {note}" for note in plan_notes(plan)), ""] if plan_notes(plan) else []
    return "\n".join(lines) + "\n"


def _risk_summary(plan: Plan) -> Iterator[str]:
    tally: dict[str, int] = {}
    for change in plan.changes:
        for risk in risks(change):
            tally[risk] = tally.get(risk, 0) + 1
    if tally:
        parts = [f"{BADGES[r]} ×{n}" for r, n in tally.items()]
        yield "**Look twice:** " + " · ".join(parts)
        yield ""


def _section(change: Change, labels: Labels, target: Target) -> str:
    badges = " ".join(f"`{BADGES[r]}`" for r in risks(change))
    title = f"#### {ICONS[change.action]} {change.action.capitalize()} {code(change.name)} {badges}"
    lines = [title.rstrip(), ""]
    lines.append(_where(change, labels, target))
    lines.append("")
    lines += [_item(sentence) for sentence in _sentences(change, labels)]
    lines += ["", *_details(change, labels), ""]
    return "\n".join(lines) + "\n"


def _sentences(change: Change, labels: Labels) -> Iterator[str]:
    if change.action == "create" and change.after:
        yield from words.describe(change.after, labels)
    elif change.action == "delete" and change.before:
        yield "**Deleted**: it will no longer fire or notify anyone. It did this:"
        yield from ("  - " + s for s in words.describe(change.before, labels))
    elif change.before and change.after:
        if change.before.get("insight") != change.after.get("insight"):
            old = _insight_name(change.before.get("insight"), labels)
            new = _insight_name(change.after.get("insight"), labels)
            yield f"**Moves** from insight {old} to {new}."
        yield from words.changes(change.before, change.after, labels)
        yield from change.reset_notes
    for route in change.destinations:
        yield from dest_words.sentences(route, labels, code)
    yield from (f"⚠️ {note}" for note in refusal_notes(change))


def _item(sentence: str) -> str:
    """A sentence as a list item; one already marked as a sub-item stays one."""
    return sentence if sentence.startswith("  - ") else f"- {sentence}"


def _where(change: Change, labels: Labels, target: Target) -> str:
    spec = change.after or change.before or {}
    insight_id = spec.get("insight")
    label = labels.insights.get(insight_id) if isinstance(insight_id, int) else None
    base = f"{target.host}/project/{url_part(target.project)}"
    if label is None or not label.short_id:
        return f"On insight {code(f'#{insight_id}')}."
    short = url_part(label.short_id)
    insight = f"[{text(label.name or label.short_id)}]({base}/insights/{short})"
    alert = ""
    if change.alert_id:
        url = f"{base}/insights/{short}/alerts?alert_id={url_part(change.alert_id)}"
        alert = f" · [the alert in PostHog]({url})"
    return f"On insight {insight} ({code(label.short_id)}){alert}."


def _insight_name(value: Any, labels: Labels) -> str:
    return code(field_value("insight", value, labels))


def _details(change: Change, labels: Labels) -> list[str]:
    rows = ["| field | before | after |", "|---|---|---|"]
    if change.action == "update" and not change.details:
        return []
    if change.action == "update":
        for d in change.details:
            rows.append(
                f"| {code(d.path, table=True)} | {_cell(d.path, d.old, labels)} "
                f"| {_cell(d.path, d.new, labels)} |"
            )
    else:
        spec = change.after if change.action == "create" else change.before
        for path, value in _all_leaves(spec or {}):
            shown = _cell(path, value, labels)
            before, after = ("", shown) if change.action == "create" else (shown, "")
            rows.append(f"| {code(path, table=True)} | {before} | {after} |")
    return ["<details><summary>Field changes</summary>", "", *rows, "", "</details>"]


def _all_leaves(spec: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for field in shown_fields(spec):
        yield from leaves(field, spec.get(field))


def _cell(path: str, value: Any, labels: Labels) -> str:
    return code(field_value(path, value, labels), table=True)


@dataclass
class _Budget:
    """Characters left, with room held back so that every delete can at least be named."""

    left: int
    reserved: int

    def take(self, text: str) -> bool:
        if len(text) > self.left - self.reserved:
            return False
        self.left -= len(text)
        return True


def _line(change: Change) -> str:
    badges = ", ".join(BADGES[r] for r in risks(change))
    tail = f" — {badges}" if badges else ""
    return f"- {ICONS[change.action]} {change.action} {code(change.name)}{tail}\n"


def _fit(head: str, plan: Plan, target: Target, limit: int) -> str:
    """Too long in full: every risky change named (deletes first), in full while room
    remains; the other changes as lines while they fit; then say what is missing."""
    risky = sorted(
        (c for c in plan.changes if risks(c)), key=lambda c: (ACTION_RANK[c.action], c.name)
    )
    calm = [c for c in plan.changes if not risks(c)]
    budget = _Budget(limit - len(head) - 600, 0)
    # Name every risky change if that fits, else at least every delete; details come after.
    named = (
        risky
        if sum(len(_line(c)) for c in risky) <= budget.left
        else [c for c in risky if c.action == "delete"]
    )
    held = {id(c) for c in named}
    budget.reserved = sum(len(_line(c)) for c in named)
    sections, summarised, missing_risky = [], [], 0
    for change in risky:
        if id(change) in held:
            budget.reserved -= len(_line(change))
        if budget.take(_section(change, plan.labels, target)):
            sections.append(_section(change, plan.labels, target))
        elif budget.take(_line(change)):
            summarised.append(_line(change))
        else:
            missing_risky += 1
    others = [_line(c) for c in calm if budget.take(_line(c))]
    body = "".join(sections)
    if summarised:
        body += "\n#### More risky changes (details left out)\n\n" + "".join(summarised)
    if others:
        body += "\n#### Other changes (no risk flagged)\n\n" + "".join(others)
    return head + body + _note(len(summarised), missing_risky, len(calm) - len(others))


def _note(summarised: int, missing_risky: int, missing_calm: int) -> str:
    parts = []
    if summarised:
        parts.append(f"the details of {summarised} risky change(s)")
    if missing_risky:
        parts.append(f"{missing_risky} risky change(s)")
    if missing_calm:
        parts.append(f"{missing_calm} change(s) with no risk flagged")
    if not parts:
        return ""
    return (
        "\n_Left out to stay under GitHub's comment limit: "
        + ", ".join(parts)
        + ". The text plan and the plan file (`--out`) list every change in full._\n"
    )
