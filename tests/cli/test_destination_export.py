"""Export of destinations and test delivery, end to end against the emulator."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from alertsync.emulator import Emulator, default_seed
from tests.builders import Runner, add_key
from tests.cli.test_destinations import EVERY_KIND, SLACK, URLS, alert, routed


@pytest.fixture
def run(emulator: Emulator) -> Runner:
    runner = Runner(emulator)
    runner.env.update(URLS)
    return runner


def dotenv(path: Path) -> dict[str, str]:
    pairs = [line.split("=", 1) for line in path.read_text().splitlines() if line]
    return {name: value.strip("'") for name, value in pairs}


def test_export_then_plan_with_the_env_file_is_no_changes(run: Runner, tmp_path: Path) -> None:
    tuned = [
        {**SLACK, "text": "Signups are down", "enabled": False},
        {**EVERY_KIND[1], "method": "PUT", "headers": {"X-Team": "growth"}},
        {**EVERY_KIND[2], "allowed_mentions": "everyone"},
        EVERY_KIND[3],
    ]
    file = routed(tmp_path, alert(destinations=tuned), alert("No routes"))
    assert run("apply", file, "--auto-approve").exit_code == 0
    out, env_file = tmp_path / "exported.yaml", tmp_path / ".env.alerts"
    result = run("export", "--output", str(out), "--env-file", str(env_file))
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text())
    routed_alert, plain_alert = document["alerts"][1], document["alerts"][0]
    assert "destinations" not in plain_alert
    assert routed_alert["destinations"] == [
        {"type": "slack", "workspace": "Hedgebox", "channel": "#growth-alerts",
         "text": "Signups are down", "enabled": False},
        {"type": "webhook", "url_env": "WEBHOOK_HOOKS_EXAMPLE_COM_URL", "method": "PUT",
         "headers": {"X-Team": "growth"}},
        {"type": "discord", "url_env": "DISCORD_URL", "allowed_mentions": "everyone"},
        {"type": "teams", "url_env": "TEAMS_CONTOSO_WEBHOOK_OFFICE_COM_URL"},
    ]  # fmt: skip
    assert stat.S_IMODE(os.stat(env_file).st_mode) == 0o600
    values = dotenv(env_file)
    assert sorted(values.values()) == sorted(URLS.values())
    for url in URLS.values():
        assert url not in result.stdout + result.stderr + out.read_text()
    assert "Wrote 3 URL variable(s)" in result.stderr
    bare = Runner(run.emu)
    again = bare("plan", str(out), "--detailed-exitcode", **values)
    assert again.exit_code == 0, again.output


def test_export_without_hog_function_read_leaves_destinations_alone(tmp_path: Path) -> None:
    seed = default_seed()
    key = add_key(seed, ["alert:read", "insight:read", "organization_member:read"])
    with Emulator(seed=seed) as emu:
        full = Runner(emu)
        full.env.update(URLS)
        assert (
            full("apply", routed(tmp_path, alert(destinations=[SLACK])), "--auto-approve").exit_code
            == 0
        )
        result = Runner(emu, key)("export")
        assert result.exit_code == 0
        assert "destinations" not in yaml.safe_load(result.stdout)["alerts"][0]
        assert "destinations were not exported" in result.stderr
        assert "hog_function:read" in result.stderr


def test_export_names_the_variables_when_no_env_file_is_asked_for(
    run: Runner, tmp_path: Path
) -> None:
    assert (
        run("apply", routed(tmp_path, alert(destinations=EVERY_KIND)), "--auto-approve").exit_code
        == 0
    )
    result = run("export")
    assert result.exit_code == 0
    assert "set them before planning" in result.stderr
    for url in URLS.values():
        assert url not in result.stdout + result.stderr


def test_test_delivery_reports_where_the_test_went(run: Runner, tmp_path: Path) -> None:
    routes = [SLACK, EVERY_KIND[1]]
    with_users = {**alert(destinations=routes), "subscribed_users": ["ada@example.com"]}
    file = routed(tmp_path, with_users, alert("Nobody", []))
    assert run("apply", file, "--auto-approve").exit_code == 0
    result = run("test-delivery", "Signups dropped")
    assert result.exit_code == 0, result.output
    assert (
        "'Signups dropped': test sent to 2 destination(s) and 1 email recipient(s)" in result.stdout
    )
    assert "    Slack #growth-alerts (Hedgebox)" in result.stdout
    assert "    email ada@example.com" in result.stdout
    (sent,) = run.emu.test_deliveries
    assert sent.emails == ("ada@example.com",) and len(sent.destinations) == 2
    nothing = run("test-delivery", "Nobody", "--format", "json")
    assert nothing.exit_code == 1
    (entry,) = json.loads(nothing.stdout)["deliveries"]
    assert entry["ok"] is False
    assert entry["error"] == "Add an email recipient or active destination before sending a test."
    run.emu.clear_test_deliveries()
    unknown = run("test-delivery", "Signups dropped", "No such alert")
    assert unknown.exit_code == 1
    assert "no live alert named 'No such alert'" in unknown.stderr
    assert run.emu.test_deliveries == []
