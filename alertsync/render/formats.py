"""The registries of formats: by the name given to `--format`, how a plan, an apply report
and a status report are rendered. A new format is one more renderer registered here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alertsync.core.status_report import StatusReport
from alertsync.model import Guards, Labels, Plan, Provenance, Result, Target
from alertsync.render import report
from alertsync.render.json import render_json
from alertsync.render.markdown import render_markdown
from alertsync.render.status_json import render_status_json
from alertsync.render.status_markdown import render_status_markdown
from alertsync.render.status_text import render_status_text
from alertsync.render.text import Style, plain, render_plan


@dataclass(frozen=True)
class Format:
    """How one `--format` renders a plan (with the approvals it carries and where it was
    made, when known) and an apply report."""

    plan: Callable[[Plan, Target, Guards, Style, Provenance | None], str]
    report: Callable[[list[Result], Target, str, Labels], str]  # results, target, plan id
    streams_results: bool = False  # each result is also printed as soon as it is known


FORMATS: dict[str, Format] = {
    "text": Format(
        lambda plan, target, guards, style, made: render_plan(plan, style, target),
        report.render_text_report,
        streams_results=True,
    ),
    "json": Format(
        lambda plan, target, guards, style, made: render_json(
            plan, target, guards, provenance=made
        ),
        report.render_json_report,
    ),
    "markdown": Format(
        lambda plan, target, guards, style, made: render_markdown(
            plan, target, guards=guards, provenance=made
        ),
        report.render_markdown_report,
    ),
}

STATUS_FORMATS: dict[str, Callable[[StatusReport, Style], str]] = {
    "text": render_status_text,
    "json": lambda status, style: render_status_json(status),
    "markdown": lambda status, style: render_status_markdown(status),
}

__all__ = ["FORMATS", "STATUS_FORMATS", "Format", "Style", "plain"]
