"""The emulator in its own process, so its work never competes with a measurement for a GIL.

Child side (``python -m benchmarks.emulator_process SEED.json --latency-ms 20``): builds the
emulator from the seed file (its ``alerts`` are created at start, without HTTP), serves on a
free loopback port, prints one JSON line ``{"base_url", "project_id", "api_key", "alerts",
"throttle"}``, then answers commands on stdin, one JSON line each:

* ``stats``: requests answered since the last ``reset``, by status and by rate-limit scope
  (``insights`` endpoints vs every other endpoint), and the number of stored alerts;
* ``reset``: forget the request log;
* ``quit`` (or end of input): stop and exit.

Parent side: :class:`EmulatorProcess`, a context manager that starts and stops the child.
"""

from __future__ import annotations

import argparse
import inspect
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from alertsync.emulator import Emulator, RecordedRequest

ROOT = Path(__file__).resolve().parent.parent
THROTTLE_PARAMETER = "throttle"
THROTTLED_STATUS = 429


def throttle_supported() -> bool:
    """Whether this alertsync's emulator can enforce PostHog's rate limits."""
    return THROTTLE_PARAMETER in inspect.signature(Emulator).parameters


def rate_limit_scope(path: str) -> str:
    """PostHog throttles insights endpoints with their own (ClickHouse) counters."""
    return "insights" if "/insights/" in path else "default"


def summarize(entries: list[RecordedRequest], alerts: int) -> dict[str, Any]:
    statuses = Counter(str(entry.status) for entry in entries)
    counted = Counter(
        rate_limit_scope(entry.path) for entry in entries if entry.status != THROTTLED_STATUS
    )
    methods = Counter(entry.method for entry in entries)
    return {
        "requests": len(entries),
        "statuses": dict(statuses),
        "counted": dict(counted),
        "methods": dict(methods),
        "alerts": alerts,
    }


# -- child -------------------------------------------------------------------------------


def _build(seed: Path, latency_ms: int, throttle: bool) -> Emulator:
    extra: dict[str, Any] = {THROTTLE_PARAMETER: True} if throttle else {}
    return Emulator(seed=seed, port=0, latency_ms=latency_ms, **extra)


def _answer(emulator: Emulator, command: str) -> dict[str, Any] | None:
    if command == "stats":
        return summarize(emulator.requests, len(emulator.alerts()))
    if command == "reset":
        emulator.clear_requests()
        return {"ok": True}
    return None


def serve(seed: Path, latency_ms: int, throttle: bool) -> None:
    emulator = _build(seed, latency_ms, throttle)
    emulator.start()
    hello = {
        "base_url": emulator.base_url,
        "project_id": emulator.project_id,
        "api_key": emulator.api_key,
        "alerts": len(emulator.alerts()),
        "throttle": throttle,
    }
    print(json.dumps(hello), flush=True)
    try:
        for line in sys.stdin:
            answer = _answer(emulator, line.strip())
            if answer is None:
                break
            print(json.dumps(answer), flush=True)
    finally:
        emulator.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the alertsync emulator for benchmarks.")
    parser.add_argument("seed", type=Path)
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--throttle", action="store_true")
    args = parser.parse_args(argv)
    serve(args.seed, args.latency_ms, args.throttle)


# -- parent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    project_id: int
    api_key: str


class EmulatorError(RuntimeError):
    """The emulator process failed to start or to answer."""


class EmulatorProcess:
    """``with EmulatorProcess(seed, latency_ms=20) as emu:`` → ``emu.endpoint``, ``stats()``."""

    def __init__(self, seed: dict[str, Any], latency_ms: int, throttle: bool = False) -> None:
        self._seed = seed
        self._latency_ms = latency_ms
        self._throttle = throttle
        self._folder = tempfile.TemporaryDirectory(prefix="alertsync-bench-emu-")
        self._stderr: IO[bytes] | None = None
        self._process: subprocess.Popen[str] | None = None
        self.endpoint = Endpoint("", 0, "")

    def __enter__(self) -> EmulatorProcess:
        seed_path = Path(self._folder.name) / "seed.json"
        seed_path.write_text(json.dumps(self._seed), encoding="utf-8")
        self._stderr = (Path(self._folder.name) / "stderr.log").open("wb")
        argv = [sys.executable, "-m", "benchmarks.emulator_process", str(seed_path)]
        argv += ["--latency-ms", str(self._latency_ms)]
        argv += ["--throttle"] if self._throttle else []
        self._process = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        hello = self._read()
        self.endpoint = Endpoint(hello["base_url"], hello["project_id"], hello["api_key"])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        process = self._process
        if process is not None and process.stdin is not None:
            try:
                process.stdin.write("quit\n")
                process.stdin.close()
                process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
        self._folder.cleanup()

    def stats(self) -> dict[str, Any]:
        return self._command("stats")

    def reset(self) -> None:
        self._command("reset")

    def _command(self, command: str) -> dict[str, Any]:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(command + "\n")
        self._process.stdin.flush()
        return self._read()

    def _read(self) -> dict[str, Any]:
        assert self._process is not None and self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            log = (Path(self._folder.name) / "stderr.log").read_text(errors="replace")
            raise EmulatorError(f"the emulator process stopped:\n{log[-4000:]}")
        answer: dict[str, Any] = json.loads(line)
        return answer


if __name__ == "__main__":
    main()
