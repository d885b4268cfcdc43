"""Problems as GitHub workflow commands, so they show on the pull request's changed lines."""

from __future__ import annotations

from alertsync.model import Problem


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(problem: Problem) -> str:
    where = f"{problem.path}: " if problem.path else ""
    return (
        f"::error file={_escape_property(problem.file)},line={problem.line},"
        f"col={problem.col},title=alertsync validate::{_escape_data(where + problem.message)}"
    )
