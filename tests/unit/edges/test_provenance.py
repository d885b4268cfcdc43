"""Where a plan was made, from the CI's environment: the commit and the run, or nothing."""

from __future__ import annotations

from alertsync.edges.provenance import from_env
from alertsync.model import Provenance

SHA = "0123456789abcdef0123456789abcdef01234567"
GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SHA": SHA,
    "GITHUB_REF": "refs/pull/7/merge",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/alerts",
    "GITHUB_RUN_ID": "4242",
}


def test_outside_ci_there_is_none() -> None:
    assert from_env({}) is None
    assert from_env({"HOME": "/root", "CI": "true"}) is None


def test_github_actions_gives_the_commit_its_ref_and_the_run() -> None:
    assert from_env(GITHUB) == Provenance(
        SHA,
        "refs/pull/7/merge",
        "https://github.com/acme/alerts/actions/runs/4242",
        "GitHub Actions",
    )
    again = from_env({**GITHUB, "GITHUB_RUN_ATTEMPT": "2"})
    assert again is not None and again.run_url == (
        "https://github.com/acme/alerts/actions/runs/4242/attempts/2"
    )
    first = from_env({**GITHUB, "GITHUB_RUN_ATTEMPT": "1"})
    assert first is not None and first.run_url is not None
    assert first.run_url.endswith("/runs/4242")


def test_gitlab_gives_the_pipeline_else_the_job() -> None:
    env = {
        "GITLAB_CI": "true",
        "CI_COMMIT_SHA": SHA,
        "CI_COMMIT_REF_NAME": "feature/alerts",
        "CI_PIPELINE_URL": "https://gitlab.example.com/acme/alerts/-/pipelines/9",
        "CI_JOB_URL": "https://gitlab.example.com/acme/alerts/-/jobs/77",
    }
    assert from_env(env) == Provenance(
        SHA, "feature/alerts", "https://gitlab.example.com/acme/alerts/-/pipelines/9", "GitLab CI"
    )
    del env["CI_PIPELINE_URL"]
    job = from_env(env)
    assert job is not None and job.run_url == "https://gitlab.example.com/acme/alerts/-/jobs/77"


def test_values_that_do_not_look_like_what_the_ci_sets_are_left_out() -> None:
    odd = from_env(
        {
            **GITHUB,
            "GITHUB_SHA": "not a sha",
            "GITHUB_REF": "line\nbreak",
            "GITHUB_RUN_ID": "12 ; rm",
        }
    )
    assert odd is None  # neither a commit nor a run: nothing worth saying
    env = {"GITLAB_CI": "true", "CI_COMMIT_SHA": SHA, "CI_PIPELINE_URL": "javascript:alert(1)"}
    only_commit = from_env(env)
    assert only_commit == Provenance(SHA, None, None, "GitLab CI")
    spaced = from_env({**env, "CI_PIPELINE_URL": "https://x.example/a b"})
    assert spaced is not None and spaced.run_url is None
