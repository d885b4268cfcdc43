"""A plan of several environments (`plan --all-envs`): one section per environment, and a
summary across them, as text, markdown (one pull-request comment) or JSON (the document
`plan --out` saves, each environment's part a plan document of its own).

Pure: values in, strings out. An environment that failed to plan is shown with its error
and its problems; it hides no other environment's plan.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from alertsync import __version__
from alertsync.core.planid import environments_digest, plan_digest, plan_id, short_id
from alertsync.model import (
    ACTIONS,
    EnvironmentPlan,
    EnvironmentReport,
    Guards,
    Plan,
    Problem,
    Provenance,
    Result,
    Target,
)
from alertsync.render.json import FORMAT_VERSION, dumps, plan_document
from alertsync.render.markdown import LIMIT, render_markdown
from alertsync.render.markdown_header import made_from
from alertsync.render.md import code, text
from alertsync.render.report import (
    render_json_report,
    render_markdown_report,
    render_summary,
    render_text_report,
)
from alertsync.render.text import Style, plain, render_plan

KIND = "environments"


def combined_digest(sections: Sequence[EnvironmentPlan]) -> str | None:
    """The id of the whole plan: every environment's plan; None when one failed."""
    if any(s.plan is None for s in sections):
        return None
    return environments_digest(
        {s.name: plan_digest(s.plan, s.target) for s in sections if s.plan is not None}
    )


def combined_id(sections: Sequence[EnvironmentPlan]) -> str | None:
    digest = combined_digest(sections)
    return short_id(digest) if digest else None


def totals(sections: Sequence[EnvironmentPlan]) -> dict[str, int]:
    planned = [s.plan for s in sections if s.plan is not None]
    counts: dict[str, int] = {a: sum(p.count(a) for p in planned) for a in ACTIONS}
    return {
        "environments": len(sections),
        "with_changes": sum(1 for p in planned if not p.empty),
        "failed": sum(1 for s in sections if s.failed),
        **counts,
    }


def _counts(plan: Plan) -> str:
    return (
        f"{plan.count('create')} to create, {plan.count('update')} to update, "
        f"{plan.count('delete')} to delete"
    )


def _headline(sections: Sequence[EnvironmentPlan]) -> str:
    tally = totals(sections)
    parts = [f"{tally['environments']} environment(s)", f"{tally['with_changes']} with changes"]
    if tally["failed"]:
        parts.append(f"{tally['failed']} failed")
    return ", ".join(parts)


# -- text ---------------------------------------------------------------------------------


def render_text(sections: Sequence[EnvironmentPlan], style: Style = plain) -> str:
    out: list[str] = []
    for section in sections:
        where = f"project {section.target.project} at {section.target.host}"
        out.append(style(f"=== Environment {section.name}: {where} ===", "muted"))
        out.append("")
        if section.plan is not None:
            out.append(render_plan(section.plan, style, section.target).rstrip("\n"))
        else:
            out.append(style(f"Error: {section.error}", "warn"))
            out.extend(f"  {problem}" for problem in section.problems)
        out.append("")
    width = max(len(s.name) for s in sections) if sections else 0
    out.append(f"Summary: {_headline(sections)}.")
    for section in sections:
        shown = "failed" if section.plan is None else _counts(section.plan)
        out.append(f"  {section.name.ljust(width)}  {shown}")
    whole = combined_id(sections)
    if whole is not None:
        out.append(f"Plan id (all environments): {whole}")
    return "\n".join(out) + "\n"


# -- markdown -----------------------------------------------------------------------------


def render_markdown_plan(
    sections: Sequence[EnvironmentPlan],
    guards: Guards | None = None,
    provenance: Provenance | None = None,
    limit: int = LIMIT,
) -> str:
    """The comment of a plan of several environments: a table of them, where the plan was
    made, then each environment's plan (with the approvals it carries) in its share of the
    size GitHub allows."""
    head = _markdown_head(sections, provenance)
    share = max(2_000, (limit - len(head)) // max(1, len(sections)) - 200)
    body = "".join(_markdown_section(s, share, guards or Guards()) for s in sections)
    return head + body


def _markdown_head(sections: Sequence[EnvironmentPlan], provenance: Provenance | None) -> str:
    lines = [
        f"## alertsync plan: {_headline(sections)}",
        "",
        "| environment | project | create | update | delete | plan id |",
        "|---|---|---:|---:|---:|---|",
    ]
    for s in sections:
        where = f"{code(s.target.project, table=True)} on {code(s.target.host, table=True)}"
        name = code(s.name, table=True)
        if s.plan is None:
            lines.append(f"| {name} | {where} | | | | ❌ failed |")
            continue
        counts = " | ".join(str(s.plan.count(a)) for a in ACTIONS)
        ident = "no changes" if s.plan.empty else code(plan_id(s.plan, s.target), table=True)
        lines.append(f"| {name} | {where} | {counts} | {ident} |")
    lines.append("")
    whole = combined_id(sections)
    if whole is not None:
        lines += [f"Plan id (all environments) {code(whole)}", ""]
    made = made_from(provenance)
    lines += [made, ""] if made else []
    return "\n".join(lines) + "\n"


def _markdown_section(section: EnvironmentPlan, limit: int, guards: Guards) -> str:
    title = f"Environment {code(section.name)}"
    if section.plan is not None:
        shown = render_markdown(section.plan, section.target, limit, title, guards=guards)
        return "\n" + shown
    lines = [f"### {title}: ❌ failed", "", text(section.error), ""]
    lines += [f"- {code(str(problem))}" for problem in section.problems]
    return "\n" + "\n".join(lines).rstrip("\n") + "\n"


# -- json ---------------------------------------------------------------------------------


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "col": problem.col,
        "path": problem.path,
        "message": problem.message,
    }


def plans_document(
    sections: Sequence[EnvironmentPlan], guards: Guards, provenance: Provenance | None = None
) -> dict[str, Any]:
    """The plan of several environments: each environment's plan document (each saying
    where it was made), the ones that failed with their error, the totals, and the id of
    the whole (null when one failed)."""
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "generator": f"alertsync {__version__}",
        "id": combined_digest(sections),
        "summary": totals(sections),
        "environments": {
            s.name: plan_document(s.plan, s.target, guards, s.name, provenance=provenance)
            for s in sections
            if s.plan is not None
        },
        "failed": {
            s.name: {
                "target": {"host": s.target.host, "project": s.target.project},
                "error": s.error,
                "problems": [_problem(p) for p in s.problems],
            }
            for s in sections
            if s.plan is None
        },
    }


def render_json_plans(
    sections: Sequence[EnvironmentPlan], guards: Guards, provenance: Provenance | None = None
) -> str:
    return dumps(plans_document(sections, guards, provenance))


# -- the registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlansFormat:
    """How one `--format` renders a plan of several environments (with the approvals it
    carries and where it was made, when known)."""

    plan: Callable[[Sequence[EnvironmentPlan], Guards, Style, Provenance | None], str]


PLANS_FORMATS: dict[str, PlansFormat] = {
    "text": PlansFormat(lambda sections, guards, style, made: render_text(sections, style)),
    "json": PlansFormat(
        lambda sections, guards, style, made: render_json_plans(sections, guards, made)
    ),
    "markdown": PlansFormat(
        lambda sections, guards, style, made: render_markdown_plan(sections, guards, made)
    ),
}


def failures(sections: Sequence[EnvironmentPlan]) -> Iterator[EnvironmentPlan]:
    return (s for s in sections if s.failed)


def render_environment(
    fmt: str,
    name: str,
    plan: Plan,
    target: Target,
    guards: Guards,
    style: Style = plain,
    provenance: Provenance | None = None,
) -> str:
    """The plan of one environment (`plan --env NAME`): the plan of one target, saying
    which environment it is."""
    if fmt == "json":
        return dumps(plan_document(plan, target, guards, name, provenance=provenance))
    if fmt == "markdown":
        title = f"alertsync plan for {code(name)}"
        return render_markdown(plan, target, title=title, guards=guards, provenance=provenance)
    where = f"project {target.project} at {target.host}"
    return style(f"Environment {name}: {where}.", "muted") + "\n" + render_plan(plan, style, target)


# -- apply reports ------------------------------------------------------------------------


def render_environment_header(name: str, target: Target, style: Style = plain) -> str:
    where = f"project {target.project} at {target.host}"
    return style(f"=== Environment {name}: {where} ===", "muted")


def render_reports(fmt: str, reports: Sequence[EnvironmentReport]) -> str:
    """The report of applying a saved plan of environments: one environment's is the
    report of one target; several get a part each."""
    if len(reports) == 1 and not reports[0].error:
        (only,) = reports
        return _REPORTS[fmt](list(only.results), only.target, only.plan_id)
    if fmt == "json":
        return _json_reports(reports)
    if fmt == "markdown":
        return _markdown_reports(reports)
    lines = ["", f"Summary of {len(reports)} environment(s):"]
    for r in reports:
        shown = f"Error: {r.error}" if r.error else f"{render_summary(list(r.results))}"
        ident = f" Plan id: {r.plan_id}" if r.plan_id and not r.error else ""
        lines.append(f"  {r.name}: {shown}{ident}")
    return "\n".join(lines) + "\n"


def _json_reports(reports: Sequence[EnvironmentReport]) -> str:
    document = {
        "format_version": 1,
        "kind": KIND,
        "environments": {
            r.name: json.loads(render_json_report(list(r.results), r.target, r.plan_id))
            for r in reports
            if not r.error
        },
        "failed": {r.name: r.error for r in reports if r.error},
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _markdown_reports(reports: Sequence[EnvironmentReport]) -> str:
    failed = sum(1 for r in reports if r.error)
    tail = f", {failed} failed" if failed else ""
    parts = [f"## alertsync apply: {len(reports)} environment(s){tail}\n"]
    for r in reports:
        parts.append(f"\n## Environment {code(r.name)}\n\n")
        if r.error:
            parts.append(f"❌ {text(r.error)}\n")
        else:
            parts.append(render_markdown_report(list(r.results), r.target, r.plan_id))
    return "".join(parts)


_REPORTS: dict[str, Callable[[list[Result], Target, str], str]] = {
    "text": render_text_report,
    "json": render_json_report,
    "markdown": render_markdown_report,
}
