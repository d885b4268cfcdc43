"""GitHub workflow annotations carry hostile file names and messages as data only."""

from __future__ import annotations

from alertsync.model import Problem
from alertsync.render.annotations import render_github


def test_a_message_cannot_start_another_workflow_command() -> None:
    problem = Problem(
        "alerts/a,b:c.yaml", 3, 5, "alerts[0].name", "bad\n::add-mask::x\r\n::stop-commands::y %"
    )
    line = render_github(problem)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=alerts/a%2Cb%3Ac.yaml,line=3,col=5,title=")
    assert line.endswith("::alerts[0].name: bad%0A::add-mask::x%0D%0A::stop-commands::y %25")
