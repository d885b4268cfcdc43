"""One set of alert files, two PostHog projects: the environments of alertsync.toml, end to
end against two emulators (other insights, other members, other keys)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ROOT,
    STAGING_INSIGHTS,
    STAGING_KEY,
    STAGING_USERS,
    EnvRunner,
    Runner,
    project_file,
)


def edit(old: str, new: str) -> None:
    path = Path("alerts/alerts.yaml")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def by_name(emu: Emulator) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in emu.alerts()}


# -- the workflow -------------------------------------------------------------------------


def test_plan_all_envs_shows_both_then_apply_then_nothing_is_left(envs: EnvRunner) -> None:
    planned = envs("plan", "--all-envs", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output
    text = planned.stdout
    production, staging = text.split("=== Environment staging")
    assert "=== Environment production: project 1 at" in production
    assert "Plan: 3 to create, 0 to update, 0 to delete." in production
    assert "Plan: 2 to create, 0 to update, 0 to delete." in staging
    assert "Revenue below plan" not in staging  # production only
    assert "bounds.lower = 5" in staging and "[grace@example.com]" in staging
    assert "(#201)" in staging and "(#101)" in production  # one short id, each project's insight
    assert "Summary: 2 environment(s), 2 with changes." in text
    assert "Plan id (all environments): " in text

    applied = envs("apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert "Summary of 2 environment(s):" in applied.stdout

    prod, stag = by_name(envs.environments["production"]), by_name(envs.environments["staging"])
    assert sorted(prod) == ["Checkout errors spiking", "Revenue below plan", "Signups dropped"]
    assert sorted(stag) == ["Checkout errors spiking", "Signups dropped"]
    assert prod["Signups dropped"]["threshold"]["configuration"]["bounds"]["lower"] == 50
    assert stag["Signups dropped"]["threshold"]["configuration"]["bounds"]["lower"] == 5
    assert [u["id"] for u in stag["Signups dropped"]["subscribed_users"]] == [STAGING_USERS[2]]
    assert stag["Signups dropped"]["insight"]["id"] == STAGING_INSIGHTS["Ab3dE9fG"]
    assert stag["Checkout errors spiking"]["enabled"] is False
    assert prod["Checkout errors spiking"]["enabled"] is True

    again = envs("plan", "--all-envs", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout.count("No changes. The live alerts match the files.") == 2


def test_apply_one_environment_from_the_files(envs: EnvRunner) -> None:
    result = envs("apply", "--env", "staging", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert envs.environments["production"].alerts() == []
    assert sorted(by_name(envs.environments["staging"])) == [
        "Checkout errors spiking",
        "Signups dropped",
    ]
    assert envs("plan", "--env", "staging", "--detailed-exitcode").exit_code == 0
    assert envs("plan", "--all-envs", "--detailed-exitcode").exit_code == 2  # production


def test_detailed_exitcode_is_2_when_any_environment_has_changes(envs: EnvRunner) -> None:
    assert envs("apply", "--env", "staging", "--auto-approve").exit_code == 0
    assert envs("apply", "--env", "production", "--auto-approve").exit_code == 0
    edit("{bounds: {lower: 5}}", "{bounds: {lower: 6}}")
    result = envs("plan", "--all-envs", "--detailed-exitcode")
    assert result.exit_code == 2
    assert "production  0 to create, 0 to update, 0 to delete" in result.stdout
    assert "staging     0 to create, 1 to update, 0 to delete" in result.stdout


def test_one_plan_of_every_environment_in_markdown_and_json(envs: EnvRunner) -> None:
    markdown = envs("plan", "--all-envs", "--format", "markdown").stdout
    assert markdown.startswith("## alertsync plan: 2 environment(s), 2 with changes\n")
    assert "| `production` | `1` on " in markdown and "| `staging` | `2` on " in markdown
    assert "### Environment `production`: 3 to create" in markdown
    assert "### Environment `staging`: 2 to create" in markdown
    document = json.loads(envs("plan", "--all-envs", "--format", "json").stdout)
    assert document["kind"] == "environments"
    assert sorted(document["environments"]) == ["production", "staging"]
    assert document["environments"]["staging"]["environment"] == "staging"
    assert document["summary"]["create"] == 5 and document["failed"] == {}


def test_validate_checks_every_environment_offline(envs: EnvRunner) -> None:
    result = envs("validate")
    assert result.exit_code == 0, result.output
    assert "2 environment(s) (production 3, staging 2)" in result.stdout
    assert envs.requests_anywhere() == 0


# -- bad input: file:line:col, exit 1, nothing sent ---------------------------------------


@pytest.mark.parametrize(
    "command", [["validate"], ["plan", "--all-envs"], ["plan", "--env", "production"]]
)
def test_an_invalid_override_is_reported_in_it_and_nothing_is_sent(
    envs: EnvRunner, command: list[str]
) -> None:
    edit("{bounds: {lower: 5}}", "{bounds: {lower: five}}")
    result = envs(*command)
    assert result.exit_code == 1
    assert (
        "alerts/alerts.yaml:10:53: alerts[0].overrides.staging.threshold.configuration.bounds"
        '.lower: expected a number or null, got string "five"'
    ) in result.output
    assert envs.requests_anywhere() == 0


def test_an_override_for_an_environment_that_does_not_exist(envs: EnvRunner) -> None:
    edit("      staging: {enabled: false}", "      qa: {enabled: false}")
    result = envs("plan", "--all-envs")
    assert result.exit_code == 1
    assert (
        "alerts/alerts.yaml:19:7: alerts[1].overrides.qa: no environment 'qa' in "
        "alertsync.toml (its environments: production, staging)"
    ) in result.stderr
    assert envs.requests_anywhere() == 0


def test_a_reference_that_resolves_in_one_environment_only(envs: EnvRunner) -> None:
    edit("    environments: [production]\n", "")  # Revenue by plan: no such insight in staging
    result = envs("plan", "--all-envs", "--detailed-exitcode")
    assert result.exit_code == 1
    problem = (
        "alerts/alerts.yaml:21:14: alerts[2].insight: no insight with short id 'Kx7pQ2mN' in "
        "project 2 (in environment staging)"
    )
    assert problem in result.stdout
    assert "Plan: 3 to create, 0 to update, 0 to delete." in result.stdout  # production shown
    assert "Error: 1 of 2 environment(s) could not be planned: staging." in result.stderr

    applied = envs("apply", "--env", "staging", "--auto-approve")
    assert applied.exit_code == 1
    assert problem in applied.stderr
    assert envs.writes_anywhere() == []


def test_an_email_that_is_a_member_in_one_project_only(envs: EnvRunner) -> None:
    edit("        subscribed_users: [grace@example.com]\n", "")  # ada@ is in both...
    edit("[ada@example.com]", "[ada@example.com, alan@example.com]")  # ...alan@ only in one
    result = envs("plan", "--all-envs", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    (problem,) = document["failed"]["staging"]["problems"]
    assert (problem["line"], problem["col"], problem["path"]) == (
        4,
        41,
        "alerts[0].subscribed_users[1]",
    )
    assert problem["message"].endswith("(in environment staging)")
    assert "alerts/alerts.yaml:4:41" in result.stderr
    assert sorted(document["environments"]) == ["production"]
    assert envs.writes_anywhere() == []


def test_a_failing_environment_hides_no_other(envs: EnvRunner) -> None:
    result = envs("plan", "--all-envs", POSTHOG_KEY_STAGING="")
    assert result.exit_code == 1
    assert "Plan: 3 to create, 0 to update, 0 to delete." in result.stdout
    assert "Error: no API key: set POSTHOG_KEY_STAGING to a PostHog personal API key" in (
        result.stdout
    )
    assert "staging     failed" in result.stdout


def test_a_saved_plan_is_not_written_when_an_environment_failed(envs: EnvRunner) -> None:
    result = envs("plan", "--all-envs", "--out", "plan.json", POSTHOG_KEY_STAGING="")
    assert result.exit_code == 1
    assert "plan.json was not written" in result.stderr
    assert not Path("plan.json").exists()


# -- choosing environments ----------------------------------------------------------------


def test_a_command_on_one_environment_needs_one(envs: EnvRunner) -> None:
    for command in (["plan"], ["apply", "--auto-approve"], ["export"]):
        result = envs(*command)
        assert result.exit_code == 1
        assert "defines 2 environments (production, staging): choose one with --env NAME" in (
            result.stderr
        )
    assert "or plan them all with --all-envs" in envs("plan").stderr
    unknown = envs("plan", "--env", "qa")
    assert unknown.exit_code == 1
    assert "no environment 'qa' in alertsync.toml (its environments: production, staging)" in (
        unknown.stderr
    )
    assert envs.requests_anywhere() == 0


def test_the_target_comes_from_the_project_file_only(envs: EnvRunner) -> None:
    flagged = envs("plan", "--env", "staging", "--host", "https://us.posthog.com")
    assert flagged.exit_code == 1
    assert "--host cannot be combined with the environments of alertsync.toml" in flagged.stderr
    # POSTHOG_HOST / POSTHOG_PROJECT_ID (left over in a CI environment) are not read
    result = envs(
        "plan", "--env", "staging", POSTHOG_HOST="https://us.posthog.com", POSTHOG_PROJECT_ID="9"
    )
    assert result.exit_code == 0, result.output
    assert "Environment staging: project 2 at http://127.0.0.1:" in result.stdout
    # ... but a person who set them for another project learns before an apply, not after
    gives = "is set but not read: alertsync.toml gives each environment its"
    assert f"Note: POSTHOG_HOST {gives} host (staging: http://127.0.0.1:" in result.stderr
    assert f"Note: POSTHOG_PROJECT_ID {gives} project (staging: 2); unset" in result.stderr
    staging = envs.environments["staging"]
    same = envs(
        "plan", "--env", "staging", POSTHOG_HOST=staging.base_url + "/", POSTHOG_PROJECT_ID="2"
    )
    assert same.exit_code == 0 and "Note:" not in same.stderr


def test_found_from_the_current_folder(envs: EnvRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("alerts")
    result = envs("plan", "--env", "staging", ALERTSYNC_CONFIG="")
    assert result.exit_code == 0, result.output
    assert "Plan: 2 to create" in result.stdout


def test_without_a_project_file_env_is_an_error(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("plan", "--env", "staging", "alerts.yaml")
    assert result.exit_code == 1
    assert "--env needs environments, but there is no alertsync.toml in" in result.stderr
    missing = run("plan")
    assert missing.exit_code == 1 and "Missing argument 'PATHS...'" in missing.stderr


def test_a_problem_in_the_project_file_is_at_its_line(envs: EnvRunner) -> None:
    envs.config.write_text(envs.config.read_text() + "\n[environments.qa]\nproject = true\n")
    result = envs("validate")
    assert result.exit_code == 1
    assert "alertsync.toml:14:1: environments.qa.project: expected a project id, got a boolean" in (
        result.stderr
    )
    assert envs.requests_anywhere() == 0


# -- export, keys -------------------------------------------------------------------------


def test_export_one_environment_plans_no_changes_against_it(envs: EnvRunner) -> None:
    assert envs("apply", "--env", "staging", "--auto-approve").exit_code == 0
    exported = envs("export", "--env", "staging", "--output", "staging.yaml")
    assert exported.exit_code == 0, exported.output
    text = Path("staging.yaml").read_text()
    assert "grace@example.com" in text and "lower: 5" in text
    again = envs("plan", "--env", "staging", "staging.yaml", "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_no_key_of_any_environment_ever_shows(envs: EnvRunner) -> None:
    envs.env["ALERTSYNC_DEBUG"] = "1"
    outputs = [
        envs("plan", "--all-envs").output,
        envs("apply", "--env", "staging", "--auto-approve").output,
        envs("plan", "--all-envs", "--format", "json", "--out", "plan.json").output,
        envs("plan", "--env", "qa").output,
    ]
    keys = [STAGING_KEY, envs.environments["production"].api_key]
    for text in [*outputs, Path("plan.json").read_text()]:
        assert not any(key in text for key in keys)
    assert "[staging] GET http://127.0.0.1:" in outputs[0]  # the trace says which environment


# -- commands added beside environments ----------------------------------------------------


def test_destinations_differ_per_environment(envs: EnvRunner) -> None:
    edit(
        "    config: {series_index: 0}\n    overrides:\n      staging:\n",
        "    config: {series_index: 0}\n"
        "    destinations: [{type: slack, workspace: Hedgebox, channel: '#growth-alerts'}]\n"
        "    overrides:\n      staging:\n"
        "        destinations: [{type: webhook, url_env: STAGING_HOOK}]\n",
    )
    envs.env["STAGING_HOOK"] = "https://hooks.example.com/staging/S3CRET-path"
    planned = envs("plan", "--all-envs", "--out", "plan.json")
    assert planned.exit_code == 0, planned.output
    production, staging = planned.stdout.split("=== Environment staging")
    assert "#growth-alerts" in production and "webhook" not in production
    assert "webhook" in staging and "#growth-alerts" not in staging
    assert "S3CRET" not in planned.output
    applied = envs("apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    again = envs("plan", "--all-envs", "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_test_delivery_in_one_environment(envs: EnvRunner) -> None:
    assert envs("apply", "--env", "staging", "--auto-approve").exit_code == 0
    result = envs("test-delivery", "--env", "staging", "Signups dropped")
    assert result.exit_code == 0, result.output
    assert len(envs.environments["staging"].test_deliveries) == 1
    assert envs.environments["production"].test_deliveries == []
    missing = envs("test-delivery", "--env", "production", "Signups dropped")
    assert missing.exit_code == 1
    assert "no live alert named 'Signups dropped' in project 1" in missing.stderr


def test_the_example_project_converges_against_two_emulators(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = ROOT / "examples" / "environments"
    shutil.copytree(example / "alerts", tmp_path / "alerts")
    with Emulator(seed=example / "staging-seed.yaml", port=0) as staging:
        environments = {"production": emulator, "staging": staging}
        config = project_file(tmp_path, environments)
        monkeypatch.chdir(tmp_path)
        envs = EnvRunner(environments, config)
        planned = envs("plan", "--all-envs", "--out", "plan.json")
        assert planned.exit_code == 0, planned.output
        assert "production  4 to create, 0 to update, 0 to delete" in planned.stdout
        assert "staging     3 to create, 0 to update, 0 to delete" in planned.stdout
        assert envs("apply", "plan.json").exit_code == 0
        assert envs("plan", "--all-envs", "--detailed-exitcode").exit_code == 0
        checkout = next(a for a in staging.alerts() if a["name"].startswith("Checkout"))
        assert checkout["threshold"]["configuration"]["bounds"]["upper"] == 10
        assert checkout["schedule_restriction"] is None


def test_status_of_one_environment_or_of_every_one(envs: EnvRunner) -> None:
    assert envs("apply", "--env", "staging", "--auto-approve").exit_code == 0
    assert envs("apply", "--env", "production", "--auto-approve").exit_code == 0
    for emu in envs.environments.values():
        emu.clear_requests()
    one = envs("status", "--env", "staging", "--fail-on", "none")
    assert one.exit_code == 0, one.output
    assert "Environment staging: project 2 at " in one.stdout and "project 1 at " not in one.stdout
    every = envs("status", "--all-envs", "--fail-on", "none", "--format", "json")
    assert every.exit_code == 0, every.output
    targets = json.loads(every.stdout)["targets"]
    assert [t["target"]["project"] for t in targets] == ["1", "2"]
    assert envs.writes_anywhere() == []  # status only reads
    unchosen = envs("status")
    assert unchosen.exit_code == 1 and "or report them all with --all-envs" in unchosen.stderr


def test_status_of_every_environment_when_one_cannot_be_read(envs: EnvRunner) -> None:
    # a monitoring run must still report the projects it can read, and exit 1
    assert envs("apply", "--env", "production", "--auto-approve").exit_code == 0
    text = envs("status", "--all-envs", "--fail-on", "none", POSTHOG_KEY_STAGING="phx_refused")
    assert text.exit_code == 1, text.output
    production, staging = text.stdout.split("Environment staging: project 2 at ")
    assert "Environment production: project 1 at " in production
    assert "'Signups dropped'" in production and "Summary: 3 alert(s)" in production
    assert "Error: listing alerts: PostHog rejected the API key (401" in staging
    assert "1 of 2 environment(s) could not be read (staging): exit 1." in staging
    every = envs("status", "--all-envs", "--format", "json", POSTHOG_KEY_STAGING="phx_refused")
    assert every.exit_code == 1
    document = json.loads(every.stdout)
    assert document["failed"] is True
    read, unread = document["targets"]
    assert (read["environment"], read["error"], len(read["alerts"])) == ("production", None, 3)
    assert unread["environment"] == "staging" and "401" in unread["error"]
    assert unread["alerts"] == []
    assert "Error: environment staging: listing alerts:" in every.stderr
    markdown = envs("status", "--all-envs", "--format", "markdown", POSTHOG_KEY_STAGING="phx_x")
    assert markdown.exit_code == 1
    assert "1 environment(s) could not be read" in markdown.stdout.splitlines()[0]
    assert "Environment `staging`: project `2` at " in markdown.stdout
    assert envs.writes_anywhere() == [("production", "POST", "/api/projects/1/alerts/")] * 3


def test_key_env_naming_the_ci_token_sends_nothing(envs: EnvRunner) -> None:
    # a pull request that edits alertsync.toml must not get the CI's token sent as the key
    text = envs.config.read_text().replace(
        'key_env = "POSTHOG_KEY_STAGING"', 'key_env = "GITHUB_TOKEN"'
    )
    envs.config.write_text(text)
    token = "ghs_0123456789abcdefghijklmnopqrstuvwxyz"
    for command in (["plan", "--all-envs"], ["plan", "--env", "production"], ["validate"]):
        result = envs(*command, GITHUB_TOKEN=token)
        assert result.exit_code == 1, result.output
        assert "environments.staging.key_env: key_env names $GITHUB_TOKEN" in result.stderr
        assert token not in result.output
    assert envs.requests_anywhere() == 0


def test_paths_outside_the_repository_are_never_read(envs: EnvRunner, tmp_path: Path) -> None:
    # a line of a file that is not YAML is quoted in its problem, which CI posts on the
    # pull request: alertsync.toml must not be able to name a file outside the repository
    secret = tmp_path.parent / "credentials.yaml"
    secret.write_text("https://user:ghp_0123456789secret@github.com\n")
    (tmp_path / "alerts" / "team").symlink_to(tmp_path.parent)
    for paths in ('["../credentials.yaml"]', f'["{secret}"]', '["alerts/team/"]'):
        text = envs.config.read_text().replace('paths = ["alerts/"]', f"paths = {paths}")
        envs.config.write_text(text)
        for command in (["validate"], ["plan", "--all-envs", "--format", "markdown"]):
            result = envs(*command)
            assert result.exit_code == 1, result.output
            assert "alertsync.toml:1:1: paths: " in result.output
            assert "is outside the repository (links followed)" in result.output
            assert "ghp_0123456789secret" not in result.output
        envs.config.write_text(text.replace(f"paths = {paths}", 'paths = ["alerts/"]'))
    (tmp_path / "alerts" / "team").unlink()
    (tmp_path / "alerts" / "link.yaml").symlink_to(secret)  # a link in a folder of alerts
    for command in (["validate"], ["plan", "--all-envs"]):
        result = envs(*command)
        assert result.exit_code == 1, result.output
        assert (
            "alerts/link.yaml:1:1: a link to a file outside the repository, which is never read"
            in result.output
        )
        assert "ghp_0123456789secret" not in result.output
    assert envs.requests_anywhere() == 0


def test_a_refused_key_names_the_environments_key_variable(envs: EnvRunner) -> None:
    result = envs("plan", "--all-envs", POSTHOG_KEY_STAGING="phx_refused")
    assert result.exit_code == 1
    assert (
        "Error: listing alerts: PostHog rejected the API key (401: Personal API key found in "
        "request Authorization header is invalid.). Check POSTHOG_KEY_STAGING and the "
        "environment's host in alertsync.toml."
    ) in result.stdout
    assert "POSTHOG_PERSONAL_API_KEY" not in result.output


def test_a_plan_of_several_environments_without_alertsync_toml(
    envs: EnvRunner,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert envs("plan", "--all-envs", "--out", "plan.json").exit_code == 0
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    staging = envs.environments["staging"]
    result = envs(
        "apply",
        str(tmp_path / "plan.json"),
        ALERTSYNC_CONFIG="",
        POSTHOG_HOST=staging.base_url,
        POSTHOG_PROJECT_ID="2",
        POSTHOG_PERSONAL_API_KEY=STAGING_KEY,
    )
    assert result.exit_code == 1
    assert "plan.json is a plan of several environments: apply it where the alertsync.toml" in (
        result.stderr
    )
    assert envs.writes_anywhere() == []


def test_two_environments_of_one_project_would_fight(envs: EnvRunner) -> None:
    # a project id copied into the wrong table: each apply would undo the other's, forever
    staging = envs.environments["staging"]
    production = envs.environments["production"]
    text = envs.config.read_text().replace(staging.base_url, production.base_url)
    envs.config.write_text(text.replace("project = 2", "project = 1"))
    for command in (["validate"], ["plan", "--all-envs"], ["plan", "--env", "staging"]):
        result = envs(*command, POSTHOG_KEY_STAGING=production.api_key)
        assert result.exit_code == 1, result.output
        assert "alertsync.toml:8:1: environments.staging: environments production and staging " in (
            result.output
        )
        assert "both own the alerts of project 1 at http://127.0.0.1:" in result.output
    assert envs.requests_anywhere() == 0
