"""Shared fixtures: a fresh emulator per test on an ephemeral loopback port, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alertsync.emulator import Emulator
from tests.builders import ENVIRONMENT_ALERTS, EnvRunner, Runner, project_file, staging_seed

# What the CI sets that alertsync reads (a plan's provenance): tests that want it set it.
CI_VARIABLES = (
    "GITHUB_ACTIONS",
    "GITHUB_SHA",
    "GITHUB_REF",
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_RUN_ID",
    "GITHUB_RUN_ATTEMPT",
    "GITLAB_CI",
    "CI_COMMIT_SHA",
    "CI_COMMIT_REF_NAME",
    "CI_PIPELINE_URL",
    "CI_JOB_URL",
)


@pytest.fixture(autouse=True)
def _outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same output whether the suite runs on a laptop or in CI."""
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


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


@pytest.fixture
def staging() -> Iterator[Emulator]:
    """A second project (2): other insights, members and key (see `staging_seed`)."""
    emu = Emulator(seed=staging_seed(), port=0)
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def envs(
    emulator: Emulator, staging: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> EnvRunner:
    """alertsync.toml with two environments, production (`emulator`) and `staging`, and
    alerts/alerts.yaml (ENVIRONMENT_ALERTS), run from their folder."""
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "alerts.yaml").write_text(ENVIRONMENT_ALERTS)
    config = project_file(tmp_path, {"production": emulator, "staging": staging})
    monkeypatch.chdir(tmp_path)
    return EnvRunner({"production": emulator, "staging": staging}, config)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files of tests/golden from the current rendering.",
    )


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of everything `pip install .` of alertsync needs, from this environment: the
    installs tests make as users do (quickstart, pre-commit) stay off the network."""
    from tests.wheelhouse import build

    return build(tmp_path_factory.mktemp("wheelhouse"))
