"""A saved plan applies exactly what the reviewer saw, on the configured target, and the plan's
id ties what was reviewed to what is applied."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.builders import EXAMPLE, RawListener, Runner

PLAN_ID = re.compile(r"Plan id: ([0-9a-f]{16})")


@pytest.fixture
def applied(run: Runner, tmp_path: Path) -> Path:
    file = Path(shutil.copy(EXAMPLE, tmp_path / "alerts.yaml"))
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    return file


def lower_first_bound(file: Path, to: int = 42) -> None:
    data = yaml.safe_load(file.read_text())
    data["alerts"][0]["threshold"]["configuration"]["bounds"]["lower"] = to
    file.write_text(yaml.safe_dump(data, sort_keys=False))


def saved(run: Runner, file: Path, tmp_path: Path) -> Path:
    plan_file = tmp_path / "plan.json"
    assert run("plan", str(file), "--out", str(plan_file)).exit_code == 0
    return plan_file


def tamper(plan_file: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(plan_file.read_text())
    change(data)
    plan_file.write_text(json.dumps(data, indent=2))


def first_update(data: dict[str, Any]) -> dict[str, Any]:
    update: dict[str, Any] = next(c for c in data["changes"] if c["action"] == "update")
    return update


# -- 1. the target comes from the command line, the environment or the default -----------


def test_the_plan_file_never_chooses_the_host(run: Runner, applied: Path, tmp_path: Path) -> None:
    """With no --host and no POSTHOG_HOST (PostHog Cloud's setup, or an empty CI variable),
    a plan made for another host is refused: the key never goes to the host the file names."""
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    run.emu.clear_requests()
    result = run("apply", str(plan_file), POSTHOG_HOST="")
    assert result.exit_code == 1
    assert f"was planned for project 1 at {run.emu.base_url}" in result.stderr
    assert "not project 1 at https://us.posthog.com" in result.stderr
    assert run.emu.requests == []


def test_a_tampered_target_is_refused_without_a_request(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    with RawListener() as elsewhere:
        tamper(plan_file, lambda d: d["target"].update(host=elsewhere.url))
        run.emu.clear_requests()
        for host in ("", elsewhere.url):
            assert run("apply", str(plan_file), POSTHOG_HOST=host).exit_code == 1
        assert elsewhere.received == []
    assert run.emu.requests == []


def test_a_plan_for_another_project_is_refused_before_any_request(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    run.emu.clear_requests()
    result = run("apply", str(plan_file), POSTHOG_PROJECT_ID="2")
    assert result.exit_code == 1 and "refusing to apply it here" in result.stderr
    assert run.emu.requests == []


# -- 2. only requests derived from the reviewed change are sent ---------------------------


TAMPERINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "body sends more": lambda d: first_update(d)["request"]["body"].update(
        enabled=False, subscribed_users=[]
    ),
    "method changed": lambda d: first_update(d)["request"].update(method="DELETE", body=None),
    "path changed": lambda d: first_update(d)["request"].update(path="/api/projects/1/alerts/x/"),
    "detail hidden": lambda d: first_update(d).update(details=[]),
    "after changed quietly": lambda d: first_update(d)["after"].update(enabled=False),
    "before changed": lambda d: first_update(d)["before"].update(
        enabled=not first_update(d)["before"]["enabled"]
    ),
    "risk removed": lambda d: first_update(d).update(risks=[]),
    "summary changed": lambda d: d["summary"].update(update=0),
    "id replaced": lambda d: d.update(id="sha256:" + "0" * 64),
    "delete turned into an update": lambda d: first_update(d).update(action="delete"),
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_a_plan_file_changed_after_planning_is_refused_whole(
    run: Runner, applied: Path, tmp_path: Path, how: str
) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    tamper(plan_file, TAMPERINGS[how])
    run.emu.clear_requests()
    result = run("apply", str(plan_file))
    assert result.exit_code == 1, result.output
    assert "Error:" in result.stderr and "plan again" in result.stderr
    assert run.writes() == []


def test_the_untouched_plan_sends_exactly_its_changes(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    run.emu.clear_requests()
    result = run("apply", str(plan_file))
    assert result.exit_code == 0, result.output
    ((method, _path, body),) = run.writes()
    assert method == "PATCH"
    assert body == {
        "threshold": {"name": "", "configuration": {"type": "absolute", "bounds": {"lower": 42}}}
    }
    assert "~ threshold.configuration.bounds.lower: 50 -> 42" in result.stdout


# -- 3. the plan id -----------------------------------------------------------------------


def test_every_format_prints_the_same_plan_id(run: Runner, applied: Path, tmp_path: Path) -> None:
    lower_first_bound(applied)
    text = run("plan", str(applied)).stdout
    (shown,) = PLAN_ID.findall(text)
    document = json.loads(run("plan", str(applied), "--format", "json").stdout)
    assert document["id"].removeprefix("sha256:").startswith(shown)
    assert f"Plan id `{shown}`" in run("plan", str(applied), "--format", "markdown").stdout
    again = run("plan", str(applied)).stdout
    assert PLAN_ID.findall(again) == [shown]  # the same inputs, the same id


def test_expect_id_applies_only_the_reviewed_plan(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    (reviewed,) = PLAN_ID.findall(run("plan", str(applied)).stdout)
    run.emu.clear_requests()
    wrong = run("apply", str(plan_file), "--expect-id", "0123456789abcdef")
    assert wrong.exit_code == 1
    assert f"this plan's id is {reviewed}, not 0123456789abcdef" in wrong.stderr
    assert run.writes() == []
    right = run("apply", str(plan_file), "--expect-id", reviewed)
    assert right.exit_code == 0, right.output
    assert f"Plan id: {reviewed}" in right.stdout  # the apply report names it too


def test_expect_id_with_alert_files_refuses_a_plan_that_moved(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    lower_first_bound(applied)
    (reviewed,) = PLAN_ID.findall(run("plan", str(applied)).stdout)
    lower_first_bound(applied, to=41)  # the files changed after the review
    run.emu.clear_requests()
    result = run("apply", str(applied), "--auto-approve", "--expect-id", reviewed)
    assert result.exit_code == 1 and "it is not the plan that was reviewed" in result.stderr
    assert "~ threshold.configuration.bounds.lower: 50 -> 41" in result.stdout  # shown
    assert run.writes() == []
    lower_first_bound(applied)
    ok = run("apply", str(applied), "--auto-approve", "--expect-id", reviewed)
    assert ok.exit_code == 0, ok.output


def test_a_short_or_mistyped_id_never_matches(run: Runner, applied: Path, tmp_path: Path) -> None:
    lower_first_bound(applied)
    plan_file = saved(run, applied, tmp_path)
    (reviewed,) = PLAN_ID.findall(run("plan", str(applied)).stdout)
    run.emu.clear_requests()
    for given in (reviewed[:8], "", "sha256:", reviewed[:-1] + "x"):
        result = run("apply", str(plan_file), "--expect-id", given)
        assert result.exit_code == 1, given
    assert run.writes() == []
