"""Destinations at their edges (found by a hostile review): secrets in unusual shapes, a
key without one scope, UI-made destinations, channels stored by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from alertsync.emulator import Emulator
from tests.builders import Runner, client_for, create_destination
from tests.cli.test_destination_safety import ALERT_SCOPES, scoped_run
from tests.cli.test_destinations import EVERY_KIND, HOG, SLACK, URLS, alert, routed


@pytest.fixture
def run(emulator: Emulator) -> Runner:
    runner = Runner(emulator)
    runner.env.update(URLS)
    return runner


def test_a_url_with_quotes_and_non_ascii_never_reaches_the_trace(
    run: Runner, tmp_path: Path
) -> None:
    odd = 'https://hooks.example.com/p/SECü"x1\\'
    file = routed(tmp_path, alert(destinations=[EVERY_KIND[1]]))
    first = run("apply", file, "--auto-approve", "--debug", GROWTH_HOOK=odd)
    moved = run("apply", file, "--auto-approve", "--debug", GROWTH_HOOK=odd + "2")
    assert first.exit_code == moved.exit_code == 0, moved.output
    for result in (first, moved):
        assert "SECü" not in result.stdout + result.stderr
        assert "(not shown)" in result.stderr


def test_headers_set_in_the_ui_are_never_traced(run: Runner, tmp_path: Path) -> None:
    file = routed(tmp_path, alert(destinations=[EVERY_KIND[1]]))
    assert run("apply", file, "--auto-approve").exit_code == 0
    (function,) = run.emu.hog_functions()
    inputs = {k: v for k, v in function["inputs"].items() if v}
    inputs["headers"] = {"value": {"Authorization": "Bearer HEADERTOKEN123"}}
    with client_for(run.emu) as http:
        assert http.patch(f"{HOG}{function['id']}/", json={"inputs": inputs}).status_code == 200
    changed = routed(tmp_path, alert(destinations=[{**EVERY_KIND[1], "method": "PUT"}]))
    result = run("apply", changed, "--auto-approve", "--debug")
    assert result.exit_code == 0, result.output
    assert "HEADERTOKEN123" not in result.stdout + result.stderr
    (after,) = run.emu.hog_functions()
    assert after["inputs"]["headers"]["value"] == {"Authorization": "Bearer HEADERTOKEN123"}


def test_a_missing_destination_scope_does_not_stop_the_other_alerts(tmp_path: Path) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:read", "integration:read"])
    try:
        plain = alert("Plain")
        assert run("apply", routed(tmp_path, plain), "--auto-approve").exit_code == 0
        moved = {
            **plain,
            "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 9}}},
        }
        file = routed(tmp_path, alert("A webhook", [EVERY_KIND[1]]), moved)
        result = run("apply", file, "--auto-approve", "--concurrency", "1")
        assert result.exit_code == 1
        assert "API key missing required scope 'hog_function:write'" in result.stdout
        assert "updated 'Plain'" in result.stdout and "skipped:" not in result.stdout
    finally:
        emu.stop()


def test_a_channel_move_through_the_alerts_endpoint_never_drops_custom_settings(
    tmp_path: Path,
) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:read", "integration:read"])
    try:
        assert run("apply", routed(tmp_path, alert()), "--auto-approve").exit_code == 0
        (live,) = emu.alerts()
        with client_for(emu) as http:
            made = create_destination(http, live["id"], "slack")  # the UI's own message
        moved = routed(tmp_path, alert(destinations=[{**SLACK, "channel": "eng-alerts"}]))
        result = run("apply", moved, "--auto-approve")
        assert result.exit_code == 1
        assert "would replace this destination with a new one at PostHog's message" in result.stdout
        assert [f["id"] for f in emu.hog_functions()] == [made["id"]]
    finally:
        emu.stop()


def test_a_ui_destination_stored_by_channel_name_compares_by_id(
    run: Runner, tmp_path: Path
) -> None:
    assert run("apply", routed(tmp_path, alert()), "--auto-approve").exit_code == 0
    (live,) = run.emu.alerts()
    with client_for(run.emu) as http:
        body_inputs = {"slack_workspace": {"value": 42}, "channel": {"value": "#general"}}
        create_destination(http, live["id"], "slack", inputs=body_inputs)
    exported = tmp_path / "exported.yaml"
    assert run("export", "--output", str(exported)).exit_code == 0
    assert "channel: '#general'" in exported.read_text()
    for file in (
        str(exported),
        routed(tmp_path, alert(destinations=[{**SLACK, "channel": "C0GENERAL01"}])),
    ):
        result = run("plan", file, "--detailed-exitcode")
        assert result.exit_code == 0, result.output


def test_a_url_written_as_a_channel_is_neither_echoed_nor_searched(
    run: Runner, tmp_path: Path
) -> None:
    secret = "https://hooks.slack.com/services/T0/B0/SECRETCHANNEL"
    file = routed(tmp_path, alert(destinations=[{**SLACK, "channel": secret}]))
    for command in ("validate", "plan"):
        result = run(command, file)
        assert result.exit_code == 1
        assert "SECRETCHANNEL" not in result.stdout + result.stderr
    assert not any("SECRETCHANNEL" in str(r.query) for r in run.emu.requests)


def test_status_never_shows_a_url_a_destination_name_quotes(run: Runner, tmp_path: Path) -> None:
    file = routed(tmp_path, alert(destinations=[EVERY_KIND[1]]))
    assert run("apply", file, "--auto-approve").exit_code == 0
    (function,) = run.emu.hog_functions()
    with client_for(run.emu) as http:
        named = {"name": f"Webhook {URLS['GROWTH_HOOK']}", "enabled": False}
        assert http.patch(f"{HOG}{function['id']}/", json=named).status_code == 200
    for fmt in ("text", "json", "markdown"):
        result = run("status", file, "--format", fmt)
        assert "T0P-SECRET" not in result.stdout + result.stderr
