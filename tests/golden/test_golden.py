"""Golden files pin the whole text, markdown and JSON of representative plans and reports, so
a change to rendering shows up in review as a diff of these files.

Regenerate them after an intended change (then read the diff):

    python -m pytest tests/golden --update-golden
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alertsync.model import Guards, Labels, Result
from alertsync.render import FORMATS, STATUS_FORMATS
from alertsync.render.environments import PLANS_FORMATS
from alertsync.render.report import render_result
from alertsync.render.text import plain
from tests.golden import scenarios, status_scenarios

HERE = Path(__file__).resolve().parent
SUFFIX = {"text": "txt", "json": "json", "markdown": "md"}


def report(results: list[Result], fmt: str, labels: Labels | None = None) -> str:
    form = FORMATS[fmt]
    names = labels or Labels()
    streamed = (
        "".join(f"{render_result(r, plain, names)}\n" for r in results)
        if form.streams_results
        else ""
    )
    lead = "\n" if form.streams_results else ""
    return lead + streamed + form.report(results, scenarios.TARGET, scenarios.PLAN_ID, names)


CASES: dict[str, Callable[[str], str]] = {
    "plan-mixed": lambda fmt: FORMATS[fmt].plan(
        scenarios.mixed_plan(), scenarios.TARGET, Guards(), plain, None
    ),
    "plan-no-changes": lambda fmt: FORMATS[fmt].plan(
        scenarios.no_changes_plan(), scenarios.TARGET, Guards(), plain, None
    ),
    "plan-destinations": lambda fmt: FORMATS[fmt].plan(
        scenarios.destinations_plan(), scenarios.TARGET, Guards(), plain, None
    ),
    "report-destinations": lambda fmt: report(
        scenarios.destinations_report(), fmt, scenarios.routed_labels()
    ),
    "plan-environments": lambda fmt: PLANS_FORMATS[fmt].plan(
        scenarios.environments_plan(), Guards(), plain, scenarios.MADE
    ),
    "plan-environments-failed": lambda fmt: PLANS_FORMATS[fmt].plan(
        scenarios.environments_plan_with_a_failure(), Guards(), plain, None
    ),
    "report-stale-saved-plan": lambda fmt: report(scenarios.stale_report(), fmt),
    "report-partial-failure": lambda fmt: report(scenarios.partial_failure_report(), fmt),
    "status-every-state": lambda fmt: STATUS_FORMATS[fmt](status_scenarios.status_report(), plain),
}


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
@pytest.mark.parametrize("case", sorted(CASES))
def test_rendering_matches_its_golden_file(
    case: str, fmt: str, request: pytest.FixtureRequest
) -> None:
    golden = HERE / "files" / f"{case}.{SUFFIX[fmt]}"
    rendered = CASES[case](fmt)
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with --update-golden"
    assert rendered == golden.read_text(encoding="utf-8")
