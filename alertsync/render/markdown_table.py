"""The table that opens the markdown plan: one short row per change (what is done, to which
alert, what changes in a few words, the badges as emoji), so that a reviewer sees every
change at a glance and a comment of hundreds of changes still names each one. When even the
table cannot fit, `names` lists deletes and risky changes by name only."""

from __future__ import annotations

from collections.abc import Iterable

from alertsync.core.risks import risks
from alertsync.model import Change
from alertsync.render.badges import ICONS, emoji
from alertsync.render.md import code

HEAD = "| | alert | what changes | look twice |\n|:-:|---|---|---|\n"
# A field's words in the table, by the longest prefix of a changed path.
FIELD_WORDS = {
    "insight": "insight",
    "subscribed_users": "recipients",
    "threshold.name": "threshold name",
    "threshold": "threshold",
    "condition": "condition",
    "config.series_index": "series",
    "config.funnel_step": "funnel step",
    "config.check_ongoing_interval": "ongoing interval",
    "config": "config",
    "detector_config": "detector",
    "calculation_interval": "interval",
    "skip_weekend": "weekends",
    "schedule_restriction": "quiet hours",
    "investigation": "AI investigation",
}


def row(change: Change, copy_of: dict[str, str]) -> str:
    badges = "".join(emoji(r) for r in risks(change) if r != "delete")
    name = code(change.name, table=True)
    last = f" {badges} " if badges else " "
    return f"| {ICONS[change.action]} | {name} | {what(change, copy_of)} |{last}|\n"


def what(change: Change, copy_of: dict[str, str]) -> str:
    """'threshold, interval; destinations +2 −1', 'new', 'deleted': a few words."""
    if change.action == "delete":
        copy = " (a newer identical copy)" if (change.alert_id or "") in copy_of else ""
        return f"deleted{copy}"
    if change.action == "create":
        off = ", disabled" if (change.after or {}).get("enabled") is False else ""
        parts = [f"new{off}"]
    else:
        parts = [", ".join(dict.fromkeys(_field_word(d.path, d.new) for d in change.details))]
    routes = destinations(change)
    return "; ".join(p for p in [*parts, routes] if p)


def _field_word(path: str, new: object) -> str:
    if path == "enabled":
        return "disabled" if new is False else "enabled"
    for prefix, word in FIELD_WORDS.items():
        if path == prefix or path.startswith((prefix + ".", prefix + "_")):
            return word
    return path.split(".", 1)[0]


def destinations(change: Change) -> str:
    """'destinations +2 ~1 −1': the destination changes that are sent."""
    sent = [d for d in change.destinations if not d.cascade]
    counts = [(mark, sum(1 for d in sent if d.action == a)) for mark, a in MARKS]
    shown = " ".join(f"{mark}{n}" for mark, n in counts if n)
    return f"destinations {shown}" if shown else ""


MARKS = (("+", "create"), ("~", "update"), ("−", "delete"))


def table(rows: Iterable[str]) -> str:
    body = "".join(rows)
    return f"{HEAD}{body}\n" if body else ""


def name_item(change: Change) -> str:
    """A change by name only, with its badges as emoji: `` `Signups` 📉🔄 ``."""
    badges = "".join(emoji(r) for r in risks(change) if r != "delete")
    return code(change.name) + (f" {badges}" if badges else "")


SEPARATOR = " · "


def names(title: str, changes: Iterable[Change]) -> str:
    """'**Deleted (3):** `a` · `b` · `c`': names only, with the badges as emoji."""
    items = [name_item(c) for c in changes]
    return f"**{title} ({len(items)}):** " + SEPARATOR.join(items) + "\n\n" if items else ""
