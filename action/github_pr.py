"""The GitHub side of the alertsync action: the plan comment on a pull request, and the
plan id reviewed there, found again after merge. Standard library only; run by action.yml.

    python github_pr.py approvals        the approval flags the pull request's labels give
    python github_pr.py plan-comment     post or update the plan comment; summary; outputs
    python github_pr.py no-key           a fork's pull request (no secrets): say so, exit 0
    python github_pr.py fork             exit 0 (notice posted) for a fork's pull request, else 1
    python github_pr.py reviewed         the merged pull request's reviewed plan id; outputs
    python github_pr.py unreviewed       post a fresh plan that was NOT applied, for review

The comment's first line is a hidden marker that only this script writes and reads:

    <!-- alertsync-plan id=<16 hex> approvals=<flags> head=<sha> -->
    <!-- alertsync-plan id=<16 hex> approvals=<flags> head=<sha> envs=<name>:<16 hex>,... -->

With environments (alertsync.toml, the `env` input), `id` is the plan of every environment
and `envs` each environment's own plan id: an apply job of one environment compares its
fresh plan with that environment's id.

Only the marker is read, never the plan's text (alert names appear there, escaped, and
could spell anything), and only in comments written by `ALERTSYNC_BOT_LOGIN` (the token's
own account, `github-actions[bot]` by default). A fresh plan posted after merge carries
another marker (`alertsync-unreviewed-plan`) and is never taken for a reviewed one.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

MARKER = re.compile(
    r"<!-- alertsync-plan id=(?P<id>[0-9a-f]{16}|none) approvals=(?P<approvals>[a-z,-]+) "
    r"head=(?P<head>[0-9a-f]{40}|unknown)"
    r"(?: envs=(?P<envs>[A-Za-z0-9_-]{1,64}:[0-9a-f]{16}(?:,[A-Za-z0-9_-]{1,64}:[0-9a-f]{16})*))?"
    r" -->"
)
HEADINGS = ("### alertsync plan", "## alertsync plan")  # one target; several environments
UNREVIEWED = "<!-- alertsync-unreviewed-plan -->"
FORK = "<!-- alertsync-fork-notice -->"
# Label (its input's name) -> the alertsync flag it approves; the only flags ever passed.
APPROVALS = {
    "ALERTSYNC_MASS_DELETE_LABEL": "--allow-mass-delete",
    "ALERTSYNC_EMPTY_LABEL": "--allow-empty",
}
LIMIT = 65_536  # GitHub refuses longer comments (alertsync's markdown stays under 65,000)
FAILED = (
    "### alertsync plan failed\n\nalertsync could not make a plan, so there is nothing to "
    "review or apply from this run.\n\n"
)  # as alertsync's own failure comment begins (render/markdown_failure.py)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def event() -> dict[str, Any]:
    path = env("GITHUB_EVENT_PATH")
    loaded: dict[str, Any] = json.loads(Path(path).read_text()) if path else {}
    return loaded


def api(method: str, path: str, body: dict[str, Any] | None = None) -> tuple[Any, str]:
    """One GitHub REST call: the decoded answer and its Link header."""
    base = env("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    request = urllib.request.Request(
        path if path.startswith("http") else base + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={
            "Authorization": f"Bearer {env('GITHUB_TOKEN')}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "alertsync-action",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null"), response.headers.get("Link", "")


def every_page(path: str) -> list[Any]:
    """Every item of a listing, following GitHub's `Link: <…>; rel="next"` to the end."""
    items: list[Any] = []
    url: str | None = path + ("&" if "?" in path else "?") + "per_page=100"
    while url:
        page, link = api("GET", url)
        items += page
        found = re.search(r'<([^>]+)>;\s*rel="next"', link)
        url = found.group(1) if found else None
    return items


def repo() -> str:
    return env("GITHUB_REPOSITORY")


def ours(comment: dict[str, Any], start: str) -> bool:
    author = (comment.get("user") or {}).get("login")
    body = comment.get("body") or ""
    return author == env("ALERTSYNC_BOT_LOGIN", "github-actions[bot]") and body.startswith(start)


def write(variable: str, text: str) -> None:
    """Append to the file a GitHub variable names (the step summary, the outputs)."""
    path = env(variable)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(text if text.endswith("\n") else text + "\n")


def fenced(text: str) -> str:
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def clipped(body: str, where: str) -> str:
    """The body, cut to GitHub's limit if need be, saying `where` the whole of it is."""
    if len(body) <= LIMIT:
        return body
    note = f"\n\n…cut to fit the comment limit: the whole plan is {where}."
    return body[: LIMIT - len(note)] + note


# -- on the pull request -------------------------------------------------------------------


def labels_of(pull: dict[str, Any]) -> set[str]:
    return {label.get("name", "") for label in pull.get("labels") or []}


def approval_flags(labels: set[str]) -> list[str]:
    return [flag for name, flag in APPROVALS.items() if env(name) and env(name) in labels]


def approvals() -> int:
    print(" ".join(approval_flags(labels_of(event().get("pull_request") or {}))))
    return 0


def plan_id(plan_file: Path) -> str:
    try:
        digest = json.loads(plan_file.read_text())["id"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    short = str(digest).removeprefix("sha256:")[:16]
    return short if re.fullmatch(r"[0-9a-f]{16}", short) else ""


def environment_ids(plan_file: Path) -> dict[str, str]:
    """Each environment's plan id in a plan of environments (`plan --all-envs` or `--env`)."""
    try:
        data = json.loads(plan_file.read_text())
    except (OSError, ValueError):
        return {}
    parts = data.get("environments") if isinstance(data, dict) else None
    if not isinstance(parts, dict):
        name = data.get("environment") if isinstance(data, dict) else None
        parts = {name: data} if isinstance(name, str) else {}
    found = {}
    for name, part in parts.items():
        short = str(part.get("id", "")).removeprefix("sha256:")[:16]
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name) and re.fullmatch(r"[0-9a-f]{16}", short):
            found[name] = short
    return found


def upsert(number: int, start: str, body: str) -> None:
    comments = every_page(f"/repos/{repo()}/issues/{number}/comments")
    mine = [c for c in comments if ours(c, start)]
    if mine:
        api("PATCH", f"/repos/{repo()}/issues/comments/{mine[-1]['id']}", {"body": body})
    else:
        api("POST", f"/repos/{repo()}/issues/{number}/comments", {"body": body})


def plan_comment() -> int:
    work, code = Path(env("ALERTSYNC_WORK")), int(env("ALERTSYNC_EXIT_CODE", "1"))
    pull = event().get("pull_request") or {}
    short = plan_id(work / "plan.json") if code != 1 else ""
    flags = approval_flags(labels_of(pull))
    head = (pull.get("head") or {}).get("sha") or env("GITHUB_SHA") or "unknown"
    envs = environment_ids(work / "plan.json") if short else {}
    listed = f" envs={','.join(f'{n}:{i}' for n, i in sorted(envs.items()))}" if envs else ""
    marker = (
        f"<!-- alertsync-plan id={short or 'none'} "
        f"approvals={','.join(f.removeprefix('--') for f in flags) or 'none'} head={head}"
        f"{listed} -->"
    )
    # alertsync's own markdown, a failed plan's included; only when it printed none (it
    # crashed, or was called wrongly) is the failure told from its stderr.
    text = (work / "plan.md").read_text() if (work / "plan.md").exists() else ""
    if code == 1 and not text.startswith(HEADINGS):
        errors = (work / "plan.err").read_text() if (work / "plan.err").exists() else ""
        text = FAILED + fenced(errors or "alertsync plan failed without a message: see the log")
    body = clipped(f"{marker}\n{text}", "in the plan artifact (plan.txt)")
    write("GITHUB_STEP_SUMMARY", text)
    write("GITHUB_OUTPUT", f"plan-id={short}\nchanges={'true' if code == 2 else 'false'}")
    if env("ALERTSYNC_COMMENT") == "true" and pull.get("number"):
        upsert(int(pull["number"]), "<!-- alertsync-plan ", body)
    return 0


def is_fork(pull: dict[str, Any]) -> bool:
    head = ((pull.get("head") or {}).get("repo") or {}).get("full_name")
    return bool(pull) and head != repo()


def no_key() -> int:
    """No API key: a fork's pull request gets no secrets, which is expected; else an error."""
    pull = event().get("pull_request") or {}
    if not is_fork(pull):
        print("::error title=alertsync::POSTHOG_PERSONAL_API_KEY is empty: give the step a key")
        return 1
    text = (
        f"{FORK}\n### alertsync plan not run\n\nThis pull request comes from a fork, and "
        "GitHub gives workflows of forks no secrets, so there is no PostHog key to plan "
        "with. A maintainer can push these commits to a branch of this repository to get "
        "the plan; nothing is applied from a fork."
    )
    write("GITHUB_STEP_SUMMARY", text)
    print("::notice title=alertsync::a fork's pull request: no PostHog key, no plan")
    try:
        upsert(int(pull["number"]), FORK, text)
    except OSError as exc:  # a fork's token is read-only: the summary says it
        print(f"::warning title=alertsync::could not comment on the pull request: {exc}")
    return 0


def fork() -> int:
    """With environments (no single key to look at): exit 0, after the fork notice, when the
    pull request comes from a fork; 1 otherwise (then plan)."""
    if not is_fork(event().get("pull_request") or {}):
        return 1
    return no_key()


# -- after merge ---------------------------------------------------------------------------


def merged_pull(sha: str) -> dict[str, Any] | None:
    pulls, _ = api("GET", f"/repos/{repo()}/commits/{sha}/pulls")
    merged = [p for p in pulls if p.get("merged_at") and p.get("merge_commit_sha") == sha]
    return merged[0] if merged else None


def reviewed() -> int:
    """Outputs `pr`, `id` (empty: no reviewed plan) and `flags` (the approvals that travel:
    recorded in the reviewed marker AND still labelled on the merged pull request)."""
    given = env("ALERTSYNC_EXPECT_ID").strip().lower()
    if given:  # approved outside a pull request (a dispatch behind the environment's reviewers)
        if not re.fullmatch(r"[0-9a-f]{16,64}", given.removeprefix("sha256:")):
            print("::error title=alertsync::expect-id is not a plan id (16 hex characters)")
            return 1
        flags = [f for f in ("--allow-mass-delete", "--allow-empty") if f in env("ALERTSYNC_FLAGS")]
        write("GITHUB_OUTPUT", f"pr=\nid={given}\nflags={' '.join(flags)}")
        return 0
    pull = merged_pull(env("GITHUB_SHA"))
    found: dict[str, str] = {}
    if pull is not None:
        comments = every_page(f"/repos/{repo()}/issues/{pull['number']}/comments")
        for comment in comments:
            first = (comment.get("body") or "").split("\n", 1)[0]
            match = MARKER.fullmatch(first)
            if ours(comment, "<!-- alertsync-plan ") and match:
                found = match.groupdict()  # the last one: the plan comment is updated in place
    short = found.get("id", "none")
    if env("ALERTSYNC_ENV"):  # one environment: its own plan id in the reviewed plan
        envs = dict(item.split(":") for item in (found.get("envs") or "").split(",") if item)
        short = envs.get(env("ALERTSYNC_ENV"), "none")
    recorded = {f"--{a}" for a in found.get("approvals", "none").split(",")}
    flags = [f for f in approval_flags(labels_of(pull or {})) if f in recorded]
    number = pull["number"] if pull else ""
    write("GITHUB_OUTPUT", f"pr={number}\nid={'' if short == 'none' else short}")
    write("GITHUB_OUTPUT", f"flags={' '.join(flags)}")
    print(f"merged pull request: {number or 'none'}; reviewed plan id: {short}")
    return 0


def unreviewed() -> int:
    """A fresh plan of the merged files that was not applied: summary, and a new comment on
    the merged pull request (never one that counts as reviewed)."""
    work = Path(env("ALERTSYNC_WORK"))
    reason = env("ALERTSYNC_REASON")
    plan = (work / "fresh.md").read_text() if (work / "fresh.md").exists() else ""
    text = (
        f"{UNREVIEWED}\n### alertsync did not apply\n\n{reason}\n\nNothing was applied. "
        "This is the plan of the merged files; to apply it, review it and run the workflow "
        "by hand with its plan id (the environment's reviewers approve), or change the files "
        f"in a new pull request.\n\n{plan}"
    )
    write("GITHUB_STEP_SUMMARY", text)
    number = env("ALERTSYNC_PR")
    if number and env("ALERTSYNC_COMMENT") == "true":
        body = clipped(text, "in this run's job summary")
        api("POST", f"/repos/{repo()}/issues/{number}/comments", {"body": body})
    return 0


COMMANDS = {
    "approvals": approvals,
    "plan-comment": plan_comment,
    "no-key": no_key,
    "fork": fork,
    "reviewed": reviewed,
    "unreviewed": unreviewed,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: github_pr.py {{{'|'.join(COMMANDS)}}}")
    sys.exit(COMMANDS[sys.argv[1]]())
