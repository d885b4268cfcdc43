"""The pre-commit hook, in a normal repository: `pre-commit try-repo` of this repository in a
scratch repository that also holds a GitHub workflow and a docker-compose file. The hook is
`language: python`, so pre-commit pip-installs this repository into an environment of its
own: offline here, from the tests' wheelhouse."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.builders import TRENDS
from tests.wheelhouse import offline_pip

ROOT = Path(__file__).resolve().parent.parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def hook() -> dict[str, object]:
    (found,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(found, dict)
    return found


def test_the_hook_validates_the_set_once_and_claims_only_alert_files() -> None:
    h = hook()
    assert h["entry"] == "alertsync validate" and h["language"] == "python"
    assert h["pass_filenames"] is False and h["require_serial"] is True
    assert h["args"] == ["alerts/"]
    files = re.compile(str(h["files"]))
    assert files.search("alerts/growth.yaml") and files.search("alerts/team/a.yml")
    for other in (".github/workflows/ci.yml", "docker-compose.yml", "k8s/deploy.yaml"):
        assert not files.search(other), other


def test_the_readme_config_for_several_teams_claims_only_their_directories() -> None:
    readme = (ROOT / "README.md").read_text().split("**pre-commit:**", 1)[1]
    blocks = [yaml.safe_load(b.split("```", 1)[0]) for b in readme.split("```yaml\n")[1:3]]
    one, several = (b["repos"][0]["hooks"][0] for b in blocks)
    assert one["id"] == several["id"] == "alertsync-validate"
    files = re.compile(several["files"])
    assert len(several["args"]) >= 2
    for directory in several["args"]:
        assert files.search(f"{directory.rstrip('/')}/alerts.yaml"), directory
    assert not files.search(".github/workflows/ci.yml") and not files.search("compose.yaml")


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=ENV)


ENV = {**os.environ, **GIT_IDENTITY}


def try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "alertsync-validate"]
    return subprocess.run(
        [*command, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_try_repo_passes_a_normal_repository_then_flags_a_bad_alert_file(
    tmp_path: Path, wheelhouse: Path
) -> None:
    repo = tmp_path / "scratch"
    (repo / "alerts").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "alerts" / "growth.yaml").write_text(TRENDS.read_text())
    (repo / ".github" / "workflows" / "ci.yml").write_text("name: ci\non: push\njobs: {}\n")
    (repo / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx:1\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    env = {
        **ENV,
        **offline_pip(wheelhouse),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    passed = try_repo(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"alertsync validate\.+Passed", passed.stdout)

    (repo / "alerts" / "broken.yaml").write_text("alerts:\n  - name: Broken\n    insight: 7\n")
    git(repo, "add", "-A")
    failed = try_repo(repo, env)
    assert failed.returncode == 1
    assert re.search(r"alertsync validate\.+Failed", failed.stdout)
    assert "alerts/broken.yaml:2:" in failed.stdout
    assert "problem(s) in 1 file(s)" in failed.stdout
