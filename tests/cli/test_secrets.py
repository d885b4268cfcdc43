"""The API key is read from the environment only and never shown: not by any command, not
with --debug, not on any error path, and not in any file alertsync writes.

Each command runs twice: as shipped, and with the console's last-line-of-defence redaction
switched off, so a key that reached the output would be seen rather than masked.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

from alertsync.emulator import Emulator, FaultPlan, FaultSpec, default_seed
from tests.builders import EXAMPLE, CliResult, Runner, alert, write

FULL = "phx_canary_full_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
READ = "phx_canary_read_a1b2c3d4e5f60718293a4b5c6d7e8f90"
WRONG = "phx_canary_wrong_99887766554433221100ffeeddccbbaa"
SECRETS = (FULL, READ, WRONG)


def seed() -> dict[str, Any]:
    data = default_seed()
    data["api_keys"] = [
        {"label": "full", "key": FULL, "scopes": ["*"], "user": 1},
        {"label": "read", "key": READ, "scopes": ["alert:read", "insight:read"], "user": 1},
    ]
    return data


@pytest.fixture(params=["redacting", "raw"])
def redaction(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "raw":
        monkeypatch.setattr("alertsync.cli.console.redact", lambda text: text)
    return str(request.param)


@pytest.fixture
def faults() -> FaultPlan:
    plan = FaultPlan(FaultSpec())
    plan.enabled = False
    return plan


@pytest.fixture
def emu(faults: FaultPlan) -> Iterator[Emulator]:
    with Emulator(seed=seed(), fault_policy=faults) as emulator:
        yield emulator


class Everything:
    """Runs commands and remembers every output, to search for the keys at the end."""

    def __init__(self, emu: Emulator, tmp: Path) -> None:
        self.emu, self.tmp = emu, tmp
        self.outputs: list[str] = []

    def __call__(self, *args: str, key: str = FULL, **env: str) -> CliResult:
        run = Runner(self.emu, key=key)
        run.env.update({"ALERTSYNC_RETRY_BASE_DELAY": "0.001", "ALERTSYNC_MAX_RETRY_TIME": "0.1"})
        results = [run(*args, **env), run(*args, "--debug", **env)]
        for result in results:
            self.outputs.append(result.output)
        if args[0] != "validate":
            assert "Bearer [redacted]" in results[1].stderr or "Error:" in results[1].stderr
        return results[0]

    def assert_no_key_anywhere(self) -> None:
        for output in self.outputs:
            for secret in SECRETS:
                assert secret not in output, output[:3000]
                assert secret[4:24] not in output  # not even a fragment
        written = [p for p in self.tmp.rglob("*") if p.is_file()]
        assert written
        for path in written:
            data = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in data, path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def redirector(target: str) -> tuple[HTTPServer, Callable[[], None]]:
    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirect)
    Thread(target=server.serve_forever, daemon=True).start()
    return server, server.shutdown


def test_the_key_never_appears_in_output_or_files(
    redaction: str, emu: Emulator, faults: FaultPlan, tmp_path: Path
) -> None:
    run = Everything(emu, tmp_path)
    example = write(tmp_path / "alerts.yaml", {"alerts": [alert("One"), alert("Two")]})
    plan_file = tmp_path / "plan.json"

    # success paths
    assert run("validate", str(example)).exit_code == 0
    assert run("plan", str(example), "--out", str(plan_file)).exit_code == 0
    assert run("plan", str(example), "--format", "markdown").exit_code == 0
    assert run("apply", str(plan_file)).exit_code in (0, 1)  # the second run finds it stale
    apply = ("apply", str(EXAMPLE), "--auto-approve", "--allow-mass-delete", "--format", "json")
    assert run(*apply).exit_code == 0
    assert run("plan", str(EXAMPLE), "--format", "json").exit_code == 0
    assert run("export", "--output", str(tmp_path / "exported.yaml")).exit_code == 0
    assert run("export").exit_code == 0

    # error paths
    bad_files = write(tmp_path / "bad.yaml", {"alerts": [{"name": "x", "bogus": 1}]})
    assert run("validate", str(bad_files)).exit_code == 1
    assert run("plan", str(bad_files)).exit_code == 1
    assert run("plan", str(example), key=WRONG).exit_code == 1
    assert run("apply", str(example), "--auto-approve", key=READ).exit_code in (0, 1)
    empty = write(tmp_path / "empty.yaml", {"alerts": []})
    assert run("apply", str(empty), "--auto-approve").exit_code == 1
    refused = write(
        tmp_path / "refused.yaml", {"alerts": [alert("Bad", config={"series_index": 3})]}
    )
    assert run("apply", str(refused), "--auto-approve", "--allow-mass-delete").exit_code == 1
    unknown = write(tmp_path / "unknown.yaml", {"alerts": [alert("U", insight="Nope1234")]})
    assert run("plan", str(unknown)).exit_code == 1
    dead = f"http://127.0.0.1:{free_port()}"
    assert run("plan", str(example), "--max-retry-time", "0", POSTHOG_HOST=dead).exit_code == 1
    assert run("plan", str(example), POSTHOG_HOST="http://example.com").exit_code == 1
    assert run("plan", str(example), POSTHOG_PROJECT_ID="not-a-number").exit_code == 1
    server, stop = redirector("http://localhost:9")
    try:
        host = f"http://127.0.0.1:{server.server_address[1]}"
        assert run("plan", str(example), POSTHOG_HOST=host).exit_code == 1
    finally:
        stop()

    faults.spec = FaultSpec(fail_rate={"*": 1.0}, statuses=(500,))
    faults.enabled = True
    assert run("plan", str(example)).exit_code == 1
    assert run("apply", str(example), "--auto-approve").exit_code == 1
    faults.spec = FaultSpec(drop_after_commit={"*": 1.0})
    assert run("apply", str(example), "--auto-approve").exit_code == 1

    run.assert_no_key_anywhere()


def test_the_key_comes_from_the_environment_only(emu: Emulator, tmp_path: Path) -> None:
    example = write(tmp_path / "alerts.yaml", {"alerts": [alert("One")]})
    run = Runner(emu)
    del run.env["POSTHOG_PERSONAL_API_KEY"]
    result = run("plan", str(example))
    assert result.exit_code == 1
    assert "set POSTHOG_PERSONAL_API_KEY" in result.stderr
    assert run("plan", str(example), "--api-key", FULL).exit_code == 1  # no such flag
    assert emu.requests == []
