"""Destinations under stress: no URL in any output, saved plans, partial failure, lost
responses, keys with alert scopes only (the alert's own Slack endpoint)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alertsync.emulator import Emulator, NoFaults, default_seed
from alertsync.emulator.faults import DROP, Outcome
from alertsync.emulator.wire import Request, Response, json_response
from tests.builders import Runner, add_key
from tests.cli.test_destinations import EVERY_KIND, HOG, SLACK, URLS, alert, routed


@pytest.fixture
def run(emulator: Emulator) -> Runner:
    runner = Runner(emulator)
    runner.env.update(URLS)
    return runner


SECRET_PARTS = [url.split("://", 1)[1].split("/", 1)[1] for url in URLS.values()]


def test_no_output_plan_file_or_trace_holds_a_url(run: Runner, tmp_path: Path) -> None:
    file = routed(tmp_path, alert(destinations=EVERY_KIND))
    saved = tmp_path / "plan.json"
    outputs = [
        run("plan", file, "--debug"),
        run("plan", file, "--format", "json", "--out", str(saved)),
        run("plan", file, "--format", "markdown"),
        run("apply", str(saved), "--debug"),
    ]
    assert outputs[-1].exit_code == 0, outputs[-1].output
    assert len(run.emu.alerts()) == 1
    moved = routed(tmp_path, alert(destinations=[EVERY_KIND[1], {**EVERY_KIND[2], "content": "x"}]))
    changed = {**URLS, "GROWTH_HOOK": URLS["GROWTH_HOOK"] + "-rotated"}
    outputs += [
        run("plan", moved, "--debug", **changed),
        run("apply", moved, "--auto-approve", "--debug", "--format", "json", **changed),
        run("apply", moved, "--auto-approve", "--format", "markdown", **changed),
        run("export", "--debug", "--env-file", str(tmp_path / "env")),
        run("test-delivery", "Signups dropped", "--debug"),
    ]
    assert "debug" in outputs[0].stderr.lower() or outputs[0].stderr
    texts = [o.stdout + o.stderr for o in outputs] + [saved.read_text()]
    for text in texts:
        for part in SECRET_PARTS:
            assert part not in text
    assert any("hog_functions" in o.stderr for o in outputs)  # the trace did show the calls


def test_a_saved_plan_refuses_a_variable_that_changed(run: Runner, tmp_path: Path) -> None:
    file = routed(tmp_path, alert(destinations=EVERY_KIND))
    saved = tmp_path / "plan.json"
    assert run("plan", file, "--out", str(saved)).exit_code == 0
    rotated = run("apply", str(saved), GROWTH_HOOK=URLS["GROWTH_HOOK"] + "x")
    assert rotated.exit_code == 1
    assert "$GROWTH_HOOK no longer hold(s) the URL this plan was made with" in rotated.stderr
    assert run.writes() == []
    document = json.loads(saved.read_text())
    (change,) = document["changes"]
    assert [d["after"].get("url_env") for d in change["destinations"]] == [
        None,
        "GROWTH_HOOK",
        "DISCORD_HOOK",
        "TEAMS_HOOK",
    ]
    assert run("apply", str(saved)).exit_code == 0
    assert len(run.emu.hog_functions()) == 4


def test_a_saved_plan_refuses_a_destination_changed_since(run: Runner, tmp_path: Path) -> None:
    assert (
        run("apply", routed(tmp_path, alert(destinations=[SLACK])), "--auto-approve").exit_code == 0
    )
    saved = tmp_path / "plan.json"
    file = routed(tmp_path, alert(destinations=[{**SLACK, "channel": "eng-alerts"}]))
    assert run("plan", file, "--out", str(saved)).exit_code == 0
    (function,) = run.emu.hog_functions()
    from tests.builders import client_for

    with client_for(run.emu) as http:
        inputs = {
            k: {"value": v["value"]} for k, v in function["inputs"].items() if v and "value" in v
        }
        inputs["channel"] = {"value": "C0GENERAL01"}
        assert http.patch(f"{HOG}{function['id']}/", json={"inputs": inputs}).status_code == 200
    run.emu.clear_requests()
    stale = run("apply", str(saved))
    assert stale.exit_code == 1
    assert "STALE" in stale.stdout and "was changed since the plan" in stale.stdout
    assert run.writes() == []


class FailFirstSlackCreate(NoFaults):
    """Refuses the first Slack destination create, as a server error would."""

    def __init__(self) -> None:
        self.failed = False

    def before(self, request: Request) -> Response | None:
        slack = (
            request.method == "POST" and request.path == HOG and b"template-slack" in request.body
        )
        if slack and not self.failed:
            self.failed = True
            refusal = {"type": "validation_error", "code": "invalid_input", "attr": None}
            return json_response(400, {**refusal, "detail": "Slack is having a bad day"})
        return None


def test_a_failed_destination_is_reported_and_the_next_apply_adds_only_it(tmp_path: Path) -> None:
    with Emulator(fault_policy=FailFirstSlackCreate()) as emu:
        run = Runner(emu)
        run.env.update(URLS)
        file = routed(tmp_path, alert(destinations=EVERY_KIND))
        first = run("apply", file, "--auto-approve")
        assert first.exit_code == 1
        assert "the alert is saved (id" in first.stdout
        assert "FAILED: add Slack #growth-alerts (Hedgebox)" in first.stdout
        assert "Slack is having a bad day" in first.stdout
        assert len(emu.hog_functions()) == 3
        emu.clear_requests()
        second = run("apply", file, "--auto-approve")
        assert second.exit_code == 0, second.output
        assert [(m, p) for m, p, _ in run.writes()] == [("POST", HOG)]
        assert len(emu.hog_functions()) == 4


class LoseCreateResponses(NoFaults):
    """Makes every destination, then drops the connection: the client cannot tell."""

    def after(self, request: Request, response: Response) -> Outcome:
        if request.method == "POST" and request.path == HOG:
            return DROP
        return response


def test_a_lost_create_is_found_by_listing_not_sent_twice(tmp_path: Path) -> None:
    with Emulator(fault_policy=LoseCreateResponses()) as emu:
        run = Runner(emu)
        run.env.update({**URLS, "ALERTSYNC_RETRY_BASE_DELAY": "0.001"})
        file = routed(tmp_path, alert(destinations=EVERY_KIND))
        result = run("apply", file, "--auto-approve")
        assert result.exit_code == 0, result.output
        assert "recovered after a lost response" in result.stdout
        assert len(emu.hog_functions()) == 4
        assert sum(1 for r in emu.requests if r.method == "POST" and r.path == HOG) == 4


def scoped_run(scopes: list[str]) -> tuple[Emulator, Runner]:
    seed = default_seed()
    key = add_key(seed, scopes)
    emu = Emulator(seed=seed)
    emu.start()
    run = Runner(emu, key)
    run.env.update(URLS)
    return emu, run


ALERT_SCOPES = ["alert:read", "alert:write", "insight:read", "organization_member:read"]


def test_an_alert_scoped_key_manages_slack_through_the_alerts_endpoint(tmp_path: Path) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:read", "integration:read"])
    try:
        file = routed(tmp_path, alert(destinations=[SLACK]))
        first = run("apply", file, "--auto-approve")
        assert first.exit_code == 0, first.output
        assert "through the alert's Slack endpoint" in first.stdout
        (function,) = emu.hog_functions()
        assert function["inputs"]["channel"]["value"] == "C0123456789"
        assert run("plan", file, "--detailed-exitcode").exit_code == 0
        moved = routed(tmp_path, alert(destinations=[{**SLACK, "channel": "eng-alerts"}]))
        assert run("apply", moved, "--auto-approve").exit_code == 0
        assert [f["inputs"]["channel"]["value"] for f in emu.hog_functions()] == ["C0ENGALERTS"]
        assert run("plan", moved, "--detailed-exitcode").exit_code == 0
        assert (
            run("apply", routed(tmp_path, alert(destinations=[])), "--auto-approve").exit_code == 0
        )
        assert emu.hog_functions() == []
    finally:
        emu.stop()


def test_a_webhook_without_hog_function_write_names_the_scope(tmp_path: Path) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:read"])
    try:
        file = routed(tmp_path, alert(destinations=[EVERY_KIND[1]]))
        result = run("apply", file, "--auto-approve")
        assert result.exit_code == 1
        assert "API key missing required scope 'hog_function:write'" in result.stdout
        assert emu.alerts() and emu.hog_functions() == []
    finally:
        emu.stop()


def test_slack_without_integration_read_names_the_scope(tmp_path: Path) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:write"])
    try:
        result = run("plan", routed(tmp_path, alert(destinations=[SLACK])))
        assert result.exit_code == 1
        assert "API key missing required scope 'integration:read'" in result.stderr
        assert "listing Slack integrations to find the Slack workspaces" in result.stderr
    finally:
        emu.stop()


def test_a_server_that_manages_destinations_only_through_alerts_gets_slack_there(
    tmp_path: Path,
) -> None:
    """A future PostHog may stop exempting insight alerts from its managed-event guard
    (contract §4.1): Slack then goes through the alert's endpoint; the others say why not."""
    seed = default_seed()
    seed["features"]["insight_alert_event_exempt"] = False
    with Emulator(seed=seed) as emu:
        run = Runner(emu)
        run.env.update(URLS)
        file = routed(tmp_path, alert(destinations=[SLACK, EVERY_KIND[1]]))
        result = run("apply", file, "--auto-approve")
        assert result.exit_code == 1
        assert "now notifies Slack #growth-alerts (Hedgebox) (through the alert's" in result.stdout
        assert "manages alert destinations only through its alert API" in result.stdout
        assert [f["template"]["id"] for f in emu.hog_functions()] == ["template-slack"]


def test_the_alerts_slack_endpoint_is_not_used_for_a_custom_message(tmp_path: Path) -> None:
    emu, run = scoped_run([*ALERT_SCOPES, "hog_function:read", "integration:read"])
    try:
        file = routed(tmp_path, alert(destinations=[{**SLACK, "text": "Custom"}]))
        result = run("apply", file, "--auto-approve")
        assert result.exit_code == 1
        assert (
            "sends PostHog's message only: text, blocks and enabled cannot be set there"
            in result.stdout
        )
        assert emu.hog_functions() == []
    finally:
        emu.stop()
