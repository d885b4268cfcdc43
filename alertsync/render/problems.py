"""The formats `alertsync validate` prints problems in, by `--format` name. Its own small
module: validating loads none of the plan renderers."""

from __future__ import annotations

from collections.abc import Callable

from alertsync.model import Problem
from alertsync.render.annotations import render_github

PROBLEM_FORMATS: dict[str, Callable[[Problem], str]] = {"text": str, "github": render_github}
