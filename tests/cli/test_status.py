"""`alertsync status` against the emulator, put in each state PostHog can leave an alert in:
an errored check, a stale last check, a snooze, disabled in PostHog while the file says
enabled, a destination the CDP disabled and one it degraded, an alert not created yet. Each
is reported, with the exit code --fail-on promises; and status only ever reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    ALERTS,
    Runner,
    alert,
    client_for,
    create_destination,
    ids_by_name,
    write,
)

FLOOR, SPIKE, WEEKLY = "Signups floor", "Checkout errors spike", "Revenue weekly"


@pytest.fixture
def alerts_file(tmp_path: Path) -> Path:
    return write(
        tmp_path / "alerts.yaml",
        {
            "alerts": [
                alert(FLOOR, calculation_interval="daily"),
                alert(SPIKE, calculation_interval="hourly"),
                alert(WEEKLY, calculation_interval="weekly"),
            ]
        },
    )


@pytest.fixture
def ids(run: Runner, alerts_file: Path) -> dict[str, str]:
    applied = run("apply", str(alerts_file), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    run.emu.clear_requests()
    return ids_by_name(run.emu)


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def as_json(run: Runner, alerts_file: Path, *flags: str) -> tuple[int, dict[str, Any]]:
    result = run("status", str(alerts_file), "--format", "json", *flags)
    assert result.stderr == "", result.stderr
    return result.exit_code, json.loads(result.stdout)


def rows(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (target,) = document["targets"]
    return {row["name"]: row for row in target["alerts"]}


def test_alerts_just_created_have_nothing_to_report(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    result = run("status", str(alerts_file))
    assert result.exit_code == 0, result.output
    assert "Summary: 3 alert(s), nothing to report." in result.stdout
    assert "weekends in UTC, the default: PostHog's API does not give the project's" in (
        result.stdout
    )
    code, document = as_json(run, alerts_file, "--timezone", "Europe/Paris")
    assert (code, document["timezone"], document["timezone_given"]) == (0, "Europe/Paris", True)
    assert "No alert is in a state --fail-on errored,overdue,destination-disabled selects." in (
        result.stdout
    )


def test_an_errored_check_fails_the_default_run(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    run.emu.record_check(ids[FLOOR], state="Not firing", at=ago(hours=26))
    run.emu.record_check(ids[FLOOR], state="Errored", error="Query timed out", at=ago(hours=2))

    result = run("status", str(alerts_file))
    assert result.exit_code == 1, result.output
    assert "! errored: This alert encountered an error. Check the alert configuration" in (
        result.stdout
    )
    assert "1 alert(s) in a state --fail-on errored,overdue,destination-disabled selects" in (
        result.stdout
    )
    code, document = as_json(run, alerts_file)
    floor = rows(document)[FLOOR]
    assert (code, floor["state"], floor["since"]["exact"]) == (1, "Errored", True)
    assert floor["failing"] == ["errored"] and document["failed"] is True
    assert run("status", str(alerts_file), "--fail-on", "none").exit_code == 0
    assert run("status", str(alerts_file), "--fail-on", "firing,overdue").exit_code == 0


def test_a_stale_last_check_is_overdue(run: Runner, alerts_file: Path, ids: dict[str, str]) -> None:
    run.emu.record_check(ids[FLOOR], state="Not firing", at=ago(days=3))
    run.emu.set_check_times(ids[FLOOR], last_checked_at=ago(days=3), next_check_at=ago(days=2))

    code, document = as_json(run, alerts_file)
    late = rows(document)[FLOOR]["overdue"]
    assert code == 1 and rows(document)[FLOOR]["conditions"] == ["overdue"]
    assert late["reference"] == "last check" and late["grace_seconds"] == 6 * 3600
    text = run("status", str(alerts_file), "--fail-on", "errored")
    assert text.exit_code == 0
    assert "- overdue: no check since" in text.stdout and "6 h grace ended at" in text.stdout


def test_a_weekly_alert_checked_four_days_ago_is_not_overdue(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    run.emu.record_check(ids[WEEKLY], state="Not firing", at=ago(days=4))
    code, document = as_json(run, alerts_file)
    assert code == 0 and rows(document)[WEEKLY]["overdue"] is None


def test_a_snoozed_alert_says_until_when_and_fails_only_when_asked(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    run.emu.record_check(ids[SPIKE], state="Firing", at=ago(days=10))
    with client_for(run.emu) as http:
        http.patch(f"{ALERTS}{ids[SPIKE]}/", json={"snoozed_until": "2d"}).raise_for_status()

    result = run("status", str(alerts_file))
    assert result.exit_code == 0, result.output  # snoozed for days, yet never overdue
    assert "- snoozed: until" in result.stdout
    code, document = as_json(run, alerts_file, "--fail-on", "snoozed")
    spike = rows(document)[SPIKE]
    assert (code, spike["state"], spike["conditions"]) == (1, "Snoozed", ["snoozed"])
    assert spike["snoozed_until"] is not None and spike["overdue"] is None


def test_disabled_in_posthog_while_the_file_says_enabled(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    with client_for(run.emu) as http:
        http.patch(f"{ALERTS}{ids[WEEKLY]}/", json={"enabled": False}).raise_for_status()

    result = run("status", str(alerts_file))
    assert result.exit_code == 0, result.output
    assert "- disabled: enabled: false in PostHog while the file says enabled" in result.stdout
    assert run("status", str(alerts_file), "--fail-on", "disabled").exit_code == 1
    drift = run("plan", str(alerts_file), "--detailed-exitcode")
    assert drift.exit_code == 2 and "enabled: false -> true" in drift.stdout


def test_destinations_the_cdp_disabled_or_degraded_with_their_last_delivery(
    run: Runner, alerts_file: Path, ids: dict[str, str]
) -> None:
    with client_for(run.emu) as http:
        slack = create_destination(http, ids[FLOOR], name="Signups: Slack #growth-alerts")
        hook = create_destination(http, ids[FLOOR], "webhook", name="Signups: Webhook")
    run.emu.record_alert_check(ids[FLOOR], state="Firing", calculated_value=12)
    run.emu.disable_hog_function_by_cdp(slack["id"])
    run.emu.set_hog_function_status(hook["id"], "degraded")

    result = run("status", str(alerts_file))
    assert result.exit_code == 1, result.output
    assert (
        "! destination-disabled: 'Signups: Slack #growth-alerts' (slack): disabled "
        "(enabled: false)" in result.stdout
    )
    assert "- destination-degraded: 'Signups: Webhook' (webhook): degraded by PostHog" in (
        result.stdout
    )
    code, document = as_json(run, alerts_file, "--fail-on", "destination-degraded")
    floor = rows(document)[FLOOR]
    health = {d["name"]: (d["health"], d["state"]) for d in floor["destinations"]}
    assert code == 1 and health == {
        "Signups: Slack #growth-alerts": ("disabled", 0),
        "Signups: Webhook": ("degraded", 2),
    }
    assert all(d["last_delivery"]["status"] == "accepted" for d in floor["destinations"])
    assert floor["conditions"] == ["destination-disabled", "firing", "destination-degraded"]
    assert rows(document)[SPIKE]["destinations"] == []


def test_an_alert_not_created_yet_is_reported(run: Runner, tmp_path: Path) -> None:
    path = write(tmp_path / "new.yaml", {"alerts": [alert("Brand new")]})
    result = run("status", str(path))
    assert result.exit_code == 0, result.output
    assert "Not created" in result.stdout
    assert "- missing: declared at" in result.stdout
    assert run("status", str(path), "--fail-on", "missing").exit_code == 1


def test_status_only_reads(run: Runner, alerts_file: Path, ids: dict[str, str]) -> None:
    with client_for(run.emu) as http:
        create_destination(http, ids[FLOOR])
    run.emu.record_check(ids[SPIKE], state="Errored", error="boom")
    run.emu.clear_requests()

    assert run("status", str(alerts_file), "--checks", "7").exit_code == 1
    sent = run.emu.requests
    assert {r.method for r in sent} == {"GET"}
    retrieves = [r for r in sent if r.path.rstrip("/").split("/")[-1] in ids.values()]
    assert len(retrieves) == 3 and all(r.query["checks_limit"] == "7" for r in retrieves)
    (listing,) = [r for r in sent if "hog_functions" in r.path]
    assert listing.query["type"] == "internal_destination" and listing.query["full"] == "true"
    assert "$insight_alert_firing" in listing.query["filter_groups"]


def test_a_key_without_the_hog_function_scope_still_reports_alerts(
    alerts_file: Path, emulator: Emulator
) -> None:
    Runner(emulator)("apply", str(alerts_file), "--auto-approve")
    run = Runner(emulator, key=emulator.api_keys["read"])
    result = run("status", str(alerts_file), "--format", "json")
    assert result.exit_code == 0, result.output
    (target,) = json.loads(result.stdout)["targets"]
    assert all(row["destinations"] is None for row in target["alerts"])
    assert target["notes"] == [
        "destinations not read: the API key lacks the hog_function:read scope; "
        "destination health was not checked"
    ]


def test_the_seed_can_leave_alerts_errored_stale_and_snoozed(tmp_path: Path) -> None:
    from alertsync.emulator import default_seed

    seed = default_seed()
    body = {
        "insight": 101,
        "subscribed_users": [1],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 10}}},
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
    }
    seed["alerts"] = [
        {**body, "name": "Errored", "checks": [{"state": "Errored", "error": "Timed out"}]},
        {**body, "name": "Stale", "last_checked_at": "2025-06-01T01:00:00Z"},
        {**body, "name": "Snoozed", "snooze": "1d", "last_checked_at": "2025-06-01T01:00:00Z"},
    ]
    path = write(
        tmp_path / "a.yaml", {"alerts": [alert(n) for n in ("Errored", "Stale", "Snoozed")]}
    )
    with Emulator(seed=seed) as emu:
        code, document = as_json(Runner(emu), path, "--fail-on", "errored,overdue,snoozed")
    assert code == 1
    assert {name: row["conditions"] for name, row in rows(document).items()} == {
        "Errored": ["errored"],
        "Snoozed": ["snoozed"],
        "Stale": ["overdue"],
    }


def test_bad_options_are_one_error_line_and_nothing_is_sent(run: Runner, alerts_file: Path) -> None:
    bad = run("status", str(alerts_file), "--fail-on", "errored,on-fire")
    assert bad.exit_code == 1
    assert "Invalid value for '--fail-on': on-fire is not a condition" in bad.stderr
    mixed = run("status", str(alerts_file), "--fail-on", "none,errored")
    assert mixed.exit_code == 1 and "none cannot be combined" in mixed.stderr
    zone = run("status", str(alerts_file), "--timezone", "Mars/Olympus_Mons")
    assert zone.exit_code == 1
    assert zone.stderr.startswith("Error: unknown timezone 'Mars/Olympus_Mons'")
    assert run.emu.requests == []


def test_invalid_files_are_refused_before_any_request(run: Runner, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", {"alerts": [{"name": "No insight"}]})
    result = run("status", str(path))
    assert result.exit_code == 1 and "problem(s) in 1 file(s)" in result.stderr
    assert run.emu.requests == []


def test_markdown_for_an_issue(run: Runner, alerts_file: Path, ids: dict[str, str]) -> None:
    run.emu.record_check(ids[FLOOR], state="Errored", error="boom")
    result = run("status", str(alerts_file), "--format", "markdown")
    assert result.exit_code == 1
    assert result.stdout.startswith("### alertsync status: 1 of 3 alert(s) need attention")
    assert "| 🔴 | `Signups floor` | Errored |" in result.stdout
