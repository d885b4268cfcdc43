"""The Terraform-style text plan: every delete first, by name; then creates and updates."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from alertsync.core.canonical import shown_fields
from alertsync.core.planid import plan_id
from alertsync.core.risks import plan_notes, refusal_notes
from alertsync.model import ACTION_ORDER, Canonical, Change, Labels, Plan, Target
from alertsync.render import dest_words
from alertsync.render.values import field_value, leaves

Style = Callable[[str, str], str]  # (text, role) -> text; roles: create update delete warn muted


def plain(text: str, role: str) -> str:
    return text


SYMBOLS = {"create": "+", "update": "~", "delete": "-"}


def render_plan(plan: Plan, style: Style = plain, target: Target | None = None) -> str:
    """The plan; with its target, also the plan's id (what `apply --expect-id` takes)."""
    lines = [_scope_line(plan), ""]
    if plan.empty:
        lines.append("No changes. The live alerts match the files.")
        return "\n".join(lines) + "\n"
    lines.append("alertsync will perform the following actions:")
    lines.append("")
    for change in display_order(plan):
        lines.extend(change_lines(change, plan.labels, style, plan.copy_of))
        lines.append("")
    lines.extend(style(f"! {note}", "warn") for note in plan_notes(plan))
    lines.append(summary_line(plan))
    if target is not None:
        lines.append(f"Plan id: {plan_id(plan, target)}")
    return "\n".join(lines) + "\n"


def display_order(plan: Plan) -> list[Change]:
    """Deletes first, by name, so a reviewer sees what goes before anything else; then
    creates and updates. (Apply order stays creates, updates, deletes.)"""
    return sorted(
        plan.changes, key=lambda c: (c.action != "delete", ACTION_ORDER[c.action], c.name)
    )


def summary_line(plan: Plan) -> str:
    line = (
        f"Plan: {plan.count('create')} to create, {plan.count('update')} to update, "
        f"{plan.count('delete')} to delete"
    )
    return line + destinations_summary(plan) + "."


def destinations_summary(plan: Plan) -> str:
    """`; destinations: 2 to add, 1 to change, 1 to remove`, when any is sent."""
    counts = [plan.count_destinations(a) for a in ("create", "update", "delete")]
    if not any(counts):
        return ""
    return f"; destinations: {counts[0]} to add, {counts[1]} to change, {counts[2]} to remove"


def _scope_line(plan: Plan) -> str:
    owned = f"Live alerts in scope: {plan.in_scope}"
    if plan.prefix is None:
        return f"{owned} (scope: every alert of the project)."
    return (
        f"{owned} (scope: names starting with {plan.prefix!r}; "
        f"{plan.out_of_scope} other live alert(s) left alone)."
    )


def change_header(change: Change, copy_of: dict[str, str] | None = None) -> str:
    ident = f" (id {change.alert_id})" if change.alert_id else ""
    kept = (copy_of or {}).get(change.alert_id or "")
    if kept:
        ident = f" (id {change.alert_id}: a newer identical copy of id {kept}, which stays)"
    return f"{SYMBOLS[change.action]} {change.action} {change.name!r}{ident}"


def change_lines(
    change: Change, labels: Labels, style: Style, copy_of: dict[str, str] | None = None
) -> Iterator[str]:
    yield "  " + style(change_header(change, copy_of), change.action)
    if change.action == "update":
        yield from _update_lines(change, labels, style)
    else:
        spec = change.after if change.action == "create" else change.before
        yield from _spec_lines(spec or {}, labels)
    for route in change.destinations:
        role = "delete" if route.action == "delete" else route.action
        yield "      " + style(dest_words.headline(route, labels), role)
        mark = "+" if route.action == "create" else "~"
        for line in dest_words.detail_lines(route, labels):
            yield "          " + style(f"{mark} {line}", route.action)
    for note in refusal_notes(change):
        yield "      " + style(f"! {note}", "warn")


def _spec_lines(spec: Canonical, labels: Labels) -> Iterator[str]:
    rows = [
        (path, field_value(path, value, labels))
        for field in shown_fields(spec)
        for path, value in leaves(field, spec.get(field))
    ]
    width = max((len(path) for path, _ in rows), default=0)
    for path, shown in rows:
        yield f"      {path.ljust(width)} = {shown}"


def _update_lines(change: Change, labels: Labels, style: Style) -> Iterator[str]:
    for detail in change.details:
        old = field_value(detail.path, detail.old, labels)
        new = field_value(detail.path, detail.new, labels)
        yield "      " + style(f"~ {detail.path}: {old} -> {new}", "update")
    for note in change.reset_notes:
        yield "      " + style(f"! {note}", "warn")
