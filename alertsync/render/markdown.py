"""The plan as markdown for a pull-request comment, within GitHub's 65,536-character limit.

Written for a reviewer who has never opened PostHog: a summary table, one section per change
in plain words with links to the insight and the alert, badges on risky changes, and
field-level detail folded into <details>. When the full text would be too long, it keeps the
summary and every risky change (every delete at least by name) and says what it left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.canonical import MANAGED_FIELDS
from alertsync.live import Labels
from alertsync.plan import Change, Plan
from alertsync.planfile import Target, risks
from alertsync.render import words
from alertsync.render.values import field_value, leaves

LIMIT = 65_000
BADGES = {
    "delete": "🗑️ deletes an alert",
    "disable": "⏸️ disables",
    "recipients_removed": "🔕 recipients removed",
    "threshold_loosened": "📉 threshold loosened",
    "firing_state_reset": "🔄 firing state reset",
    "insight_changed": "🔀 moves to another insight",
}
ICONS = {"create": "➕", "update": "✏️", "delete": "🗑️"}


def render_markdown(plan: Plan, target: Target, limit: int = LIMIT) -> str:
    head = _header(plan, target)
    if plan.empty:
        return head + "\n**No changes.** The live alerts match the files.\n"
    risky = [c for c in plan.changes if risks(c)]
    calm = [c for c in plan.changes if not risks(c)]
    attempts = [
        (list(plan.changes), [], ""),
        (risky, calm, "lines"),
        (risky, calm, "omit"),
    ]
    for full, rest, mode in attempts:
        text = head + _sections(full, plan, target) + _rest(rest, mode)
        if len(text) <= limit:
            return text
    return _compact(head, risky, calm, limit)


def _header(plan: Plan, target: Target) -> str:
    scope = (
        "every alert of the project"
        if plan.prefix is None
        else f"alerts named `{plan.prefix}…` ({plan.out_of_scope} others left alone)"
    )
    summary = (
        f"{plan.count('create')} to create, {plan.count('update')} to update, "
        f"{plan.count('delete')} to delete"
    )
    lines = [
        f"### alertsync plan: {'no changes' if plan.empty else summary}",
        "",
        f"Project `{target.project}` on {target.host} · scope: {scope} · "
        f"{plan.in_scope} live alert(s) in scope",
        "",
    ]
    if not plan.empty:
        lines += [
            "| create | update | delete |",
            "|---:|---:|---:|",
            f"| {plan.count('create')} | {plan.count('update')} | {plan.count('delete')} |",
            "",
        ]
        lines += list(_risk_summary(plan))
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


def _sections(changes: list[Change], plan: Plan, target: Target) -> str:
    return "".join(_section(c, plan.labels, target) for c in changes)


def _section(change: Change, labels: Labels, target: Target) -> str:
    badges = " ".join(f"`{BADGES[r]}`" for r in risks(change))
    title = f"#### {ICONS[change.action]} {change.action.capitalize()} `{change.name}` {badges}"
    lines = [title.rstrip(), ""]
    lines.append(_where(change, labels, target))
    lines.append("")
    lines += [f"- {sentence}" for sentence in _sentences(change, labels)]
    lines += ["", *_details(change, labels), ""]
    return "\n".join(lines) + "\n"


def _sentences(change: Change, labels: Labels) -> Iterator[str]:
    if change.action == "create" and change.after:
        yield from words.describe(change.after, labels)
    elif change.action == "delete" and change.before:
        yield "**Deleted**: it will no longer fire or notify anyone. It did this:"
        yield from ("  " + s for s in words.describe(change.before, labels))
    elif change.before and change.after:
        if change.before.get("insight") != change.after.get("insight"):
            old = _insight_name(change.before.get("insight"), labels)
            new = _insight_name(change.after.get("insight"), labels)
            yield f"**Moves** from insight {old} to {new}."
        yield from words.changes(change.before, change.after, labels)
        yield from change.reset_notes


def _where(change: Change, labels: Labels, target: Target) -> str:
    spec = change.after or change.before or {}
    insight_id = spec.get("insight")
    label = labels.insights.get(insight_id) if isinstance(insight_id, int) else None
    base = f"{target.host}/project/{target.project}"
    if label is None or not label.short_id:
        return f"On insight #{insight_id}."
    insight = f"[{label.name or label.short_id}]({base}/insights/{label.short_id})"
    alert = ""
    if change.alert_id:
        url = f"{base}/insights/{label.short_id}/alerts?alert_id={change.alert_id}"
        alert = f" · [the alert in PostHog]({url})"
    return f"On insight {insight} (`{label.short_id}`){alert}."


def _insight_name(value: Any, labels: Labels) -> str:
    return f"`{field_value('insight', value, labels)}`"


def _details(change: Change, labels: Labels) -> list[str]:
    rows = ["| field | before | after |", "|---|---|---|"]
    if change.action == "update":
        for d in change.details:
            rows.append(
                f"| `{d.path}` | {_cell(d.path, d.old, labels)} | {_cell(d.path, d.new, labels)} |"
            )
    else:
        spec = change.after if change.action == "create" else change.before
        for path, value in _all_leaves(spec or {}):
            shown = _cell(path, value, labels)
            before, after = ("", shown) if change.action == "create" else (shown, "")
            rows.append(f"| `{path}` | {before} | {after} |")
    return ["<details><summary>Field changes</summary>", "", *rows, "", "</details>"]


def _all_leaves(spec: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for field in MANAGED_FIELDS:
        yield from leaves(field, spec.get(field))


def _cell(path: str, value: Any, labels: Labels) -> str:
    text = field_value(path.split(".")[0] if "." not in path else path, value, labels)
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _rest(rest: list[Change], mode: str) -> str:
    if not rest:
        return ""
    if mode == "lines":
        lines = [
            "#### Other changes (no risk flagged)",
            "",
            *[f"- {ICONS[c.action]} {c.action} `{c.name}`" for c in rest],
        ]
        return "\n".join(lines) + "\n"
    return (
        f"\n_{len(rest)} change(s) with no risk flagged are left out to stay under GitHub's "
        "comment limit; the text plan and the plan file list them all._\n"
    )


def _compact(head: str, risky: list[Change], calm: list[Change], limit: int) -> str:
    """Last resort: one line per risky change, deletes first, until the limit."""
    ordered = sorted(risky, key=lambda c: (c.action != "delete", c.name))
    lines = ["#### Risky changes (details left out: too many for one comment)", ""]
    footer_room = 400
    used = len(head) + sum(len(line) + 1 for line in lines) + footer_room
    shown = 0
    for change in ordered:
        badges = ", ".join(BADGES[r] for r in risks(change))
        line = f"- {ICONS[change.action]} {change.action} `{change.name}` — {badges}"
        if used + len(line) + 1 > limit:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    left = len(ordered) - shown
    note = "\n_Left out to stay under GitHub's comment limit: "
    note += f"{len(calm)} change(s) with no risk flagged"
    note += f" and {left} risky change(s)" if left else ""
    note += ". The text plan and the plan file list them all._\n"
    return head + "\n".join(lines) + "\n" + note
