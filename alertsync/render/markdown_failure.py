"""A plan that could not be made, as markdown for the pull-request comment: the reviewer sees
why (every problem at its file:line:col, or the error) instead of a missing comment. Headed
like a plan, so a CI helper that looks for `### alertsync plan` finds it."""

from __future__ import annotations

from collections.abc import Sequence

from alertsync.model import Problem, Provenance
from alertsync.render.markdown import LIMIT, NOTE_ROOM, size
from alertsync.render.markdown_header import TITLE, made_from
from alertsync.render.md import block, code, text


def render_plan_failure(
    message: str,
    problems: Sequence[Problem] = (),
    provenance: Provenance | None = None,
    limit: int = LIMIT,
) -> str:
    """`message`: the error as `Error: …` prints it; `problems`: the files' problems, when
    that is what stopped the plan."""
    lines = [
        f"{TITLE} failed",
        "",
        "alertsync could not make a plan, so there is nothing to review or apply from this run.",
        "",
    ]
    made = made_from(provenance)
    lines += [made, ""] if made else []
    head = "\n".join(lines) + "\n"
    room = limit - size(head) - NOTE_ROOM
    if not problems:
        return head + block(_clipped(message, room)) + "\n"
    files = len({p.file for p in problems})
    body = f"**{len(problems)} problem(s) in {files} file(s)**; nothing was changed in PostHog:\n\n"
    shown = 0
    for problem in problems:
        item = _item(problem)
        if size(body + item) > room:
            break
        body += item
        shown += 1
    if shown < len(problems):
        body += (
            f"\n_And {len(problems) - shown} more problem(s), left out to stay under GitHub's "
            "comment limit: the job's log lists every one._\n"
        )
    return head + body


def _item(problem: Problem) -> str:
    where = code(f"{problem.file}:{problem.line}:{problem.col}")
    path = f" {code(problem.path)}" if problem.path else ""
    return f"- {where}{path}: {text(problem.message)}\n"


def _clipped(message: str, room: int) -> str:
    if size(message) <= room:
        return message
    return message[: max(0, room // 2 - 80)] + "… (cut to fit a comment: see the job's log)"
