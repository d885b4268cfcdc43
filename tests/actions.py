"""Running the GitHub Action as GitHub would, on loopback: a fake GitHub REST API (pull
requests, their comments, paged with `Link` headers) and a small runner for the composite
action's `run` steps (inputs and step outputs substituted, `bash -eo pipefail`, the GITHUB_*
files), so tests exercise action.yml's own scripts against the emulator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
BOT = "github-actions[bot]"
REPO = "acme/alerts"
PAGE = 3  # comments a page: small, so that every listing is followed through its pages


@dataclass
class FakeGitHub:
    """The REST endpoints the action calls, with the state a test sets up."""

    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # commit sha -> PRs
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # PR -> comments
    requests: list[tuple[str, str]] = field(default_factory=list)
    refuse_writes: bool = False  # a fork's read-only token
    _next_id: int = 1000

    def comment(self, number: int, body: str, login: str = BOT) -> None:
        self._next_id += 1
        entry = {"id": self._next_id, "user": {"login": login}, "body": body}
        self.comments.setdefault(number, []).append(entry)

    def bodies(self, number: int) -> list[str]:
        return [c["body"] for c in self.comments.get(number, [])]

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def answer(self, status: int, body: Any, link: str = "") -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if link:
                    self.send_header("Link", link)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                fake.requests.append(("GET", self.path))
                path, _, query = self.path.partition("?")
                found = re.fullmatch(rf"/repos/{REPO}/commits/(\w+)/pulls", path)
                if found:
                    return self.answer(200, fake.pulls.get(found.group(1), []))
                found = re.fullmatch(rf"/repos/{REPO}/issues/(\d+)/comments", path)
                if not found:
                    return self.answer(404, {"message": "Not Found"})
                page = int(dict(p.split("=") for p in query.split("&") if p).get("page", "1"))
                every = fake.comments.get(int(found.group(1)), [])
                chunk = every[(page - 1) * PAGE : page * PAGE]
                more = len(every) > page * PAGE
                base = f"http://{self.headers['Host']}{path}?per_page=100&page={page + 1}"
                return self.answer(200, chunk, f'<{base}>; rel="next"' if more else "")

            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length", "0"))
                loaded: dict[str, Any] = json.loads(self.rfile.read(length))
                return loaded

            def do_POST(self) -> None:
                fake.requests.append(("POST", self.path))
                body = self._body()
                found = re.fullmatch(rf"/repos/{REPO}/issues/(\d+)/comments", self.path)
                if fake.refuse_writes or not found:
                    return self.answer(403, {"message": "Resource not accessible by integration"})
                fake.comment(int(found.group(1)), body["body"])
                return self.answer(201, {})

            def do_PATCH(self) -> None:
                fake.requests.append(("PATCH", self.path))
                body = self._body()
                found = re.fullmatch(rf"/repos/{REPO}/issues/comments/(\d+)", self.path)
                if fake.refuse_writes or not found:
                    return self.answer(403, {"message": "Resource not accessible by integration"})
                for comments in fake.comments.values():
                    for comment in comments:
                        if comment["id"] == int(found.group(1)):
                            comment["body"] = body["body"]
                return self.answer(200, {})

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_port}"


def load_yaml(path: Path) -> Any:
    """GitHub reads YAML 1.2: `on:` is a key, not `true`."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return yaml.load(path.read_text(), Loader)  # a SafeLoader, YAML 1.2 booleans


@dataclass
class Run:
    code: int
    log: str
    outputs: dict[str, dict[str, str]]
    summary: str


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, context: dict[str, str]) -> str:
    """The few expression forms the action and the workflow use: a name, `a || 'literal'`,
    `a && 'literal' || 'other'`."""

    def term(part: str) -> str:
        part = part.strip()
        return part.strip("'") if part.startswith("'") else context.get(part, "")

    def one(match: re.Match[str]) -> str:
        for option in match.group(1).split("||"):
            terms = [term(t) for t in option.split("&&")]
            if all(t and t != "false" for t in terms):
                return terms[-1]
        return ""

    return EXPRESSION.sub(one, text)


def condition(text: str | None, context: dict[str, str]) -> bool:
    """`a == 'x' && b != ''`: the only `if:` forms action.yml uses."""
    if not text:
        return True
    for clause in text.split("&&"):
        name, op, literal = re.fullmatch(r"\s*(\S+)\s*(==|!=)\s*'([^']*)'\s*", clause).groups()  # type: ignore[union-attr]
        if (context.get(name, "") == literal) != (op == "=="):
            return False
    return True


def run_action(
    inputs: dict[str, str], env: dict[str, str], event: dict[str, Any], tmp: Path, cwd: Path
) -> Run:
    """The action's `run` steps in order, as a runner would (the install step is the test
    environment itself; `uses:` steps are recorded by their outputs' conditions only)."""
    action = load_yaml(ACTION)
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in inputs.items()})
    context.update({"runner.temp": str(tmp), "github.token": "gh-token"})
    event_file = tmp / "event.json"
    event_file.write_text(json.dumps(event))
    summary, log, outputs = tmp / "summary.md", [], {}
    (tmp / "alertsync").mkdir(exist_ok=True)
    bin_dir = str(Path(sys.executable).parent)  # alertsync and python, as the venv gives them
    for step in action["runs"]["steps"]:
        if "run" not in step or step["name"].startswith("Install"):
            continue
        if not condition(step.get("if"), context):
            continue
        output_file = tmp / f"output-{step.get('id', 'x')}"
        output_file.write_text("")
        step_env = {k: evaluate(str(v), context) for k, v in step.get("env", {}).items()}
        full_env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp),
            "RUNNER_TEMP": str(tmp),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_EVENT_PATH": str(event_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(tmp / "path"),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_ACTIONS": "true",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_RUN_ID": "4242",
            **env,
            **step_env,
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            env=full_env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        log.append(f"== {step['name']} ({done.returncode})\n{done.stdout}{done.stderr}")
        values = dict(
            line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line
        )
        outputs[step.get("id", step["name"])] = values
        context.update({f"steps.{step.get('id')}.outputs.{k}": v for k, v in values.items()})
        if done.returncode != 0:
            return Run(done.returncode, "\n".join(log), outputs, _read(summary))
    return Run(0, "\n".join(log), outputs, _read(summary))


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def workflow_step(job: str, workflow: Path = WORKFLOW) -> dict[str, Any]:
    """The workflow job's step that uses this action."""
    steps = load_yaml(workflow)["jobs"][job]["steps"]
    found: dict[str, Any] = next(s for s in steps if "alertsync@" in s.get("uses", ""))
    return found


def substituted(values: dict[str, Any], context: dict[str, str]) -> dict[str, str]:
    """A workflow step's `with:` or `env:`, with its `vars.`, `secrets.` and `inputs.`."""
    return {k: evaluate(str(v), context) for k, v in values.items()}
