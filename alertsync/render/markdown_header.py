"""The head of the markdown plan: what it would do where, its id, the approvals it carries,
the commit and the run it was made from, and what to look at twice."""

from __future__ import annotations

from collections.abc import Iterator

from alertsync.core.approvals import approvals
from alertsync.core.planid import plan_id
from alertsync.core.risks import plan_notes, risks
from alertsync.model import Guards, Plan, Provenance, Target
from alertsync.render.badges import BADGES
from alertsync.render.md import code, link, text

TITLE = "### alertsync plan"  # what the CI helpers look for at the start of a comment


def header(
    plan: Plan,
    target: Target,
    guards: Guards,
    provenance: Provenance | None,
    title: str = "alertsync plan",
) -> str:
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
        lines += [f"Plan id `{plan_id(plan, target)}` · {approval_words(plan, guards)}", ""]
    made = made_from(provenance)
    lines += [made, ""] if made else []
    if not plan.empty:
        routes = [plan.count_destinations(a) for a in ("create", "update", "delete")]
        if any(routes):
            lines += [
                f"Destinations (Slack, webhooks, Discord, Teams): {routes[0]} to add · "
                f"{routes[1]} to change · {routes[2]} to remove",
                "",
            ]
        lines += list(_risk_summary(plan))
        lines += [line for note in plan_notes(plan) for line in (f"⚠️ {note}", "")]
    return "\n".join(lines) + "\n"


def approval_words(plan: Plan, guards: Guards) -> str:
    """'approvals: `--allow-mass-delete` (needed: it deletes 12 alert(s), …)', or none."""
    given = approvals(plan, guards)
    if not given:
        return "approvals: none"
    parts = [
        f"`{a.flag}` ({f'needed: {a.needed}' if a.needed else 'given; this plan does not need it'})"
        for a in given
    ]
    return "approvals: " + " · ".join(parts)


def made_from(provenance: Provenance | None) -> str:
    """'Made from commit `0a1b…` (`refs/pull/7/merge`) by [a GitHub Actions run](…).'"""
    if provenance is None:
        return ""
    parts = []
    if provenance.commit:
        ref = f" ({code(provenance.ref)})" if provenance.ref else ""
        parts.append(f"from commit {code(provenance.commit)}{ref}")
    if provenance.run_url:
        ci = text(provenance.ci or "CI")
        parts.append(f"by {link(f'a {ci} run', provenance.run_url)}")
    return f"Made {' '.join(parts)}." if parts else ""


def _risk_summary(plan: Plan) -> Iterator[str]:
    tally: dict[str, int] = {}
    for change in plan.changes:
        for risk in risks(change):
            tally[risk] = tally.get(risk, 0) + 1
    if tally:
        parts = [f"{BADGES[r]} ×{n}" for r, n in tally.items()]
        yield "**Look twice:** " + " · ".join(parts)
        yield ""
