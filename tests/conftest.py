"""Shared fixtures: a fresh emulator per test on an ephemeral loopback port, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from alertsync.cli import cli
from alertsync.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alerts.yaml"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = Emulator(port=0)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def run(emulator: Emulator) -> Iterator[Runner]:
    yield Runner(emulator)


class Runner:
    """Runs `alertsync ...` in-process against the emulator, as a user's shell would."""

    def __init__(self, emu: Emulator, key: str | None = None) -> None:
        self.emu = emu
        self.env = {
            "POSTHOG_HOST": emu.base_url,
            "POSTHOG_PROJECT_ID": str(emu.project_id),
            "POSTHOG_PERSONAL_API_KEY": key or emu.api_key,
            "NO_COLOR": "1",
        }

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(cli, list(args), input=stdin, env={**self.env, **env})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    def methods(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.emu.requests]

    def writes(self) -> list[Sequence[object]]:
        return [
            (r.method, r.path, r.body) for r in self.emu.requests if r.method not in ("GET", "HEAD")
        ]
