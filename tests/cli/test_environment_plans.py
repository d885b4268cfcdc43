"""Saved plans of several environments: each part applied against the target alertsync.toml
gives its environment, with today's stale checks; a file changed after planning is refused
whole, before any request; the plan's ids tie what was reviewed to what is applied."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.builders import GITHUB, STAGING_KEY, EnvRunner, RawListener

WHOLE_ID = re.compile(r"Plan id \(all environments\): ([0-9a-f]{16})")
PART_ID = re.compile(r"Plan id: ([0-9a-f]{16})")


def saved(envs: EnvRunner, *extra: str) -> Path:
    result = envs("plan", "--all-envs", "--out", "plan.json", *extra)
    assert result.exit_code == 0, result.output
    return Path("plan.json")


def tamper(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def refused_without_a_request(envs: EnvRunner, *args: str) -> str:
    for emu in envs.environments.values():
        emu.clear_requests()
    result = envs("apply", *args)
    assert result.exit_code == 1
    assert envs.requests_anywhere() == 0, "nothing may be sent for a refused plan"
    return result.stderr


def test_one_environment_of_a_saved_plan(envs: EnvRunner) -> None:
    plan = saved(envs)
    result = envs("apply", "--env", "staging", str(plan))
    assert result.exit_code == 0, result.output
    assert envs.environments["production"].alerts() == []
    assert len(envs.environments["staging"].alerts()) == 2
    assert "Environment staging" in result.stdout and "Environment production" not in result.stdout


def test_each_part_has_todays_stale_checks(envs: EnvRunner) -> None:
    assert envs("apply", "--env", "staging", "--auto-approve").exit_code == 0
    assert envs("apply", "--env", "production", "--auto-approve").exit_code == 0
    path = Path("alerts/alerts.yaml")
    path.write_text(
        path.read_text().replace("lower: 50}", "lower: 40}").replace("lower: 5}", "lower: 4}")
    )
    plan = saved(envs)
    staging = envs.environments["staging"]
    alert = next(a for a in staging.alerts() if a["name"] == "Signups dropped")
    httpx.patch(  # someone edits staging's alert in the UI after the review
        f"{staging.base_url}/api/projects/2/alerts/{alert['id']}/",
        json={"enabled": False},
        headers={"Authorization": f"Bearer {STAGING_KEY}"},
    ).raise_for_status()
    result = envs("apply", str(plan))
    assert result.exit_code == 1
    assert "STALE: update 'Signups dropped'" in result.stdout
    production = envs.environments["production"].alerts()
    bounds = next(a for a in production if a["name"] == "Signups dropped")["threshold"]
    assert bounds["configuration"]["bounds"]["lower"] == 40  # production applied all the same


def test_a_part_made_for_another_target_is_refused_before_any_request(envs: EnvRunner) -> None:
    plan = saved(envs)
    with RawListener() as elsewhere:
        tamper(plan, lambda d: d["environments"]["staging"]["target"].update(host=elsewhere.url))
        stderr = refused_without_a_request(envs, str(plan))
        assert elsewhere.received == []
    assert "plan.json (environment staging): the plan's id does not match its changes" in stderr


def test_parts_swapped_between_environments_are_refused(envs: EnvRunner) -> None:
    plan = saved(envs)

    def swap(data: dict[str, Any]) -> None:
        parts = data["environments"]
        parts["production"], parts["staging"] = parts["staging"], parts["production"]

    tamper(plan, swap)
    stderr = refused_without_a_request(envs, str(plan))
    assert "says it was made for 'staging'" in stderr


def test_a_part_retargeted_with_its_environment_name_is_refused(envs: EnvRunner) -> None:
    """Even made consistent inside the file, a part can only go where alertsync.toml says."""
    plan = saved(envs)
    production = envs.environments["production"]

    def retarget(data: dict[str, Any]) -> None:
        data["environments"]["staging"]["target"] = {"host": production.base_url, "project": "1"}

    tamper(plan, retarget)
    stderr = refused_without_a_request(envs, str(plan))
    assert "changed after it was planned" in stderr  # its id no longer matches


def test_a_changed_whole_id_or_summary_is_refused(envs: EnvRunner) -> None:
    plan = saved(envs)
    original = plan.read_text()
    tamper(plan, lambda d: d.update(id="sha256:" + "0" * 64))
    assert "does not match its environments' plans" in refused_without_a_request(envs, str(plan))
    plan.write_text(original)
    tamper(plan, lambda d: d["summary"].update(create=0))
    assert "summary does not match" in refused_without_a_request(envs, str(plan))


def test_expect_id_of_the_whole_plan_or_of_one_environment(envs: EnvRunner) -> None:
    shown = envs("plan", "--all-envs", "--out", "plan.json").stdout
    whole = WHOLE_ID.search(shown)
    production_id, staging_id = PART_ID.findall(shown)
    assert whole is not None
    refused = refused_without_a_request(envs, "--expect-id", staging_id, "plan.json")
    assert "not the plan that was reviewed" in refused
    one = envs("apply", "--env", "staging", "--expect-id", staging_id, "plan.json")
    assert one.exit_code == 0, one.output
    rest = envs("apply", "--env", "production", "--expect-id", production_id, "plan.json")
    assert rest.exit_code == 0, rest.output
    assert envs("plan", "--all-envs", "--detailed-exitcode").exit_code == 0


def test_expect_id_of_the_whole_plan_applies_every_part(envs: EnvRunner) -> None:
    shown = envs("plan", "--all-envs", "--out", "plan.json").stdout
    whole = WHOLE_ID.search(shown)
    assert whole is not None
    result = envs("apply", "--expect-id", whole.group(1), "plan.json")
    assert result.exit_code == 0, result.output
    assert envs("plan", "--all-envs", "--detailed-exitcode").exit_code == 0


def test_a_plan_of_one_environment_goes_only_to_it(envs: EnvRunner) -> None:
    made = envs("plan", "--env", "staging", "--out", "staging.json")
    assert made.exit_code == 0, made.output
    assert json.loads(Path("staging.json").read_text())["environment"] == "staging"
    stderr = refused_without_a_request(envs, "--env", "production", "staging.json")
    assert "was planned for environment 'staging', not 'production'" in stderr
    result = envs("apply", "staging.json")  # its environment's target, from alertsync.toml
    assert result.exit_code == 0, result.output
    assert len(envs.environments["staging"].alerts()) == 2
    assert envs.environments["production"].alerts() == []


def test_a_plan_made_without_environments_needs_one_chosen(envs: EnvRunner) -> None:
    staging = envs.environments["staging"]
    made = envs(
        "plan",
        "alerts/",
        "--out",
        "bare.json",
        ALERTSYNC_CONFIG=str(Path("nowhere.toml").resolve()),
    )
    assert made.exit_code == 1
    assert "--config " in made.stderr and "nowhere.toml: no such file" in made.stderr
    data = json.loads(saved(envs).read_text())["environments"]["staging"]
    del data["environment"]
    Path("bare.json").write_text(json.dumps(data))
    stderr = refused_without_a_request(envs, "bare.json")
    assert "was made without an environment" in stderr
    result = envs("apply", "--env", "staging", "bare.json")
    assert result.exit_code == 0, result.output
    assert len(staging.alerts()) == 2
    wrong = refused_without_a_request(envs, "--env", "production", "bare.json")
    assert "was planned for project 2" in wrong


def test_the_plan_of_several_environments_never_holds_a_key(envs: EnvRunner) -> None:
    text = saved(envs).read_text()
    assert STAGING_KEY not in text
    assert envs.environments["production"].api_key not in text


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("which", [("--all-envs",), ("--env", "staging")])
def test_show_prints_what_plan_printed(envs: EnvRunner, fmt: str, which: tuple[str, ...]) -> None:
    planned = envs("plan", *which, "--out", "plan.json", "--format", fmt, **GITHUB)
    assert planned.exit_code == 0, planned.output
    assert "0123456789abcdef" in planned.stdout or fmt == "text"  # where it was made
    for emu in envs.environments.values():
        emu.clear_requests()
    shown = envs("show", "plan.json", "--format", fmt, POSTHOG_KEY_STAGING="")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == planned.stdout
    assert envs.requests_anywhere() == 0  # offline


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_show_env_prints_one_part_as_plan_env_printed(envs: EnvRunner, fmt: str) -> None:
    assert envs("plan", "--all-envs", "--out", "all.json", **GITHUB).exit_code == 0
    one = envs("plan", "--env", "staging", "--format", fmt, **GITHUB)
    assert one.exit_code == 0, one.output
    shown = envs("show", "all.json", "--env", "staging", "--format", fmt)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == one.stdout


def test_show_env_names_the_environments_a_plan_has(envs: EnvRunner) -> None:
    assert envs("plan", "--all-envs", "--out", "all.json").exit_code == 0
    missing = envs("show", "all.json", "--env", "qa")
    assert missing.exit_code == 1 and missing.stdout == ""
    assert "all.json has no plan for environment 'qa' (it has production, staging)" in (
        missing.stderr
    )
    assert envs("plan", "--env", "staging", "--out", "one.json").exit_code == 0
    other = envs("show", "one.json", "--env", "production")
    assert other.exit_code == 1
    assert "one.json was planned for environment 'staging', not for 'production'" in other.stderr
