"""`alertsync emulator` with fault flags, a fault file, and PostHog's throttling."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from alertsync.cli import cli
from alertsync.emulator import Emulator, FaultSpec
from alertsync.emulator.cli import fault_spec
from tests.builders import ALERTS

NO_FLAGS = {
    "fault_seed": None,
    "fail_rate": (),
    "fail_after_commit": (),
    "drop_after_commit": (),
    "throttle_burst": None,
    "burst_length": None,
    "throttle_wait": None,
    "jitter_ms": None,
    "page_faults": None,
}


def test_no_fault_flags_means_no_fault_plan() -> None:
    assert fault_spec(None, **NO_FLAGS) is None


def test_flags_override_the_fault_file(tmp_path: Path) -> None:
    file = tmp_path / "faults.yaml"
    file.write_text("seed: 3\nfail_rate: {GET: 0.5}\npage_fault_rate: 0.2\n")
    flags = {**NO_FLAGS, "fail_rate": ("POST=0.1",), "throttle_burst": 0.05, "fault_seed": 9}
    spec = fault_spec(str(file), **flags)
    assert spec == FaultSpec(
        seed=9, fail_rate={"POST": 0.1}, page_fault_rate=0.2, throttle_rate=0.05
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-rate", "POST:0.2"], "METHOD=RATE"),
        (["--drop-after-commit", "FETCH=0.2"], "unknown method"),
        (["--fail-rate", "POST=3"], "from 0 to 1"),
        (["--page-faults", "2"], "not in the range"),
    ],
)
def test_bad_fault_flags_are_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["emulator", "--port", "0", *args])
    assert result.exit_code == 1
    assert message in result.output


@pytest.fixture
def started(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    args = list(request.param)
    process = subprocess.Popen(
        [sys.executable, "-m", "alertsync", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().rsplit(" ", 1)[-1].strip()
        key = next(
            line.split("=", 1)[1].strip()
            for line in iter(process.stdout.readline, "")
            if "POSTHOG_PERSONAL_API_KEY" in line
        )
        yield url, key, " ".join(args)
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize(
    "started",
    [("--throttle-burst", "1", "--throttle-wait", "7", "--fault-seed", "1")],
    indirect=True,
)
def test_the_emulator_command_injects_faults(started: tuple[str, str, str]) -> None:
    url, key, _args = started
    response = httpx.get(url + ALERTS, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 429
    assert response.json()["detail"] == "Request was throttled. Expected available in 7 seconds."


@pytest.mark.parametrize("started", [("--throttle",)], indirect=True)
def test_the_emulator_command_throttles_like_posthog(started: tuple[str, str, str]) -> None:
    url, key, _args = started
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
        statuses = [http.get(ALERTS).status_code for _ in range(481)]
    assert statuses[:480] == [200] * 480
    assert statuses[480] == 429


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "alertsync", "emulator", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)


def test_a_busy_port_is_one_clear_error(emu: Emulator) -> None:
    port = emu.base_url.rsplit(":", 1)[1]
    done = run_cli("--port", port)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ('{"project_id": 1, "users": []}', "seed: missing key 'api_keys'"),
        ('{"project_id": 1, "users": [{"id": 1}], "api_keys": []}', "missing key 'email'"),
        ('{"not json', "not valid JSON/YAML"),
        ('{"project_id": 1, "users": [], "api_keys": [], "colour": 1}', "colour"),
    ],
)
def test_a_bad_seed_is_one_clear_error(tmp_path: Path, seed: str, message: str) -> None:
    path = tmp_path / "seed.json"
    path.write_text(seed)
    done = run_cli("--port", "0", "--seed", str(path))
    assert done.returncode == 1
    assert done.stderr.startswith(f"Error: {path}: ") and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_state_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{}")
    done = run_cli("--port", "0", "--state", str(path))
    assert done.returncode == 1 and done.stderr.startswith(f"Error: {path}: ")


def test_pid_and_ready_files_let_a_script_wait_for_and_stop_this_emulator(
    tmp_path: Path,
) -> None:
    pid_file, ready_file = tmp_path / "emu.pid", tmp_path / "emu.ready"
    ready_file.write_text("http://127.0.0.1:1\n")  # left by an earlier run: never trusted
    files = ["--pid-file", str(pid_file), "--ready-file", str(ready_file)]
    process = subprocess.Popen(
        [sys.executable, "-m", "alertsync", "emulator", "--port", "0", *files],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = ""
        for _ in range(200):
            url = ready_file.read_text().strip() if ready_file.exists() else ""
            if url and url != "http://127.0.0.1:1":
                break
            time.sleep(0.05)
        assert url.startswith("http://127.0.0.1:") and url != "http://127.0.0.1:1"
        assert int(pid_file.read_text()) == process.pid
        listed = httpx.get(
            f"{url}/api/projects/1/alerts/",
            headers={
                "Authorization": "Bearer phx_emulator_full_access_key_do_not_use_in_production"
            },
        )
        assert listed.status_code == 200
        os.kill(int(pid_file.read_text()), signal.SIGTERM)  # what `kill "$(cat FILE)"` does
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert not pid_file.exists() and not ready_file.exists()


def test_an_unwritable_ready_file_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["emulator", "--port", "0", "--ready-file", str(tmp_path / "no" / "dir" / "r")]
    )
    assert result.exit_code == 1
    assert "Error: cannot write" in result.output and "Traceback" not in result.output


DETACH = (sys.executable, "-m", "alertsync", "emulator", "--port", "0", "--detach")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="--detach needs fork")
def test_detach_returns_once_listening_with_the_url_on_stdout(tmp_path: Path) -> None:
    pid_file, log = tmp_path / "emu.pid", tmp_path / "emu.log"
    started = subprocess.run(  # as `POSTHOG_HOST="$(alertsync emulator --detach ...)"` runs it
        [*DETACH, "--pid-file", str(pid_file), "--log", str(log)],
        capture_output=True,
        text=True,
        timeout=30,  # would hang if the child kept the caller's stdout open
    )
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert url.startswith("http://127.0.0.1:") and "\n" not in url
    assert started.stderr == f'Stop it with: kill "$(cat {pid_file})"\n'
    pid = int(pid_file.read_text())
    try:
        headers = {"Authorization": "Bearer phx_emulator_full_access_key_do_not_use_in_production"}
        assert httpx.get(f"{url}/api/projects/1/alerts/", headers=headers).status_code == 200
        assert f"listening on {url}" in log.read_text()
        os.kill(pid, signal.SIGTERM)
        for _ in range(200):
            if _gone(pid) and not pid_file.exists():
                break
            time.sleep(0.05)
        assert _gone(pid) and not pid_file.exists()
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="--detach needs fork")
def test_detach_that_cannot_start_says_why_and_leaves_nothing_running(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("x: [\n")
    pid_file = tmp_path / "emu.pid"
    started = subprocess.run(
        [*DETACH, "--seed", str(seed), "--pid-file", str(pid_file)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert started.returncode == 1 and started.stdout == ""
    assert started.stderr.startswith(f"Error: {seed}: not valid JSON/YAML")
    assert not pid_file.exists()


def test_log_without_detach_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["emulator", "--log", str(tmp_path / "l")])
    assert result.exit_code == 1 and "--log goes with --detach" in result.output


@pytest.mark.skipif(not hasattr(os, "fork"), reason="--detach needs fork")
def test_detach_keeps_no_descriptor_the_caller_passed_on(tmp_path: Path) -> None:
    pid_file = tmp_path / "emu.pid"
    read, write = os.pipe()
    try:
        started = subprocess.run(
            [*DETACH, "--pid-file", str(pid_file)],
            capture_output=True,
            text=True,
            timeout=30,
            pass_fds=(write,),
        )
        assert started.returncode == 0, started.stderr
        os.close(write)
        pid = int(pid_file.read_text())
        try:
            ready, _, _ = select.select([read], [], [], 5)  # a held pipe never gets there
            assert ready and os.read(read, 1) == b""  # end of file: nobody holds it open
        finally:
            os.kill(pid, signal.SIGTERM)
    finally:
        os.close(read)
