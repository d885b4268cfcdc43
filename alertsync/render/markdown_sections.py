"""One section of the markdown plan per change: a heading with its badges, where the alert
is (links to the insight and to the alert in PostHog), what it does or what changes in plain
words, and its field changes folded into <details>."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from alertsync.core.canonical import shown_fields
from alertsync.core.risks import refusal_notes, risks
from alertsync.model import Change, Labels, Target
from alertsync.render import dest_words, words
from alertsync.render.badges import BADGES, ICONS
from alertsync.render.md import code, text, url_part
from alertsync.render.values import field_value, leaves


def section(change: Change, labels: Labels, target: Target) -> str:
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
