"""The plan as markdown for a pull-request comment, within GitHub's 65,536-character limit.

Written for a reviewer who has never opened PostHog: the head (counts, id, approvals, the
commit and run it was made from, what to look at twice), one compact table of every change,
then one section per change in plain words with links to the insight and the alert, badges
on risky changes, and field-level detail folded into <details>.

When all of it would be too long, it keeps the head and names changes in this order, as
room allows: every delete, every change with a badge that warns, the changes with a badge
that only informs, the rest (see `badges.priority`). The table holds as many rows as fit in
that order; if even the deletes and risky changes do not fit as rows, they are listed by name
only. Sections follow in the same order while room remains. A closing note says what was
left out and where the whole plan is: the text plan (`plan.txt` among the CI run's
artifacts, or `alertsync show plan.json`).
"""

from __future__ import annotations

from dataclasses import dataclass

from alertsync.model import Change, Guards, Plan, Provenance, Target
from alertsync.render.badges import RISKY, priority
from alertsync.render.markdown_header import header
from alertsync.render.markdown_sections import section
from alertsync.render.markdown_table import HEAD, SEPARATOR, name_item, names, row, table
from alertsync.render.md import link
from alertsync.render.text import display_order

LIMIT = 65_000  # GitHub's is 65,536: room for the CI helper's hidden marker line
NOTE_ROOM = 800  # held back for the closing note
FRAME = f"{HEAD}\n"  # what the table takes besides its rows
GROUPS = ("Deleted", "Risky updates", "Other updates", "Created")  # names-only lists
LIST_FRAME = "".join(f"**{title} (10000):** \n\n" for title in GROUPS)  # the lists' titles


def size(markdown: str) -> int:
    """Characters as GitHub may count them: UTF-16 code units (an emoji can be two)."""
    return len(markdown.encode("utf-16-le")) // 2


def render_markdown(
    plan: Plan,
    target: Target,
    limit: int = LIMIT,
    title: str = "alertsync plan",
    *,
    guards: Guards | None = None,
    provenance: Provenance | None = None,
) -> str:
    """The comment; `title` (markdown, escaped by the caller) heads it."""
    head = header(plan, target, guards or Guards(), provenance, title)
    if plan.empty:
        return head + "\n**No changes.** The live alerts match the files.\n"
    order = display_order(plan)
    rows = [row(c, plan.copy_of) for c in order]
    sections = [section(c, plan.labels, target) for c in order]
    full = head + table(rows) + "".join(sections)
    if size(full) <= limit:
        return full
    return _fit(head, order, rows, sections, limit - size(head) - NOTE_ROOM, provenance)


@dataclass
class _Room:
    left: int

    def take(self, markdown: str) -> bool:
        if size(markdown) > self.left:
            return False
        self.left -= size(markdown)
        return True


def _fit(
    head: str,
    order: list[Change],
    rows: list[str],
    sections: list[str],
    budget: int,
    provenance: Provenance | None,
) -> str:
    ranked = sorted(range(len(order)), key=lambda i: (priority(order[i]), i))
    must = [i for i in ranked if priority(order[i]) <= RISKY]
    room = _Room(budget)
    if size(table(rows[i] for i in must)) <= room.left:
        room.take(FRAME)
        named = _while_room(room, ranked, rows)
        listing = table(rows[i] for i in sorted(named))
    else:  # even the deletes and risky changes cannot all be rows: by name only
        room.take(LIST_FRAME)
        named = _while_room(room, ranked, [name_item(c) + SEPARATOR for c in order])
        listing = "".join(
            names(title, [order[i] for i in sorted(named) if group(order[i]) == title])
            for title in GROUPS
        )
    shown = _while_room(room, ranked, sections)
    body = listing + "".join(sections[i] for i in sorted(shown))
    return head + body + _note(order, named, shown, provenance)


def group(change: Change) -> str:
    if change.action == "delete":
        return "Deleted"
    if change.action == "create":
        return "Created"
    return "Risky updates" if priority(change) == RISKY else "Other updates"


def _while_room(room: _Room, indexes: list[int], parts: list[str]) -> set[int]:
    """The parts, in the order of `indexes`, until the first that does not fit."""
    taken: set[int] = set()
    for i in indexes:
        if not room.take(parts[i]):
            break
        taken.add(i)
    return taken


def _note(
    order: list[Change], named: set[int], shown: set[int], provenance: Provenance | None
) -> str:
    unnamed = [c for i, c in enumerate(order) if i not in named]
    parts = []
    if len(shown) < len(order):
        parts.append(f"the details of {len(order) - len(shown)} change(s)")
    must = sum(1 for c in unnamed if priority(c) <= RISKY)
    if must:
        parts.append(f"the names of {must} delete(s) and risky change(s)")
    if len(unnamed) > must:
        parts.append(f"the names of {len(unnamed) - must} change(s) with no risk flagged")
    run = provenance.run_url if provenance is not None else None
    where = (
        f"`plan.txt` among the artifacts of {link('this run', run)}"
        if run
        else "`plan.txt` among the CI run's artifacts"
    )
    return (
        "\n_Left out to stay under GitHub's comment limit: "
        + ", ".join(parts)
        + f". The full text plan lists every change: {where}, or `alertsync show plan.json` "
        "from the plan file._\n"
    )
