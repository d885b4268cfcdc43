"""Destinations managed with their alert, end to end against the emulator: converging, one
request per change, the cascade, problems found before anything is written, scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import Runner, add_key, load, write

HOG = "/api/projects/1/hog_functions/"
URLS = {
    "GROWTH_HOOK": "https://hooks.example.com/posthog/T0P-SECRET-webhook-path",
    "DISCORD_HOOK": "https://discord.com/api/webhooks/123456/S3CRET-discord-token",
    "TEAMS_HOOK": "https://contoso.webhook.office.com/webhookb2/aaa/IncomingWebhook/S3CRET-teams",
}
SLACK = {"type": "slack", "workspace": "Hedgebox", "channel": "#growth-alerts"}
EVERY_KIND = [
    SLACK,
    {"type": "webhook", "url_env": "GROWTH_HOOK"},
    {"type": "discord", "url_env": "DISCORD_HOOK"},
    {"type": "teams", "url_env": "TEAMS_HOOK"},
]


def alert(name: str = "Signups dropped", destinations: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "insight": "Ab3dE9fG",
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 50}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
    }
    if destinations is not None:
        body["destinations"] = destinations
    return body


def editor_filters(alert_id: str) -> dict[str, Any]:
    """The filters of a function PostHog's alert editor made (contract §3.2), as PostHog
    stores them: the editor omits `source`, which is stored as `events` (the bytecode
    PostHog compiles from them is left out). Written out here rather than taken from
    alertsync, so a test can tell the two apart."""
    return {
        "source": "events",
        "events": [{"id": "$insight_alert_firing", "type": "events"}],
        "properties": [
            {"key": "alert_id", "value": alert_id, "operator": "exact", "type": "event"}
        ],
    }


def stored_filters(function: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in function["filters"].items() if k != "bytecode"}


def routed(tmp_path: Path, *alerts: dict[str, Any]) -> str:
    return str(write(tmp_path / "alerts.yaml", {"alerts": list(alerts)}))


@pytest.fixture
def run(emulator: Emulator) -> Runner:
    runner = Runner(emulator)
    runner.env.update(URLS)
    return runner


def applied(run: Runner, file: str) -> None:
    result = run("apply", file, "--auto-approve")
    assert result.exit_code == 0, result.output
    run.emu.clear_requests()


def test_every_kind_converges_with_one_function_per_destination(
    run: Runner, tmp_path: Path
) -> None:
    file = routed(tmp_path, alert(destinations=EVERY_KIND))
    first = run("plan", file, "--detailed-exitcode")
    assert first.exit_code == 2
    assert "+ notify Slack #growth-alerts (Hedgebox)" in first.stdout
    assert "destinations: 4 to add, 0 to change, 0 to remove." in first.stdout
    applied(run, file)
    again = run("plan", file, "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    (live,) = run.emu.alerts()
    functions = run.emu.hog_functions()
    assert sorted(f["template"]["id"] for f in functions) == [
        "template-discord",
        "template-microsoft-teams",
        "template-slack",
        "template-webhook",
    ]
    for function in functions:
        assert function["type"] == "internal_destination" and function["enabled"] is True
        assert stored_filters(function) == editor_filters(live["id"])  # whole: nothing else
    names = sorted(f["name"] for f in functions)
    assert names == [
        "Signups dropped: Discord",
        "Signups dropped: Microsoft Teams",
        "Signups dropped: Slack #growth-alerts",
        "Signups dropped: Webhook hooks.example.com",
    ]


def test_removing_one_destination_is_one_soft_delete(run: Runner, tmp_path: Path) -> None:
    applied(run, routed(tmp_path, alert(destinations=EVERY_KIND)))
    file = routed(tmp_path, alert(destinations=EVERY_KIND[:3]))
    plan = run("plan", file)
    assert "- stop notifying Teams contoso.webhook.office.com (…" in plan.stdout
    run.emu.clear_requests()
    assert run("apply", file, "--auto-approve").exit_code == 0
    (write_,) = run.writes()
    assert write_[0] == "PATCH" and write_[1].startswith(HOG)
    assert write_[2] == {"deleted": True, "enabled": False}
    assert len(run.emu.hog_functions()) == 3
    run.emu.clear_requests()
    assert run("apply", file, "--auto-approve").exit_code == 0  # and again: nothing to do
    assert run.writes() == []


def test_changing_a_slack_channel_is_one_change_and_no_new_function(
    run: Runner, tmp_path: Path
) -> None:
    applied(run, routed(tmp_path, alert(destinations=[SLACK])))
    (before,) = run.emu.hog_functions()
    file = routed(tmp_path, alert(destinations=[{**SLACK, "channel": "eng-alerts"}]))
    plan = run("plan", file)
    assert "~ change Slack #growth-alerts (Hedgebox)" in plan.stdout
    assert "~ channel: #growth-alerts -> #eng-alerts" in plan.stdout
    run.emu.clear_requests()
    result = run("apply", file, "--auto-approve")
    assert result.exit_code == 0, result.output
    assert [(m, p) for m, p, _ in run.writes()] == [("PATCH", f"{HOG}{before['id']}/")]
    (after,) = run.emu.hog_functions()
    assert after["id"] == before["id"]
    assert after["inputs"]["channel"]["value"] == "C0ENGALERTS"
    assert after["name"] == "Signups dropped: Slack #eng-alerts"
    assert after["inputs"]["blocks"] == before["inputs"]["blocks"]  # the message is kept
    assert run("plan", file, "--detailed-exitcode").exit_code == 0


def test_deleting_the_alert_is_one_delete_and_the_plan_names_what_goes_with_it(
    run: Runner, tmp_path: Path
) -> None:
    applied(run, routed(tmp_path, alert(destinations=EVERY_KIND[:2]), alert("Other", [])))
    file = routed(tmp_path, alert("Other", []))
    plan = run("plan", file)
    assert "- stop notifying Slack #growth-alerts (Hedgebox) (goes with the alert)" in plan.stdout
    assert "destinations:" not in plan.stdout  # nothing is sent for them
    applied(run, file)
    assert run.emu.hog_functions() == []


def test_deleting_the_alert_sends_only_the_delete(run: Runner, tmp_path: Path) -> None:
    applied(run, routed(tmp_path, alert(destinations=EVERY_KIND), alert("Other", [])))
    file = routed(tmp_path, alert("Other", []))
    result = run("apply", file, "--auto-approve")
    assert result.exit_code == 0, result.output
    (only,) = run.writes()
    assert only[0] == "DELETE" and only[1].startswith("/api/projects/1/alerts/")


def test_alerts_without_the_key_leave_their_destinations_alone(run: Runner, tmp_path: Path) -> None:
    applied(run, routed(tmp_path, alert(destinations=EVERY_KIND)))
    file = routed(tmp_path, alert())
    result = run("plan", file, "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert not any(HOG in path for _, path in run.methods())  # not even read


def test_an_empty_list_removes_every_destination(run: Runner, tmp_path: Path) -> None:
    applied(run, routed(tmp_path, alert(destinations=EVERY_KIND)))
    file = routed(tmp_path, alert(destinations=[]))
    assert run("apply", file, "--auto-approve").exit_code == 0
    assert run.emu.hog_functions() == []
    assert len(run.emu.hog_functions(include_deleted=True)) == 4


def test_destinations_made_in_the_ui_are_adopted_not_duplicated(
    run: Runner, tmp_path: Path
) -> None:
    """A destination made by the alert editor (the contract's example body) matches."""
    applied(run, routed(tmp_path, alert()))
    (live,) = run.emu.alerts()
    from tests.builders import client_for, create_destination

    with client_for(run.emu) as http:
        create_destination(http, live["id"], "slack")
    file = routed(tmp_path, alert(destinations=[SLACK]))
    result = run("plan", file, "--detailed-exitcode")
    assert result.exit_code == 0, result.output


PROBLEMS = [
    ({**SLACK, "workspace": "Nope"}, "workspace", "no Slack workspace 'Nope' is connected"),
    ({**SLACK, "channel": "#missing"}, "channel", "no channel with name '#missing'"),
    ({**SLACK, "channel": "random"}, "channel", "the PostHog app is not a member of #random"),
    ({**SLACK, "workspace": 43}, "workspace", "Your Slack connection is no longer active"),
    ({"type": "webhook", "url_env": "UNSET_HOOK"}, "url_env", "$UNSET_HOOK is not set"),
    ({"type": "discord", "url_env": "GROWTH_HOOK"}, "url_env", "is not a Discord webhook URL"),
    ({"type": "teams", "url_env": "DISCORD_HOOK"}, "url_env", "is not a Microsoft Teams"),
    ({**SLACK, "channel": "C0123456789"}, "", "the same destination as destinations[0]"),
]


@pytest.mark.parametrize(("entry", "field", "message"), PROBLEMS, ids=lambda v: str(v)[:30])
def test_a_destination_that_does_not_resolve_is_a_problem_at_its_line(
    run: Runner, tmp_path: Path, entry: dict[str, Any], field: str, message: str
) -> None:
    file = routed(tmp_path, alert(destinations=[SLACK, entry]))
    for command in ("plan", "apply"):
        result = run(command, file, "--auto-approve") if command == "apply" else run(command, file)
        assert result.exit_code == 1
        where = f"alerts[0].destinations[1]{'.' + field if field else ''}: "
        assert "alerts.yaml:" in result.stderr and where in result.stderr, result.stderr
        assert message in result.stderr
    assert run.writes() == []
    for secret in URLS.values():
        assert secret not in result.stderr


def test_a_key_without_hog_function_scopes_plans_files_without_destinations(
    tmp_path: Path,
) -> None:
    seed = default_seed()
    key = add_key(seed, ["alert:read", "alert:write", "insight:read", "organization_member:read"])
    with Emulator(seed=seed) as emu:
        run = Runner(emu, key)
        run.env.update(URLS)
        plain = routed(tmp_path, alert())
        assert run("apply", plain, "--auto-approve").exit_code == 0
        assert run("plan", plain, "--detailed-exitcode").exit_code == 0
        emu.clear_requests()
        result = run("plan", routed(tmp_path, alert(destinations=[SLACK])))
        assert result.exit_code == 1
        assert "API key missing required scope 'hog_function:read'" in result.stderr
        assert "listing alert destinations, which the files declare (first at" in result.stderr
        assert run.writes() == []
        for webhook in ([{"type": "webhook", "url_env": "GROWTH_HOOK"}], [SLACK]):
            applying = run("apply", routed(tmp_path, alert(destinations=webhook)), "--auto-approve")
            assert applying.exit_code == 1
            assert "API key missing required scope 'hog_function:read'" in applying.stderr
            assert "Traceback" not in applying.output
            assert run.writes() == []  # refused at plan time: the alert is not half-made


def test_the_example_converges_with_exactly_one_function_per_declared_destination(
    run: Runner,
) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "alerts.yaml"
    declared = {
        a["name"]: sorted(d["type"] for d in a.get("destinations", []))
        for a in load(example)["alerts"]
    }
    assert sorted(t for kinds in declared.values() for t in kinds) == [
        "discord",
        "slack",
        "slack",
        "teams",
        "webhook",
    ]
    first = run("plan", str(example), "--detailed-exitcode")
    assert first.exit_code == 2, first.output
    applied(run, str(example))
    again = run("plan", str(example), "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout.rstrip().endswith("No changes. The live alerts match the files.")
    ids = {a["name"]: a["id"] for a in run.emu.alerts()}
    by_alert: dict[str, list[str]] = {}
    for function in run.emu.hog_functions():
        assert function["type"] == "internal_destination" and function["enabled"] is True
        (owner,) = [n for n, i in ids.items() if stored_filters(function) == editor_filters(i)]
        kind = function["template"]["id"].removeprefix("template-").replace("microsoft-", "")
        by_alert.setdefault(owner, []).append(kind)
    assert {n: sorted(k) for n, k in by_alert.items()} == {n: k for n, k in declared.items() if k}
