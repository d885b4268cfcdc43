"""Where a plan is being made: the commit and the CI run, from the CI's environment.

GitHub Actions: `GITHUB_SHA` (on a pull request, the test merge of the pull request into its
base, which `GITHUB_REF` names, e.g. `refs/pull/7/merge`), and the run at
`GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID` (its attempt, after a
re-run). GitLab CI: `CI_COMMIT_SHA`, `CI_COMMIT_REF_NAME`, and `CI_PIPELINE_URL` (else
`CI_JOB_URL`). A value that does not look like what the CI sets is left out rather than
shown: these lines end up in a pull-request comment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from alertsync.model import Provenance

COMMIT = re.compile(r"[0-9a-fA-F]{7,64}")
URL = re.compile(r"https?://[^\s<>\"'`\\]{1,2000}")
REF = re.compile(r"[^\x00-\x1f\x7f]{1,255}")


def from_env(env: Mapping[str, str]) -> Provenance | None:
    """The plan's provenance when it is made in GitHub Actions or GitLab CI, else None."""
    if env.get("GITHUB_ACTIONS") == "true" or env.get("GITHUB_RUN_ID"):
        return _kept(
            "GitHub Actions", env.get("GITHUB_SHA"), env.get("GITHUB_REF"), _github_run(env)
        )
    if env.get("GITLAB_CI") == "true" or env.get("CI_PIPELINE_URL") or env.get("CI_JOB_URL"):
        run = env.get("CI_PIPELINE_URL") or env.get("CI_JOB_URL")
        return _kept("GitLab CI", env.get("CI_COMMIT_SHA"), env.get("CI_COMMIT_REF_NAME"), run)
    return None


def _github_run(env: Mapping[str, str]) -> str | None:
    parts = [env.get(k, "").strip("/") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY")]
    run_id = env.get("GITHUB_RUN_ID", "")
    if not all(parts) or not run_id.isdigit():
        return None
    url = f"{parts[0]}/{parts[1]}/actions/runs/{run_id}"
    attempt = env.get("GITHUB_RUN_ATTEMPT", "")
    return f"{url}/attempts/{attempt}" if attempt.isdigit() and int(attempt) > 1 else url


def _kept(ci: str, commit: str | None, ref: str | None, run: str | None) -> Provenance | None:
    found = Provenance(
        commit=commit.lower() if commit and COMMIT.fullmatch(commit) else None,
        ref=ref if ref and REF.fullmatch(ref) else None,
        run_url=run if run and URL.fullmatch(run) else None,
        ci=ci,
    )
    return found if found.commit or found.run_url else None
