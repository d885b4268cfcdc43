"""The badges of the markdown plan, and which changes a comment too short for every change
must still name first."""

from __future__ import annotations

from alertsync.core.risks import risks
from alertsync.model import Change

BADGES = {
    "delete": "🗑️ deletes an alert",
    "disable": "⏸️ disables",
    "recipients_removed": "🔕 recipients removed",
    "threshold_loosened": "📉 threshold loosened",
    "firing_state_reset": "🔄 firing state reset",
    "insight_changed": "🔀 moves to another insight",
    "may_be_refused": "⚠️ may be refused",
    "destination_removed": "📭 destination removed",
}
ICONS = {"create": "➕", "update": "✏️", "delete": "🗑️"}
# Badges that inform (a side effect PostHog attaches, a refusal it may make) rather than
# warn that an alert may stay silent when it should not.
NOTICES = ("firing_state_reset", "may_be_refused")
DELETE, RISKY, NOTICED, CALM = range(4)


def emoji(risk: str) -> str:
    return BADGES[risk].split(" ", 1)[0]


def priority(change: Change) -> int:
    """DELETE, RISKY (a badge that warns), NOTICED (only badges that inform), or CALM: the
    order in which a comment that cannot hold every change names them."""
    if change.action == "delete":
        return DELETE
    found = risks(change)
    if any(r not in NOTICES for r in found):
        return RISKY
    return NOTICED if found else CALM
