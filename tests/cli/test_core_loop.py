"""The main job end to end: the CLI against the emulator over loopback HTTP."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import (
    REAL_TIME_REFUSED,
    TRENDS,
    Runner,
    alert,
    ids_by_name,
    load,
    post_alert,
    without_real_time,
    write,
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(TRENDS, tmp_path / "alerts.yaml"))


def test_first_plan_creates_everything_then_apply_then_no_changes(
    run: Runner, example: Path
) -> None:
    names = [a["name"] for a in load(example)["alerts"]]
    first = run("plan", str(example), "--detailed-exitcode")
    assert first.exit_code == 2, first.output
    assert f"Plan: {len(names)} to create, 0 to update, 0 to delete." in first.stdout
    assert all(f"+ create {n!r}" in first.stdout for n in names)
    assert run.writes() == []

    applied = run("apply", str(example), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert f"Apply complete: {len(names)} created, 0 updated, 0 deleted" in applied.stdout
    assert [m for m, _, _ in run.writes()] == ["POST"] * len(names)
    assert sorted(a["name"] for a in run.emu.alerts()) == sorted(names)

    second = run("plan", str(example), "--detailed-exitcode")
    assert second.exit_code == 0, second.output
    assert "No changes." in second.stdout


def test_one_bound_changed_is_one_patch_with_only_threshold(run: Runner, example: Path) -> None:
    assert run("apply", str(example), "--auto-approve").exit_code == 0
    data = load(example)
    target = data["alerts"][0]
    target["threshold"]["configuration"]["bounds"]["lower"] = 42
    write(example, data)
    run.emu.clear_requests()

    plan = run("plan", str(example))
    assert "Plan: 0 to create, 1 to update, 0 to delete." in plan.stdout
    assert f"~ update {target['name']!r}" in plan.stdout
    assert "~ threshold.configuration.bounds.lower: 50 -> 42" in plan.stdout
    assert "firing state" in plan.stdout

    run.emu.clear_requests()
    assert run("apply", str(example), "--auto-approve").exit_code == 0
    ((method, path, body),) = run.writes()
    assert method == "PATCH"
    assert path.rstrip("/").endswith(ids_by_name(run.emu)[target["name"]])
    assert body == {
        "threshold": {"name": "", "configuration": {"type": "absolute", "bounds": {"lower": 42}}}
    }
    assert "No changes." in run("plan", str(example)).stdout


def test_removing_an_alert_is_one_delete(run: Runner, example: Path) -> None:
    assert run("apply", str(example), "--auto-approve").exit_code == 0
    data = load(example)
    removed = data["alerts"].pop(2)
    removed_id = ids_by_name(run.emu)[removed["name"]]
    write(example, data)
    run.emu.clear_requests()
    result = run("apply", str(example), "--auto-approve")
    assert result.exit_code == 0, result.output
    ((method, path, body),) = run.writes()
    assert method == "DELETE" and body is None
    assert path.rstrip("/").endswith(removed_id)
    assert removed["name"] not in [a["name"] for a in run.emu.alerts()]
    assert "No changes." in run("plan", str(example)).stdout


def test_more_than_a_page_of_live_alerts(run: Runner, tmp_path: Path) -> None:
    many = write(tmp_path / "many.yaml", {"alerts": [alert(f"alert {i:03}") for i in range(250)]})
    assert run("apply", str(many), "--auto-approve").exit_code == 0
    assert len(run.emu.alerts()) == 250
    run.emu.clear_requests()

    again = run("plan", str(many), "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "Live alerts in scope: 250" in again.stdout
    listing = [r for r in run.emu.requests if r.path.endswith("/alerts/")]
    assert sorted(int(r.query["offset"]) for r in listing) == [0, 100, 200]

    data = load(many)
    del data["alerts"][7]
    write(many, data)
    result = run("apply", str(many), "--auto-approve")
    assert result.exit_code == 0
    assert "0 created, 0 updated, 1 deleted" in result.stdout
    assert len(run.emu.alerts()) == 249


def test_invalid_files_send_nothing(run: Runner) -> None:
    cases = sorted((Path(__file__).parent.parent / "cases" / "invalid").glob("*.yaml"))
    for case in cases:
        for args in (("plan", str(case)), ("apply", str(case), "--auto-approve")):
            result = run(*args)
            assert result.exit_code == 1, (case.name, result.output)
            assert f"{case}:" in result.stderr, (case.name, result.stderr)
            assert "Traceback" not in result.output
    assert run.emu.requests == []


def test_wrong_key_is_rejected_without_leaking_it(emulator: Emulator, example: Path) -> None:
    secret = "phx_this_key_is_wrong_0123456789"
    result = Runner(emulator, key=secret)("plan", str(example))
    assert result.exit_code == 1
    assert "rejected the API key" in result.stderr
    assert secret not in result.output


def test_missing_scope_names_it(emulator: Emulator, example: Path) -> None:
    read_only = Runner(emulator, key=emulator.api_keys["read"])
    result = read_only("apply", str(example), "--auto-approve")
    assert result.exit_code == 1
    assert "alert:write" in result.stdout + result.stderr
    assert emulator.alerts() == []


def test_empty_files_never_wipe_the_project(run: Runner, example: Path, tmp_path: Path) -> None:
    assert run("apply", str(example), "--auto-approve").exit_code == 0
    empty = write(tmp_path / "empty.yaml", {"alerts": []})
    run.emu.clear_requests()
    refused = run("apply", str(empty), "--auto-approve")
    assert refused.exit_code == 1
    assert "--allow-empty" in refused.stderr
    assert run.writes() == []
    allowed = run("apply", str(empty), "--auto-approve", "--allow-empty")
    assert allowed.exit_code == 0
    assert run.emu.alerts() == []


def test_an_empty_directory_is_an_error(run: Runner, tmp_path: Path) -> None:
    result = run("plan", str(tmp_path))
    assert result.exit_code == 1
    assert "no *.yaml" in result.stderr
    assert run.emu.requests == []


def test_duplicate_live_names_are_refused(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert("Twin")]})
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    ui_body = {**alert("Twin"), "insight": 101, "subscribed_users": [1]}
    post_alert(run.emu, {**ui_body, "config": {"type": "TrendsAlertConfig", "series_index": 0}})
    ids = [a["id"] for a in run.emu.alerts()]
    run.emu.clear_requests()
    result = run("apply", str(file), "--auto-approve")
    assert result.exit_code == 1
    assert all(i in result.stderr for i in ids)
    assert run.writes() == []


def test_scope_leaves_other_alerts_alone(run: Runner, tmp_path: Path) -> None:
    theirs = write(tmp_path / "theirs.yaml", {"alerts": [alert("Someone else's")]})
    assert run("apply", str(theirs), "--auto-approve").exit_code == 0
    ours = write(
        tmp_path / "ours.yaml",
        {"scope": {"name_prefix": "[growth] "}, "alerts": [alert("[growth] Signups")]},
    )
    result = run("apply", str(ours), "--auto-approve")
    assert result.exit_code == 0
    assert "Someone else's" not in result.stdout
    assert "1 other live alert(s) left alone" in result.stdout
    assert sorted(a["name"] for a in run.emu.alerts()) == ["Someone else's", "[growth] Signups"]


def test_api_refusal_shows_posthogs_message(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "a.yaml",
        {"alerts": [alert("Real time", calculation_interval="real_time"), alert("Fine")]},
    )
    with Emulator(seed=without_real_time()) as emu:
        run = Runner(emu)
        result = run("apply", str(bad), "--auto-approve")
        assert result.exit_code == 1
        assert REAL_TIME_REFUSED in result.output
        assert "(field calculation_interval)" in result.output
        assert "creating alert 'Real time'" in result.output
        assert "Traceback" not in result.output
        assert [a["name"] for a in run.emu.alerts()] == ["Fine"]
        assert "1 created, 0 updated, 0 deleted, 1 failed" in result.stdout


def test_unknown_references_point_at_the_file(run: Runner, tmp_path: Path) -> None:
    file = write(
        tmp_path / "a.yaml",
        {"alerts": [alert("X", insight="Nope1234", subscribed_users=["nobody@example.com"])]},
    )
    result = run("plan", str(file))
    assert result.exit_code == 1
    assert f"{file}:3:12: alerts[0].insight: no insight with short id 'Nope1234'" in result.stderr
    assert "nobody@example.com is not a member" in result.stderr
    assert run.writes() == []


def test_apply_refuses_without_a_terminal_or_auto_approve(run: Runner, example: Path) -> None:
    result = run("apply", str(example))
    assert result.exit_code == 1
    assert "--auto-approve" in result.stderr
    assert run.writes() == []


def test_apply_asks_and_accepts_only_yes(
    run: Runner, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("alertsync.cli.apply.interactive", lambda: True)
    declined = run("apply", str(example), stdin="no\n")
    assert declined.exit_code == 1 and "cancelled" in declined.stderr
    assert run.writes() == []
    accepted = run("apply", str(example), stdin="yes\n")
    assert accepted.exit_code == 0, accepted.output
    assert len(run.emu.alerts()) == len(load(example)["alerts"])


def test_usage_errors_exit_1(run: Runner) -> None:
    assert run("plan", "--detailed-exitcode").exit_code == 1
    assert run("plan", "x.yaml", "--no-such-flag").exit_code == 1
    assert run("frobnicate").exit_code == 1


def test_unmanaged_fields_never_diff(run: Runner, example: Path) -> None:
    assert run("apply", str(example), "--auto-approve").exit_code == 0
    first = run.emu.alerts()[0]
    run.emu.set_alert_state(first["id"], state="Firing")
    httpx.patch(
        f"{run.emu.base_url}/api/projects/{run.emu.project_id}/alerts/{first['id']}/",
        json={"snoozed_until": "1d"},
        headers={"Authorization": f"Bearer {run.emu.api_key}"},
    ).raise_for_status()
    result = run("plan", str(example), "--detailed-exitcode")
    assert result.exit_code == 0, result.output


def test_references_resolve_from_live_alerts_first(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "a.yaml", {"alerts": [alert("Signups")]})
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    run.emu.clear_requests()
    assert "No changes." in run("plan", str(file)).stdout
    assert {r.path.rstrip("/") for r in run.emu.requests} == {"/api/projects/1/alerts"}

    both = [alert("Signups"), alert("Revenue", insight="Kx7pQ2mN")]
    write(file, {"alerts": both})
    run.emu.clear_requests()
    assert "Plan: 1 to create" in run("plan", str(file)).stdout
    lookups = [r.query.get("short_id") for r in run.emu.requests if "/insights" in r.path]
    assert lookups == ["Kx7pQ2mN"]
    assert not [r for r in run.emu.requests if "/members" in r.path]


def test_a_concurrent_apply_reports_in_plan_order(run: Runner, tmp_path: Path) -> None:
    names = [f"alert {i:02}" for i in range(30)]
    file = write(tmp_path / "a.yaml", {"alerts": [alert(n) for n in reversed(names)]})
    result = run("apply", str(file), "--auto-approve", "--concurrency", "8")
    assert result.exit_code == 0, result.output
    reported = [line.split("'")[1] for line in result.stdout.splitlines() if "  created '" in line]
    assert reported == names
    assert sorted(a["name"] for a in run.emu.alerts()) == names
    assert "No changes." in run("plan", str(file)).stdout


def test_hundreds_of_new_short_ids_under_posthogs_insight_limits(tmp_path: Path) -> None:
    """More short ids than the insights endpoints' 240 requests a minute: one listing."""
    from alertsync.emulator import default_seed

    seed = default_seed()
    extra = [
        {**seed["insights"][0], "id": 1000 + i, "short_id": f"Ex{i:06d}", "name": f"Extra {i}"}
        for i in range(300)
    ]
    seed["insights"] = [*seed["insights"], *extra]
    file = write(
        tmp_path / "a.yaml",
        {"alerts": [alert(f"On {i['short_id']}", insight=i["short_id"]) for i in extra]},
    )
    with Emulator(seed=seed, throttle=True) as emu:
        result = Runner(emu)("plan", str(file))
        assert result.exit_code == 0, result.output[-2000:]
        assert "Plan: 300 to create" in result.stdout
        assert not [r for r in emu.requests if r.status == 429]
