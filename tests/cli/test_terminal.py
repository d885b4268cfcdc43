"""The conventions users expect of a terminal tool: NO_COLOR, TERM=dumb and FORCE_COLOR;
progress on stderr (whatever stdout is) that says when the rate limiter makes it wait;
problem counts that count the files with problems; API refusals that name the field."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from alertsync.cli.console import wants_color
from alertsync.cli.options import _remote
from alertsync.cli.progress import Progress
from alertsync.edges.posthog.client import PostHogClient
from alertsync.edges.posthog.http import api_error
from alertsync.edges.posthog.settings import Connection, Tuning
from alertsync.emulator import Emulator
from tests.builders import FakeTime, Runner, alert, write


class Tty:
    def isatty(self) -> bool:
        return True


class Pipe:
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("env", "stream", "coloured"),
    [
        ({}, Tty(), True),
        ({}, Pipe(), False),
        ({"NO_COLOR": "1"}, Tty(), False),
        ({"NO_COLOR": ""}, Tty(), True),  # no-color.org: only a non-empty value counts
        ({"TERM": "dumb"}, Tty(), False),
        ({"TERM": "xterm-256color"}, Tty(), True),
        ({"FORCE_COLOR": "1"}, Pipe(), True),  # CI logs render colour
        ({"FORCE_COLOR": ""}, Pipe(), False),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, Pipe(), True),  # asked for explicitly
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, Tty(), False),  # NO_COLOR wins
    ],
)
def test_colour_follows_the_environment(
    env: dict[str, str], stream: object, coloured: bool
) -> None:
    assert wants_color(False, stream, env) is coloured
    assert wants_color(True, stream, env) is False  # --no-color always wins


def test_force_color_colours_a_plan_written_to_a_pipe(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert("Coloured")]})
    forced = run("plan", str(file), NO_COLOR="", FORCE_COLOR="1")
    assert forced.exit_code == 0 and "\x1b[32m" in forced.stdout  # green: a create
    plain = run("plan", str(file), NO_COLOR="", FORCE_COLOR="1", TERM="dumb")
    assert "\x1b[" in plain.stdout  # FORCE_COLOR is explicit, TERM=dumb is a default
    off = run("plan", str(file), NO_COLOR="1", FORCE_COLOR="1")
    assert "\x1b[" not in off.stdout


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drawn(stream: io.StringIO) -> list[str]:
    return [part for part in stream.getvalue().split("\r\x1b[K") if part]


def test_a_rate_limit_wait_shows_instead_of_a_frozen_estimate() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    progress.update("applying", 0, 1000, "changes")
    clock.now += 10
    progress.update("applying", 480, 1000, "changes")
    assert drawn(stream)[-1] == "applying: 480/1000 changes, 48/s, about 11 s left"
    progress.waiting(11.2)
    assert drawn(stream)[-1] == (
        "applying: 480/1000 changes, 48/s, waiting 12 s for PostHog's rate limit"
    )
    clock.now += 12
    progress.update("applying", 481, 1000, "changes")  # the wait is over: an estimate again
    assert drawn(stream)[-1].endswith("s left")


def test_a_wait_before_any_count_and_short_waits() -> None:
    stream = io.StringIO()
    progress = Progress(stream, clock=Clock())
    progress.waiting(0.2)  # part of the normal pace: not worth a word
    assert stream.getvalue() == ""
    progress.waiting(59.5)
    assert drawn(stream) == ["waiting 60 s for PostHog's rate limit"]
    Progress(None).waiting(30)  # off: nothing, no error


def test_the_client_tells_of_each_rate_limit_wait() -> None:
    time, waits = FakeTime(), list[float]()
    listing: dict[str, object] = {"count": 0, "next": None, "previous": None, "results": []}
    client = PostHogClient(
        Connection("https://posthog.test", "1", "phx_test"),
        Tuning(rate_limit=1),
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=listing)),
        clock=time.clock,
        sleep=time.sleep,
        on_wait=waits.append,
    )
    client.list_alerts()
    client.list_alerts()
    assert waits == [60.5] and time.sleeps == [60.5]


def test_the_cli_wires_the_wait_to_the_progress_line() -> None:
    built = _remote(None, None, False, True, False)
    assert built["remote"].on_wait == built["output"].progress.waiting


def test_progress_shows_on_stderr_when_stdout_goes_to_a_file(
    emulator: Emulator, tmp_path: Path
) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert("Progress")]})
    env = {
        **os.environ,
        "POSTHOG_HOST": emulator.base_url,
        "POSTHOG_PROJECT_ID": str(emulator.project_id),
        "POSTHOG_PERSONAL_API_KEY": emulator.api_key,
    }
    main, terminal = pty.openpty()
    with (tmp_path / "plan.txt").open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "alertsync", "plan", str(file)],
            stdout=out,
            stderr=terminal,
            env=env,
            timeout=60,
        )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert done.returncode == 0
    assert b"reading live alerts: 0/0 alerts" in shown  # the line, on the terminal
    plan = (tmp_path / "plan.txt").read_text()
    assert "Plan: 1 to create" in plan and "\r" not in plan and "\x1b" not in plan


def test_the_problem_summary_counts_the_files_that_have_problems(
    run: Runner, tmp_path: Path
) -> None:
    good = [tmp_path / f"good{i}.yaml" for i in range(3)]
    for i, path in enumerate(good):
        write(path, {"alerts": [alert(f"Good {i}")]})
    bad = tmp_path / "bad.yaml"
    bad.write_text("alerts:\n  - name: 1\n    insight: []\n")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    problems = result.stdout.count("bad.yaml:")
    assert problems >= 2
    assert f"{problems} problem(s) in 1 file(s)." in result.stderr
    planned = run("plan", str(tmp_path))
    assert f"Error: {problems} problem(s) in 1 file(s); nothing was changed" in planned.stderr


def test_an_api_refusal_names_a_nested_field(emulator: Emulator) -> None:
    body = alert("Empty bounds")
    body["threshold"] = {"configuration": {"type": "absolute", "bounds": {}}}
    body["insight"] = 101
    body["subscribed_users"] = [1]
    body["config"] = {"type": "TrendsAlertConfig", "series_index": 0}
    response = httpx.post(
        f"{emulator.base_url}/api/projects/{emulator.project_id}/alerts/",
        json=body,
        headers={"Authorization": f"Bearer {emulator.api_key}"},
    )
    assert response.status_code == 400 and response.json()["attr"] == "threshold__configuration"
    error = api_error(response, "creating alert 'Empty bounds'")
    assert str(error).startswith("creating alert 'Empty bounds': PostHog answered 400: ")
    assert str(error).endswith("(field threshold.configuration)")
