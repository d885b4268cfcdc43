"""The shipped examples are real: CI files parse and call only commands and flags that exist."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml
from packaging.utils import canonicalize_name

from alertsync.cli import cli
from tests.actions import load_yaml
from tests.wheelhouse import ROOTS, closure

ROOT = Path(__file__).resolve().parent.parent
CI_FILES = sorted((ROOT / "examples" / "ci").glob("*.yml"))
DEPLOY = {"github-actions.yml", "gitlab-ci.yml"}  # plan on review, apply on merge
NIGHTLY = {"status-nightly.github.yml", "status-nightly.gitlab-ci.yml"}  # alertsync status
ACTION = ROOT / "action.yml"
GITHUB = ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"


def store_schema(name: str) -> dict[str, Any]:
    """SchemaStore's schema, as check-jsonschema (a test dependency) vendors it."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    loaded: dict[str, Any] = json.loads(vendor.joinpath(name).read_text(encoding="utf-8"))
    return loaded


HEREDOC = re.compile(r"<<'?(\w+)'?\n.*?\n\s*\1\n", re.S)
SHELL_BREAKS = re.compile(r"\|\||&&|;|\||\n|\)|\(|`")


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def invocations(text: str) -> Iterator[list[str]]:
    """Every `alertsync ...` command line in a shell snippet, as argv after 'alertsync'."""
    text = HEREDOC.sub("\n", text)  # a here-document is data (a helper's source), not shell
    for segment in SHELL_BREAKS.split(text):
        words = shlex.split(segment, comments=True) if "alertsync " in segment else []
        if "alertsync" in words:
            argv = words[words.index("alertsync") + 1 :]
            cut = next((i for i, w in enumerate(argv) if w[:1] in "<>" or w.isdigit()), len(argv))
            yield argv[:cut]


def parse(argv: list[str]) -> None:
    """Parse argv with alertsync's real click commands: unknown commands or flags raise."""
    command = cli.get_command(click.Context(cli), argv[0])
    assert command is not None, f"no command {argv[0]!r}"
    command.make_context(argv[0], list(argv[1:]), parent=click.Context(cli))


def test_there_are_ci_examples() -> None:
    assert {p.name for p in CI_FILES} == DEPLOY | NIGHTLY


def run_scripts(node: Any) -> Iterator[str]:
    """The shell of every `run:` / `script:`-like value (GitHub steps, GitLab jobs)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "before_script") and isinstance(value, str):
                yield value
            elif key in ("script", "before_script") and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from run_scripts(value)
    elif isinstance(node, list):
        for value in node:
            yield from run_scripts(value)


@pytest.mark.parametrize("path", [ACTION, GITLAB], ids=lambda p: p.name)
def test_ci_scripts_call_only_real_commands_and_flags(path: Path) -> None:
    calls = [argv for text in run_scripts(load_yaml(path)) for argv in invocations(text) if argv]
    assert {argv[0] for argv in calls} == {"validate", "plan", "show", "apply"}
    for argv in calls:
        parse(argv)
    applies = [argv for argv in calls if argv[0] == "apply"]
    assert applies and all("--expect-id" in argv and "--auto-approve" in argv for argv in applies)


def test_the_invocation_finder_sees_bad_flags() -> None:
    (argv,) = list(invocations("alertsync plan alerts/ --no-such-flag > plan.md"))
    with pytest.raises(click.UsageError):
        parse(argv)


def test_the_github_workflow_uses_the_action_with_real_inputs() -> None:
    inputs = load_yaml(ACTION)["inputs"]
    jobs = load_yaml(GITHUB)["jobs"]
    uses = [
        (name, step)
        for name, job in jobs.items()
        for step in job["steps"]
        if "alertsync@" in step.get("uses", "")
    ]
    assert {(name, step["with"]["command"]) for name, step in uses} == {
        ("plan", "plan"),
        ("apply", "apply"),
    }
    for _, step in uses:
        assert set(step["with"]) <= set(inputs)
        assert "POSTHOG_PERSONAL_API_KEY" in step["env"]  # the key by env, never an input
    assert all(not v.get("required") or "default" not in v for v in inputs.values())


@pytest.mark.parametrize("name", sorted(NIGHTLY))
def test_nightly_jobs_call_status_with_real_flags(name: str) -> None:
    data = yaml.safe_load((ROOT / "examples" / "ci" / name).read_text())
    calls = [argv for text in strings(data) for argv in invocations(text) if argv]
    assert {argv[0] for argv in calls} == {"status"}
    for argv in calls:
        parse(argv)


def test_nightly_status_jobs_run_on_a_schedule_and_report_in_an_issue() -> None:
    github = yaml.safe_load((ROOT / "examples" / "ci" / "status-nightly.github.yml").read_text())
    triggers = github.get("on", github.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "schedule" in triggers and github["permissions"]["issues"] == "write"
    steps = " ".join(strings(github["jobs"]["status"]["steps"]))
    assert "--format markdown" in steps and "issues.create" in steps and "'closed'" in steps
    gitlab = yaml.safe_load((ROOT / "examples" / "ci" / "status-nightly.gitlab-ci.yml").read_text())
    job = gitlab["alerts-status"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert 'exit "$code"' in job["script"] and job["artifacts"]["when"] == "always"


def test_pre_commit_hook_calls_validate() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "alertsync validate"
    parse(["validate", "x.yaml"])


SCHEMAS = {
    "github-action": (ACTION, "github-actions.json"),
    "github-workflow": (GITHUB, "github-workflows.json"),
    "gitlab-ci": (GITLAB, "gitlab-ci.json"),
}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_ci_files_are_valid_against_their_schemastore_schemas(name: str) -> None:
    path, schema_file = SCHEMAS[name]
    schema = store_schema(schema_file)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(load_yaml(path))
    ]
    assert errors == []


def test_the_schema_check_sees_a_broken_workflow() -> None:
    schema = store_schema("github-workflows.json")
    broken = load_yaml(GITHUB)
    broken["jobs"]["apply"]["permissions"]["pull-requests"] = "admin"
    assert not jsonschema.validators.validator_for(schema)(schema).is_valid(broken)


PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def uses_lines(path: Path) -> list[tuple[str, str]]:
    """(action reference, the comment after it) for each `uses:` line of a file."""
    found = re.findall(r"uses: (\S+)(?:\s*#\s*(.*))?", path.read_text())
    return [(ref, comment) for ref, comment in found if not ref.startswith("<owner>/alertsync@")]


@pytest.mark.parametrize("path", [ACTION, GITHUB], ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_sha(path: Path) -> None:
    used = uses_lines(path)
    assert used
    for ref, comment in used:
        assert PINNED.match(ref), ref
        assert re.match(r"v\d+", comment), f"{ref}: say which release the SHA is"


def test_the_workflow_keeps_the_write_key_to_the_protected_apply_job() -> None:
    data = load_yaml(GITHUB)
    assert data["permissions"] == {}
    jobs = data["jobs"]
    for name, job in jobs.items():
        assert "permissions" in job, name
        assert "write" not in {v for k, v in job["permissions"].items() if k != "pull-requests"}
    plan_key = workflow_env(jobs["plan"])["POSTHOG_PERSONAL_API_KEY"]
    apply_key = workflow_env(jobs["apply"])["POSTHOG_PERSONAL_API_KEY"]
    assert "POSTHOG_PLAN_API_KEY" in plan_key and plan_key != apply_key
    assert "environment" in jobs["apply"] and "environment" not in jobs["plan"]
    assert jobs["apply"]["concurrency"]["cancel-in-progress"] is False
    assert "alertsync-apply" in jobs["apply"]["concurrency"]["group"]
    assert "head.repo.full_name == github.repository" in jobs["plan"]["if"]
    fork = jobs["fork-notice"]
    assert "!= github.repository" in fork["if"] and "pull_request_target" in fork["if"]
    assert all("checkout" not in s.get("uses", "") for s in fork["steps"])  # runs no PR code
    assert "secrets." not in json.dumps(fork)


def workflow_env(job: dict[str, Any]) -> dict[str, str]:
    step = next(s for s in job["steps"] if "alertsync@" in s.get("uses", ""))
    found: dict[str, str] = step["env"]
    return found


def test_the_gitlab_template_can_be_included_without_overriding_anything() -> None:
    data = load_yaml(GITLAB)
    assert not {"stages", "default", "variables", "workflow", "include"} & set(data)
    hidden = {name for name in data if name.startswith(".")}
    assert {".alertsync", ".alertsync-plan", ".alertsync-apply"} <= hidden
    for name, job in data.items():
        if not name.startswith("."):
            assert job == {"extends": f".{name}"}, name
    plan, apply = data[".alertsync-plan"], data[".alertsync-apply"]
    assert plan["variables"]["POSTHOG_PERSONAL_API_KEY"] == "$POSTHOG_PLAN_API_KEY"
    assert apply["variables"]["POSTHOG_PERSONAL_API_KEY"] == "$POSTHOG_WRITE_API_KEY"
    assert apply["resource_group"] and apply["environment"]["name"]
    helper = " ".join(data[".alertsync"]["before_script"])
    assert "X-Next-Page" in helper  # every page of notes
    assert 'mr["sha"]' in helper  # the merge request's own last commit
    assert "git+https://" in data[".alertsync"]["variables"]["ALERTSYNC_PIP_SPEC"]


def test_constraints_pin_every_runtime_dependency_at_the_tested_version() -> None:
    pins = dict(
        line.split("==")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    pinned = {canonicalize_name(name): version for name, version in pins.items()}
    needed = closure(ROOTS)
    assert {canonicalize_name(d.metadata["Name"]) for d in needed} <= set(pinned)
    for dist in needed:
        assert pinned[canonicalize_name(dist.metadata["Name"])] == dist.version, dist.metadata[
            "Name"
        ]
    assert "constraints.txt" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_seed_example_is_a_valid_seed() -> None:
    from alertsync.emulator import load_seed

    readme = (ROOT / "README.md").read_text()
    block = readme.split("**The seed**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    seed = load_seed(yaml.safe_load(block))
    assert seed.project_id == 1 and seed.timezone == "Europe/Paris"


# -- several projects: examples/environments -------------------------------------------------

ENVIRONMENTS = ROOT / "examples" / "environments"
ENVIRONMENT_CI = sorted((ENVIRONMENTS / "ci").glob("*.yml"))


def test_environment_ci_files_are_valid_against_their_schemastore_schemas() -> None:
    assert {p.name for p in ENVIRONMENT_CI} == {"github-actions.yml", "gitlab-ci.yml"}
    for name, schema_file in (("github-actions.yml", "github-workflows.json"),):
        schema = store_schema(schema_file)
        validator = jsonschema.validators.validator_for(schema)(schema)
        data = load_yaml(ENVIRONMENTS / "ci" / name)
        assert [e.message for e in validator.iter_errors(data)] == []
    schema = store_schema("gitlab-ci.json")
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert [
        e.message for e in validator.iter_errors(load_yaml(ENVIRONMENTS / "ci" / "gitlab-ci.yml"))
    ] == []


def test_the_environment_workflow_plans_all_in_one_job_and_applies_each_in_its_own() -> None:
    from alertsync.edges.projectfile import load_project

    names = set(load_project(ENVIRONMENTS / "alertsync.toml").names)
    jobs = load_yaml(ENVIRONMENTS / "ci" / "github-actions.yml")["jobs"]
    uses = {
        job: next(s for s in body["steps"] if "alertsync@" in s.get("uses", ""))
        for job, body in jobs.items()
    }
    assert uses["plan"]["with"] == {"command": "plan", "env": "all"}
    applies = {job: step["with"]["env"] for job, step in uses.items() if job != "plan"}
    assert set(applies.values()) == names
    for job, name in applies.items():
        assert uses[job]["with"]["command"] == "apply"
        assert jobs[job]["environment"] == f"posthog-{name}"
        assert jobs[job]["concurrency"]["cancel-in-progress"] is False
        assert list(uses[job]["env"]) == [f"POSTHOG_KEY_{name.upper()}"]  # its key only
    gitlab = load_yaml(ENVIRONMENTS / "ci" / "gitlab-ci.yml")
    assert gitlab["alertsync-plan"]["variables"]["ALERTSYNC_ENV"] == "all"
    applied = {
        body["variables"]["ALERTSYNC_ENV"]
        for job, body in gitlab.items()
        if job.startswith("alertsync-apply")
    }
    assert applied == names


def test_the_environments_example_is_valid_in_every_environment() -> None:
    from alertsync.envflow import Choice, check, choose

    for config in ("alertsync.toml", "emulators.toml"):
        setup = choose(Choice(str(ENVIRONMENTS / config)), (), every=True)
        assert setup is not None and setup.names == ("production", "staging")
        checked = check(setup)
        assert checked.problems == ()
        assert (checked.alert_count("production"), checked.alert_count("staging")) == (4, 3)
