"""The GitLab template's jobs, run as a runner would (their scripts in bash with
`set -eo pipefail`, the install lines left out: the test environment is the install)
against the emulator and a fake GitLab API: one merge request note updated in place, found
again past the first page of notes, and only for the merge request's own last commit."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.actions import load_yaml
from tests.builders import ENVIRONMENT_ALERTS, STAGING_KEY, alert, project_file, write

TEMPLATE = Path(__file__).resolve().parent.parent / "examples" / "ci" / "gitlab-ci.yml"
BOT = "project_5_bot"
shas = (f"{n:040x}" for n in itertools.count(0xF00))


@dataclass
class FakeGitLab:
    notes: list[dict[str, Any]] = field(default_factory=list)
    mrs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # commit -> MRs
    pages: list[str] = field(default_factory=list)

    def note(self, body: str, user: str = BOT) -> None:
        self.notes.append({"id": len(self.notes) + 1, "body": body, "author": {"username": user}})

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def answer(self, body: Any, next_page: str = "") -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Next-Page", next_page)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                if path == "/api/v4/user":
                    return self.answer({"username": BOT})
                found = re.fullmatch(
                    r"/api/v4/projects/5/repository/commits/(\w+)/merge_requests", path
                )
                if found:
                    return self.answer(fake.mrs.get(found.group(1), []))
                page = int(dict(p.split("=") for p in query.split("&")).get("page", "1"))
                fake.pages.append(query)
                chunk = fake.notes[(page - 1) * 100 : page * 100]
                return self.answer(chunk, str(page + 1) if len(fake.notes) > page * 100 else "")

            def write(self) -> dict[str, Any]:
                loaded: dict[str, Any] = json.loads(
                    self.rfile.read(int(self.headers["Content-Length"]))
                )
                return loaded

            def do_POST(self) -> None:
                fake.note(self.write()["body"])
                self.answer({})

            def do_PUT(self) -> None:
                note_id = int(self.path.rsplit("/", 1)[1])
                fake.notes[note_id - 1]["body"] = self.write()["body"]
                self.answer({})

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_port}/api/v4"


@dataclass
class Project:
    emu: Emulator
    gitlab: FakeGitLab
    api: str
    dir: Path

    def job(self, name: str, **env: str) -> subprocess.CompletedProcess[str]:
        data = load_yaml(TEMPLATE)
        job, base = data[f".alertsync-{name}"], data[".alertsync"]
        keep = [
            line for line in base["before_script"] if not re.match(r"(pip|python -m venv)", line)
        ]
        script = "\n".join(keep + job["script"])
        variables = {**base["variables"], **job["variables"]}
        variables["ALERTSYNC_WORK"] = str(self.dir / ".alertsync")
        keys = {"$POSTHOG_PLAN_API_KEY": "phx_emulator_read_only_key"}
        keys["$POSTHOG_WRITE_API_KEY"] = "phx_emulator_full_access_key_do_not_use_in_production"
        variables["POSTHOG_PERSONAL_API_KEY"] = keys[variables["POSTHOG_PERSONAL_API_KEY"]]
        full = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.dir),
            "CI_API_V4_URL": self.api,
            "CI_PROJECT_ID": "5",
            "GITLAB_API_TOKEN": "glpat-test",
            "POSTHOG_HOST": self.emu.base_url,
            "POSTHOG_PROJECT_ID": str(self.emu.project_id),
            **variables,
            **env,
        }
        return subprocess.run(
            ["bash", "-eo", "pipefail", "-c", script],
            cwd=self.dir,
            env=full,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def merge_request_pipeline(
        self, head: str, labels: str = ""
    ) -> subprocess.CompletedProcess[str]:
        return self.job(
            "plan",
            CI_MERGE_REQUEST_IID="3",
            CI_COMMIT_SHA=head,
            CI_MERGE_REQUEST_LABELS=labels,
        )

    def merged(self, head: str) -> str:
        merge = next(shas)
        self.gitlab.mrs[merge] = [
            {"iid": 3, "state": "merged", "sha": head, "merge_commit_sha": merge, "labels": []}
        ]
        return merge


@pytest.fixture
def project(emulator: Emulator, tmp_path: Path) -> Iterator[Project]:
    gitlab = FakeGitLab()
    server, url = gitlab.serve()
    (tmp_path / "alerts").mkdir()
    try:
        yield Project(emulator, gitlab, url, tmp_path)
    finally:
        server.shutdown()


def test_the_reviewed_note_is_found_among_hundreds_and_applied(project: Project) -> None:
    for n in range(250):
        project.gitlab.note(f"review comment {n}", user="reviewer")
    write(project.dir / "alerts" / "a.yaml", {"alerts": [alert("Signups")]})
    head = next(shas)
    planned = project.merge_request_pipeline(head)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    again = project.merge_request_pipeline(head)  # a new pipeline: the same note, updated
    assert again.returncode == 0
    ours = [n for n in project.gitlab.notes if n["body"].startswith("<!-- alertsync-plan ")]
    assert len(ours) == 1 and ours[0]["id"] == 251 and f"head={head}" in ours[0]["body"]
    assert any("page=3" in q for q in project.gitlab.pages)
    applied = project.job("apply", CI_COMMIT_SHA=project.merged(head))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert [a["name"] for a in project.emu.alerts()] == ["Signups"]


def test_a_note_for_another_commit_of_the_merge_request_is_not_the_review(
    project: Project,
) -> None:
    write(project.dir / "alerts" / "a.yaml", {"alerts": [alert("Signups")]})
    project.merge_request_pipeline(next(shas))  # planned on an earlier commit only
    refused = project.job("apply", CI_COMMIT_SHA=project.merged(next(shas)))
    assert refused.returncode == 1 and "No reviewed plan" in refused.stdout
    assert project.emu.alerts() == []
    assert project.gitlab.notes[-1]["body"].startswith("<!-- alertsync-unreviewed-plan -->")


def test_a_plan_that_changed_after_review_applies_nothing(project: Project) -> None:
    write(project.dir / "alerts" / "a.yaml", {"alerts": [alert("Signups")]})
    head = next(shas)
    project.merge_request_pipeline(head)
    write(project.dir / "alerts" / "b.yaml", {"alerts": [alert("Later", insight="Kx7pQ2mN")]})
    refused = project.job("apply", CI_COMMIT_SHA=project.merged(head))
    assert refused.returncode == 1 and "is not the plan reviewed" in refused.stdout
    assert project.emu.alerts() == []


def test_the_whole_plan_is_kept_as_text_beside_the_note(project: Project) -> None:
    write(project.dir / "alerts" / "a.yaml", {"alerts": [alert("Signups")]})
    planned = project.merge_request_pipeline(next(shas))
    assert planned.returncode == 0, planned.stdout + planned.stderr
    data = load_yaml(TEMPLATE)
    assert ".alertsync/plan.txt" in data[".alertsync-plan"]["artifacts"]["paths"]
    text = (project.dir / ".alertsync" / "plan.txt").read_text()
    plan_id = json.loads((project.dir / ".alertsync" / "plan.json").read_text())["id"]
    assert "+ create 'Signups'" in text and f"Plan id: {plan_id[7:23]}" in text


def test_a_bad_alert_file_gets_alertsync_s_own_failure_note(project: Project) -> None:
    write(project.dir / "alerts" / "a.yaml", {"alerts": [alert("Broken", calculation_interval=1)]})
    failed = project.merge_request_pipeline(next(shas))
    assert failed.returncode == 1
    (note,) = [n["body"] for n in project.gitlab.notes]
    text = note.split("\n", 1)[1]
    assert text.startswith("### alertsync plan failed\n\nalertsync could not make a plan")
    assert "- `alerts/a.yaml:" in text and "`alerts[0].calculation_interval`:" in text
    assert not (project.dir / ".alertsync" / "plan.txt").exists()


# -- several projects: the template's jobs with examples/environments/ci/gitlab-ci.yml -------

ENVIRONMENTS = TEMPLATE.parent.parent / "environments" / "ci" / "gitlab-ci.yml"
PROD_KEY = "phx_emulator_full_access_key_do_not_use_in_production"


@dataclass
class EnvProject:
    production: Emulator
    staging: Emulator
    gitlab: FakeGitLab
    api: str
    dir: Path

    def job(self, name: str, **env: str) -> subprocess.CompletedProcess[str]:
        """The example's job `name`: the template's hidden job it extends, its variables."""
        data, example = load_yaml(TEMPLATE), load_yaml(ENVIRONMENTS)
        kind = "plan" if name == "alertsync-plan" else "apply"
        job, base = data[f".alertsync-{kind}"], data[".alertsync"]
        keep = [
            line for line in base["before_script"] if not re.match(r"(pip|python -m venv)", line)
        ]
        variables = {**base["variables"], **job["variables"], **example[name]["variables"]}
        keys = {
            "$POSTHOG_STAGING_PLAN_API_KEY": STAGING_KEY,
            "$POSTHOG_PRODUCTION_PLAN_API_KEY": "phx_emulator_read_only_key",
            "$POSTHOG_STAGING_WRITE_API_KEY": STAGING_KEY,
            "$POSTHOG_PRODUCTION_WRITE_API_KEY": PROD_KEY,
        }
        variables = {k: keys.get(v, v) for k, v in variables.items()}
        variables.pop("POSTHOG_PERSONAL_API_KEY")  # the template's single key: not used here
        variables["ALERTSYNC_WORK"] = str(self.dir / ".alertsync")
        full = {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.dir),
            "CI_API_V4_URL": self.api,
            "CI_PROJECT_ID": "5",
            "GITLAB_API_TOKEN": "glpat-test",
            **variables,
            **env,
        }
        return subprocess.run(
            ["bash", "-eo", "pipefail", "-c", "\n".join(keep + job["script"])],
            cwd=self.dir,
            env=full,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def merged(self, head: str) -> str:
        merge = next(shas)
        self.gitlab.mrs[merge] = [
            {"iid": 3, "state": "merged", "sha": head, "merge_commit_sha": merge, "labels": []}
        ]
        return merge


@pytest.fixture
def envs_project(emulator: Emulator, staging: Emulator, tmp_path: Path) -> Iterator[EnvProject]:
    gitlab = FakeGitLab()
    server, url = gitlab.serve()
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "alerts.yaml").write_text(ENVIRONMENT_ALERTS)
    project_file(tmp_path, {"production": emulator, "staging": staging})
    try:
        yield EnvProject(emulator, staging, gitlab, url, tmp_path)
    finally:
        server.shutdown()


def test_one_note_plans_every_environment_and_each_job_applies_its_own(
    envs_project: EnvProject,
) -> None:
    p = envs_project
    head = next(shas)
    planned = p.job("alertsync-plan", CI_MERGE_REQUEST_IID="3", CI_COMMIT_SHA=head)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    (note,) = [n["body"] for n in p.gitlab.notes]
    first, text = note.split("\n", 1)
    assert " envs=production:" in first and ",staging:" in first
    assert text.startswith("## alertsync plan: 2 environment(s)")
    merge = p.merged(head)
    staging = p.job("alertsync-apply", CI_COMMIT_SHA=merge)
    assert staging.returncode == 0, staging.stdout + staging.stderr
    assert len(p.staging.alerts()) == 2 and p.production.alerts() == []
    production = p.job("alertsync-apply-production", CI_COMMIT_SHA=merge)
    assert production.returncode == 0, production.stdout + production.stderr
    assert len(p.production.alerts()) == 3


def test_an_environment_changed_after_review_applies_nothing_there(
    envs_project: EnvProject,
) -> None:
    p = envs_project
    head = next(shas)
    p.job("alertsync-plan", CI_MERGE_REQUEST_IID="3", CI_COMMIT_SHA=head)
    path = p.dir / "alerts" / "alerts.yaml"
    path.write_text(path.read_text().replace("{bounds: {lower: 5}}", "{bounds: {lower: 1}}"))
    merge = p.merged(head)
    refused = p.job("alertsync-apply", CI_COMMIT_SHA=merge)
    assert refused.returncode == 1 and "is not the plan reviewed" in refused.stdout
    assert p.staging.alerts() == []
    applied = p.job("alertsync-apply-production", CI_COMMIT_SHA=merge)
    assert applied.returncode == 0, applied.stdout + applied.stderr
