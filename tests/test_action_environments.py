"""The GitHub Action with environments (examples/environments/ci/github-actions.yml), run as
the example workflow runs it, against two emulators and a fake GitHub: one comment plans
every environment; after merge, each environment's job applies only its own reviewed plan."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.actions import REPO, FakeGitHub, Run, run_action, substituted, workflow_step
from tests.builders import ENVIRONMENT_ALERTS, ROOT, STAGING_KEY, project_file

WORKFLOW = ROOT / "examples" / "environments" / "ci" / "github-actions.yml"
READ_ONLY = "phx_emulator_read_only_key"
FULL = "phx_emulator_full_access_key_do_not_use_in_production"
shas = (f"{n:040x}" for n in itertools.count(0xE0C0))


@dataclass
class Environments:
    production: Emulator
    staging: Emulator
    github: FakeGitHub
    api: str
    repo: Path
    tmp: Path

    def context(self) -> dict[str, str]:
        return {
            "secrets.POSTHOG_STAGING_PLAN_KEY": STAGING_KEY,
            "secrets.POSTHOG_PRODUCTION_PLAN_KEY": READ_ONLY,
            "secrets.POSTHOG_WRITE_KEY": "",  # set per job: each environment has its own
        }

    def job(self, name: str, event: dict[str, Any], sha: str, write_key: str = "") -> Run:
        step = workflow_step(name, WORKFLOW)
        context = {**self.context(), "secrets.POSTHOG_WRITE_KEY": write_key}
        env = {**substituted(step["env"], context), "GITHUB_SHA": sha, "GITHUB_API_URL": self.api}
        tmp = self.tmp / f"run-{next(shas)}"
        tmp.mkdir()
        return run_action(substituted(step["with"], context), env, event, tmp, self.repo)

    def edit(self, old: str, new: str) -> None:
        path = self.repo / "alerts" / "alerts.yaml"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def pull_request(self, number: int) -> Run:
        event = {
            "pull_request": {
                "number": number,
                "head": {"sha": next(shas), "repo": {"full_name": REPO}},
                "labels": [],
            }
        }
        return self.job("plan", event, next(shas))

    def merge(self, number: int) -> str:
        sha = next(shas)
        merged = {"number": number, "merged_at": "2026-07-01T12:00:00Z", "merge_commit_sha": sha}
        self.github.pulls[sha] = [{**merged, "labels": []}]
        return sha

    def apply(self, environment: str, sha: str) -> Run:
        key = STAGING_KEY if environment == "staging" else FULL
        return self.job(f"apply-{environment}", {"ref": "refs/heads/main"}, sha, key)

    def marker(self, number: int) -> str:
        (body,) = [b for b in self.github.bodies(number) if b.startswith("<!-- alertsync-plan ")]
        return body.split("\n", 1)[0]

    def names(self, emu: Emulator) -> list[str]:
        return sorted(a["name"] for a in emu.alerts())


@pytest.fixture
def world(emulator: Emulator, staging: Emulator, tmp_path: Path) -> Iterator[Environments]:
    github = FakeGitHub()
    server, url = github.serve()
    repo = tmp_path / "repo"
    (repo / "alerts").mkdir(parents=True)
    (repo / "alerts" / "alerts.yaml").write_text(ENVIRONMENT_ALERTS)
    project_file(repo, {"production": emulator, "staging": staging})
    try:
        yield Environments(emulator, staging, github, url, repo, tmp_path)
    finally:
        server.shutdown()


def test_one_comment_plans_every_environment_then_each_job_applies_its_own(
    world: Environments,
) -> None:
    planned = world.pull_request(7)
    assert planned.code == 0, planned.log
    marker = world.marker(7)
    assert " envs=production:" in marker and ",staging:" in marker
    body = world.github.bodies(7)[0]
    assert body.split("\n", 1)[1].startswith("## alertsync plan: 2 environment(s)")
    sha = world.merge(7)
    staging = world.apply("staging", sha)
    assert staging.code == 0, staging.log
    assert world.names(world.staging) == ["Checkout errors spiking", "Signups dropped"]
    assert world.production.alerts() == []  # its own job applies it
    production = world.apply("production", sha)
    assert production.code == 0, production.log
    assert len(world.production.alerts()) == 3
    again = world.apply("production", sha)
    assert again.code == 0 and "In sync: nothing to apply." in again.log


def test_an_environment_changed_since_the_review_applies_nothing_there_only(
    world: Environments,
) -> None:
    world.pull_request(7)
    world.edit("{bounds: {lower: 5}}", "{bounds: {lower: 1}}")  # staging's, after the review
    sha = world.merge(7)
    refused = world.apply("staging", sha)
    assert refused.code == 1 and "is not the plan reviewed on the pull request" in refused.log
    assert world.staging.alerts() == []
    applied = world.apply("production", sha)  # production's plan is still the reviewed one
    assert applied.code == 0, applied.log
    assert len(world.production.alerts()) == 3


def test_a_failing_environment_leaves_nothing_to_apply_anywhere(world: Environments) -> None:
    world.edit("    environments: [production]\n", "")  # no such insight in staging
    failed = world.pull_request(7)
    assert failed.code == 1
    assert world.marker(7).startswith("<!-- alertsync-plan id=none ")
    assert "no insight with short id 'Kx7pQ2mN' in project 2" in world.github.bodies(7)[0]
    sha = world.merge(7)
    for environment in ("production", "staging"):
        refused = world.apply(environment, sha)
        assert refused.code == 1, refused.log
    assert world.production.alerts() == [] and world.staging.alerts() == []


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        ({"command": "apply", "env": "all"}, "apply works on one environment at a time"),
        ({"command": "plan", "env": "staging; rm -rf /"}, "env must be an environment's name"),
    ],
)
def test_the_env_input_is_checked_first(
    inputs: dict[str, str], error: str, world: Environments
) -> None:
    tmp = world.tmp / f"run-{next(shas)}"
    tmp.mkdir()
    result = run_action(inputs, {"GITHUB_API_URL": world.api}, {}, tmp, world.repo)
    assert result.code == 1 and error in result.log
    assert world.github.requests == []
