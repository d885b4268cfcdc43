"""The GitHub Action, run as the example workflow runs it, against the emulator and a fake
GitHub: the pull request's plan and its comment, and apply after merge, which applies only
the plan whose id was reviewed, applies nothing otherwise, and lets a labelled mass delete
through."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.actions import BOT, REPO, FakeGitHub, Run, run_action, substituted, workflow_step
from tests.builders import alert, post_alert, write

READ_ONLY = "phx_emulator_read_only_key"
FULL = "phx_emulator_full_access_key_do_not_use_in_production"
MASS = "alertsync:allow-mass-delete"
shas = (f"{n:040x}" for n in itertools.count(0xABC0))


@dataclass
class World:
    emu: Emulator
    github: FakeGitHub
    api: str
    repo: Path
    tmp: Path
    inputs: dict[str, str] = field(default_factory=dict)  # the action's, over the workflow's

    def context(self, **inputs: str) -> dict[str, str]:
        return {
            "vars.POSTHOG_HOST": self.emu.base_url,
            "vars.POSTHOG_PROJECT_ID": str(self.emu.project_id),
            "secrets.POSTHOG_PLAN_API_KEY": READ_ONLY,
            "secrets.POSTHOG_PERSONAL_API_KEY": FULL,
            **{f"inputs.{k}": v for k, v in inputs.items()},
        }

    def job(self, name: str, event: dict[str, Any], sha: str, **inputs: str) -> Run:
        step = workflow_step(name)
        context = self.context(**inputs)
        env = {**substituted(step["env"], context), "GITHUB_SHA": sha, "GITHUB_API_URL": self.api}
        tmp = self.tmp / f"run-{next(shas)}"
        tmp.mkdir()
        given = {**substituted(step["with"], context), **self.inputs}
        return run_action(given, env, event, tmp, self.repo)

    def files(self, *alerts: dict[str, Any]) -> None:
        write(self.repo / "alerts" / "alerts.yaml", {"alerts": list(alerts)})

    def pull_request(self, number: int, labels: tuple[str, ...] = (), fork: bool = False) -> Run:
        head = next(shas)
        event = {
            "pull_request": {
                "number": number,
                "head": {"sha": head, "repo": {"full_name": "someone/alerts" if fork else REPO}},
                "labels": [{"name": label} for label in labels],
            }
        }
        return self.job("plan", event, next(shas))

    def merge(self, number: int, labels: tuple[str, ...] = ()) -> str:
        sha = next(shas)
        merged = {"number": number, "merged_at": "2026-07-01T12:00:00Z", "merge_commit_sha": sha}
        self.github.pulls[sha] = [{**merged, "labels": [{"name": x} for x in labels]}]
        return sha

    def apply(self, sha: str, **inputs: str) -> Run:
        return self.job("apply", {"ref": "refs/heads/main"}, sha, **inputs)

    def names(self) -> list[str]:
        return sorted(a["name"] for a in self.emu.alerts())

    def writes(self) -> list[str]:
        return [r.method for r in self.emu.requests if r.method not in ("GET", "HEAD")]


@pytest.fixture
def world(emulator: Emulator, tmp_path: Path) -> Iterator[World]:
    github = FakeGitHub()
    server, url = github.serve()
    (tmp_path / "repo" / "alerts").mkdir(parents=True)
    try:
        yield World(emulator, github, url, tmp_path / "repo", tmp_path)
    finally:
        server.shutdown()


def marker(world: World, number: int) -> str:
    (body,) = [b for b in world.github.bodies(number) if b.startswith("<!-- alertsync-plan ")]
    return body.split("\n", 1)[0]


def test_the_pull_request_plan_is_one_comment_with_its_id_in_the_marker(world: World) -> None:
    world.files(alert("Signups"))
    first = world.pull_request(7)
    assert first.code == 0, first.log
    plan_id = first.outputs["plan"]["plan-id"]
    assert len(plan_id) == 16 and first.outputs["plan"]["changes"] == "true"
    assert marker(world, 7).startswith(f"<!-- alertsync-plan id={plan_id} approvals=none head=")
    body = world.github.bodies(7)[0]
    assert body.split("\n", 1)[1].startswith("### alertsync plan")
    assert f"`{plan_id}`" in body and "### alertsync plan" in first.summary
    world.files(alert("Signups"), alert("Revenue", insight="Kx7pQ2mN"))
    second = world.pull_request(7)  # a push: the same comment, updated
    assert len(world.github.bodies(7)) == 1
    assert second.outputs["plan"]["plan-id"] in marker(world, 7)
    assert world.writes() == []  # the read-only key never wrote


def test_the_comment_says_where_the_plan_was_made_and_the_whole_plan_is_kept_as_text(
    world: World,
) -> None:
    world.files(alert("Signups"), alert("Revenue", insight="Kx7pQ2mN"))
    planned = world.pull_request(7)
    assert planned.code == 0, planned.log
    body = world.github.bodies(7)[0]
    (plan_json,) = world.tmp.glob("run-*/alertsync/plan.json")
    sha = json.loads(plan_json.read_text())["provenance"]["commit"]
    run = "https://github.com/acme/alerts/actions/runs/4242"
    assert f"Made from commit `{sha}` by [a GitHub Actions run]({run})." in body
    assert "approvals: none" in body
    # the table of every change opens the plan
    assert "| \N{HEAVY PLUS SIGN} | `Signups` | new | |" in body
    text = (plan_json.parent / "plan.txt").read_text()
    plan_id = planned.outputs["plan"]["plan-id"]
    assert f"Plan id: {plan_id}" in text and "+ create 'Revenue'" in text
    assert "\x1b[" not in text  # no colour in the artifact


def test_a_bad_alert_file_gets_alertsync_s_own_failure_comment(world: World) -> None:
    world.files(alert("Broken", calculation_interval="sometimes"))
    failed = world.pull_request(8)
    assert failed.code == 1
    assert "id=none" in marker(world, 8)
    comment = world.github.bodies(8)[0].split("\n", 1)[1]
    assert comment.startswith(
        "### alertsync plan failed\n\nalertsync could not make a plan, so there is nothing to "
        "review or apply from this run.\n"
    )
    assert "- `alerts/alerts.yaml:" in comment and "`alerts[0].calculation_interval`:" in comment
    assert "```" not in comment  # listed as markdown, not stderr in a code block
    assert "Made from commit `" in comment
    assert comment in failed.summary and "alerts/alerts.yaml:" in failed.log  # stderr too
    assert not list(world.tmp.glob("run-*/alertsync/plan.txt"))


def test_when_alertsync_prints_no_markdown_the_comment_tells_its_stderr(world: World) -> None:
    world.files(alert("Signups"))
    world.inputs["paths"] = "alerts/ --no-such-flag"  # alertsync exits before any markdown
    failed = world.pull_request(9)
    assert failed.code == 1
    comment = world.github.bodies(9)[0].split("\n", 1)[1]
    assert comment.startswith("### alertsync plan failed\n\nalertsync could not make a plan")
    assert "```text\n" in comment and "No such option '--no-such-flag'" in comment


def test_apply_after_merge_applies_the_reviewed_plan(world: World) -> None:
    world.files(alert("Signups"))
    world.pull_request(7)
    applied = world.apply(world.merge(7))
    assert applied.code == 0, applied.log
    assert world.names() == ["Signups"]
    assert applied.outputs["reviewed"]["id"] in marker(world, 7)
    assert "1 created" in applied.summary or "Signups" in applied.summary
    again = world.apply(world.merge(7))  # a re-run: in sync, nothing to apply
    assert again.code == 0 and "In sync: nothing to apply." in again.log


def test_a_plan_that_is_not_the_reviewed_one_applies_nothing(world: World) -> None:
    world.files(alert("Signups"))
    world.pull_request(7)
    world.files(alert("Signups"), alert("Sneaked in", insight="Kx7pQ2mN"))  # after review
    refused = world.apply(world.merge(7))
    assert refused.code == 1
    assert "is not the plan reviewed on the pull request" in refused.log
    assert world.writes() == [] and world.names() == []
    posted = [b for b in world.github.bodies(7) if b.startswith("<!-- alertsync-unreviewed-plan")]
    assert len(posted) == 1 and "Sneaked in" in posted[0] and "Nothing was applied" in posted[0]
    rerun = world.apply(world.merge(7))  # the posted fresh plan never counts as reviewed
    assert rerun.code == 1 and world.names() == []


def test_live_changes_since_the_review_also_mean_a_different_plan(world: World) -> None:
    world.files(alert("Signups"))
    world.pull_request(7)
    live = alert("Made in the UI", insight=101, subscribed_users=[1])
    post_alert(world.emu, {**live, "config": {"type": "TrendsAlertConfig", "series_index": 0}})
    before = len(world.writes())
    refused = world.apply(world.merge(7))
    assert refused.code == 1 and len(world.writes()) == before
    assert world.names() == ["Made in the UI"]


def test_no_reviewed_plan_applies_nothing(world: World) -> None:
    world.files(alert("Signups"))
    refused = world.apply(next(shas))  # pushed straight to main: no pull request
    assert refused.code == 1 and "No reviewed plan was found" in refused.log
    assert world.names() == []


def test_a_comment_by_anyone_else_is_never_the_reviewed_plan(world: World) -> None:
    world.files(alert("Signups"))
    planned = world.pull_request(7)
    real = marker(world, 7)
    world.github.comments[7] = []  # only a forged copy is left
    world.github.comment(7, f"{real}\n### alertsync plan", login="mallory")
    refused = world.apply(world.merge(7))
    assert refused.code == 1 and world.names() == []
    assert planned.outputs["plan"]["plan-id"] in real


def test_the_reviewed_comment_is_found_past_the_first_page(world: World) -> None:
    for n in range(10):
        world.github.comment(7, f"comment {n}", login="reviewer")
    world.files(alert("Signups"))
    world.pull_request(7)
    applied = world.apply(world.merge(7))
    assert applied.code == 0, applied.log
    pages = [p for m, p in world.github.requests if m == "GET" and "/issues/7/comments" in p]
    assert any("page=4" in p for p in pages)


def live_alerts(world: World, count: int) -> None:
    for n in range(count):
        body = alert(f"Old {n:02}", insight=101, subscribed_users=[1])
        post_alert(world.emu, {**body, "config": {"type": "TrendsAlertConfig", "series_index": 0}})


def test_a_mass_delete_approved_by_label_is_applied_after_merge(world: World) -> None:
    live_alerts(world, 12)
    world.files(alert("Signups"))  # deletes all 12: over --max-deletes
    planned = world.pull_request(9, labels=(MASS,))
    assert planned.code == 0, planned.log
    assert "approvals=allow-mass-delete " in marker(world, 9)
    body = world.github.bodies(9)[0]
    assert "`--allow-mass-delete` (needed: it deletes 12 alert(s), more than --max-deletes" in body
    applied = world.apply(world.merge(9, labels=(MASS,)))
    assert applied.code == 0, applied.log
    assert applied.outputs["reviewed"]["flags"] == "--allow-mass-delete"
    assert world.names() == ["Signups"]


def test_a_mass_delete_without_the_label_is_refused_on_the_pull_request(world: World) -> None:
    live_alerts(world, 12)
    world.files(alert("Signups"))
    refused = world.pull_request(9)
    assert refused.code == 1
    assert "id=none" in marker(world, 9) and "allow-mass-delete" in world.github.bodies(9)[0]


def test_a_label_removed_before_merge_takes_the_approval_back(world: World) -> None:
    live_alerts(world, 12)
    world.files(alert("Signups"))
    world.pull_request(9, labels=(MASS,))
    refused = world.apply(world.merge(9))  # merged without the label
    assert refused.code == 1 and "planning the merged files failed" in refused.log
    assert len(world.names()) == 12


def test_a_plan_posted_after_a_refusal_can_be_applied_by_its_id(world: World) -> None:
    world.files(alert("Signups"))
    refused = world.apply(next(shas))
    assert refused.code == 1
    fresh = json.loads((world.tmp.glob("run-*/alertsync/fresh.json").__next__()).read_text())
    plan_id = fresh["id"].removeprefix("sha256:")[:16]
    wrong = world.apply(next(shas), **{"plan-id": "0" * 16})
    assert wrong.code == 1 and world.names() == []
    applied = world.apply(next(shas), **{"plan-id": plan_id})  # a dispatch, after review
    assert applied.code == 0, applied.log
    assert world.names() == ["Signups"]


def test_a_fork_gets_a_comment_instead_of_a_failure(world: World) -> None:
    world.files(alert("Signups"))
    world.github.refuse_writes = True  # a fork's token is read-only
    step_context = world.context()
    step_context["secrets.POSTHOG_PLAN_API_KEY"] = ""  # no secrets for forks
    forked = World(world.emu, world.github, world.api, world.repo, world.tmp)
    forked.context = lambda **inputs: step_context  # type: ignore[method-assign]
    result = forked.pull_request(11, fork=True)
    assert result.code == 0, result.log
    assert "comes from a fork" in result.summary
    assert "could not comment on the pull request" in result.log
    world.github.refuse_writes = False
    result = forked.pull_request(11, fork=True)  # where the token may comment, it does
    assert any("comes from a fork" in b for b in world.github.bodies(11))
    same_repo = forked.pull_request(12)  # no key in the base repository is an error
    assert same_repo.code == 1 and "is empty" in same_repo.log
    assert world.writes() == [] and BOT
