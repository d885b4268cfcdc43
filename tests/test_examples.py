"""The shipped examples are real: CI files parse and call only commands and flags that exist."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from alertsync.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CI_FILES = sorted((ROOT / "examples" / "ci").glob("*.yml"))
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
    assert {p.name for p in CI_FILES} == {"github-actions.yml", "gitlab-ci.yml"}


@pytest.mark.parametrize("path", CI_FILES, ids=lambda p: p.name)
def test_ci_example_calls_only_real_commands_and_flags(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    calls = [argv for text in strings(data) for argv in invocations(text) if argv]
    used = {argv[0] for argv in calls}
    assert {"validate", "plan", "apply"} <= used
    for argv in calls:
        parse(argv)


def test_the_invocation_finder_sees_bad_flags() -> None:
    (argv,) = list(invocations("alertsync plan alerts/ --no-such-flag > plan.md"))
    with pytest.raises(click.UsageError):
        parse(argv)


def test_github_workflow_has_the_pr_and_main_jobs() -> None:
    data = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    assert set(data["jobs"]) == {"plan", "apply"}
    steps = " ".join(strings(data["jobs"]["plan"]["steps"]))
    assert "upload-artifact" in steps and "GITHUB_STEP_SUMMARY" in steps
    assert "updateComment" in steps


def test_pre_commit_hook_calls_validate() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "alertsync validate"
    parse(["validate", "x.yaml"])


def test_the_readme_seed_example_is_a_valid_seed() -> None:
    from alertsync.emulator import load_seed

    readme = (ROOT / "README.md").read_text()
    block = readme.split("**The seed**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    seed = load_seed(yaml.safe_load(block))
    assert seed.project_id == 1 and seed.timezone == "Europe/Paris"


# -- several projects: examples/environments -------------------------------------------------

ENVIRONMENTS = ROOT / "examples" / "environments"
ENVIRONMENT_CI = sorted((ENVIRONMENTS / "ci").glob("*.yml"))


@pytest.mark.parametrize("path", ENVIRONMENT_CI, ids=lambda p: p.name)
def test_environment_ci_plans_every_environment_once_and_applies_each(path: Path) -> None:
    data = yaml.safe_load(path.read_text())
    calls = [argv for text in strings(data) for argv in invocations(text) if argv]
    for argv in calls:
        parse(argv)
    plans = [argv for argv in calls if argv[0] == "plan" and "--all-envs" in argv]
    assert len(plans) == 1 and "--out" in plans[0] and "markdown" in plans[0]
    applies = [argv for argv in calls if argv[0] == "apply"]
    assert applies and all("--env" in argv for argv in applies)
    assert {p.name for p in ENVIRONMENT_CI} == {"github-actions.yml", "gitlab-ci.yml"}


def test_the_environments_example_is_valid_in_every_environment() -> None:
    from alertsync.envflow import Choice, check, choose

    for config in ("alertsync.toml", "emulators.toml"):
        setup = choose(Choice(str(ENVIRONMENTS / config)), (), every=True)
        assert setup is not None and setup.names == ("production", "staging")
        checked = check(setup)
        assert checked.problems == ()
        assert (checked.alert_count("production"), checked.alert_count("staging")) == (4, 3)
