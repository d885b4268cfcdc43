"""Saved plans, stale detection, machine- and reviewer-readable output, export round trips."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from alertsync.edges.schemas import plan_validator
from alertsync.emulator import Emulator
from tests.builders import TRENDS, Runner


def api(emu: Emulator, method: str, path: str, body: Any = None) -> Any:
    response = httpx.request(
        method,
        f"{emu.base_url}/api/projects/{emu.project_id}/alerts/{path}",
        json=body,
        headers={"Authorization": f"Bearer {emu.api_key}"},
    )
    response.raise_for_status()
    return response.json() if response.content else None


def ids(emu: Emulator) -> dict[str, str]:
    return {a["name"]: a["id"] for a in emu.alerts()}


def edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text())
    change(data["alerts"])
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@pytest.fixture
def applied(run: Runner, tmp_path: Path) -> Path:
    """The example file, applied to the emulator."""
    file = Path(shutil.copy(TRENDS, tmp_path / "alerts.yaml"))
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    return file


def four_changes(alerts: list[dict[str, Any]]) -> None:
    alerts[0]["threshold"]["configuration"]["bounds"]["lower"] = 45  # update
    alerts[1]["enabled"] = False  # update
    del alerts[2]  # delete
    alerts.append({**alerts[0], "name": "Brand new alert"})  # create


def test_a_stale_change_is_refused_and_the_rest_applied(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    names = [a["name"] for a in yaml.safe_load(applied.read_text())["alerts"]]
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    planned = run("plan", str(applied), "--out", str(plan_file))
    assert "Plan: 1 to create, 2 to update, 1 to delete." in planned.stdout

    # Someone edits the first planned alert in the PostHog UI after the review.
    api(run.emu, "PATCH", f"{ids(run.emu)[names[0]]}/", {"skip_weekend": False})
    run.emu.clear_requests()

    result = run("apply", str(plan_file))
    assert result.exit_code == 1, result.output
    assert f"STALE: update {names[0]!r}" in result.stdout
    assert "edited since the plan (changed: skip_weekend)" in result.stdout
    assert "1 created, 1 updated, 1 deleted, 0 failed, 0 skipped, 1 refused as stale" in (
        result.stdout
    )
    listings = [r for r in run.emu.requests if r.method == "GET" and r.path.endswith("/alerts/")]
    assert len(listings) == 1  # one fresh listing, whatever the number of changes

    again = run("plan", str(applied))
    assert "Plan: 0 to create, 1 to update, 0 to delete." in again.stdout
    assert f"~ update {names[0]!r}" in again.stdout


def test_apply_of_a_saved_plan_sends_exactly_the_planned_bodies(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    run("plan", str(applied), "--out", str(plan_file))
    document = json.loads(plan_file.read_text())
    run.emu.clear_requests()
    assert run("apply", str(plan_file)).exit_code == 0
    sent = [(r.method, r.path, r.body) for r in run.emu.requests if r.method != "GET"]
    planned = [
        (c["request"]["method"], c["request"]["path"], c["request"]["body"])
        for c in document["changes"]
    ]
    # Changes of one kind run concurrently: compare what was sent, in any order.
    assert sorted((m, p.rstrip("/"), json.dumps(b, sort_keys=True)) for m, p, b in sent) == (
        sorted((m, p.rstrip("/"), json.dumps(b, sort_keys=True)) for m, p, b in planned)
    )
    assert "No changes." in run("plan", str(applied)).stdout


def test_creates_and_deletes_go_stale_too(run: Runner, applied: Path, tmp_path: Path) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    run("plan", str(applied), "--out", str(plan_file))
    document = json.loads(plan_file.read_text())
    create = next(c for c in document["changes"] if c["action"] == "create")
    delete = next(c for c in document["changes"] if c["action"] == "delete")
    api(run.emu, "DELETE", f"{delete['alert_id']}/")
    body = {**create["request"]["body"]}
    api(run.emu, "POST", "", body)

    result = run("apply", str(plan_file), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    outcomes = {(r["action"], r["name"]): r["outcome"] for r in report["results"]}
    assert outcomes[("create", create["name"])] == "stale"
    assert outcomes[("delete", delete["name"])] == "stale"
    assert sorted(outcomes.values()).count("done") == 2
    assert report["summary"] == {"done": 2, "failed": 0, "skipped": 0, "stale": 2}
    assert len([a for a in run.emu.alerts() if a["name"] == create["name"]]) == 1


def test_a_plan_for_another_project_is_refused(run: Runner, applied: Path, tmp_path: Path) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    run("plan", str(applied), "--out", str(plan_file))
    run.emu.clear_requests()
    result = run("apply", str(plan_file), POSTHOG_PROJECT_ID="999")
    assert result.exit_code == 1
    assert "refusing to apply it here" in result.stderr
    assert run.emu.requests == []


def test_a_tampered_plan_file_is_refused(run: Runner, applied: Path, tmp_path: Path) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    run("plan", str(applied), "--out", str(plan_file))
    document = json.loads(plan_file.read_text())
    document["changes"][0]["request"]["method"] = "PUT"
    plan_file.write_text(json.dumps(document))
    run.emu.clear_requests()
    result = run("apply", str(plan_file))
    assert result.exit_code == 1
    assert "invalid plan file" in result.stderr
    assert run.emu.requests == []


def test_json_plan_is_the_plan_file_validates_and_holds_no_key(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    result = run("plan", str(applied), "--format", "json", "--out", str(plan_file))
    assert result.stdout == plan_file.read_text()
    document = json.loads(result.stdout)
    assert list(plan_validator().iter_errors(document)) == []
    assert document["summary"] == {"create": 1, "update": 2, "delete": 1}
    assert run.emu.api_key not in result.stdout
    for change in document["changes"]:
        if change["action"] == "create":
            assert change["precondition"] == {"no_live_alert_named": change["name"]}
        else:
            assert change["precondition"]["live_fingerprint"].startswith("sha256:")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_output_is_byte_identical_for_the_same_inputs(run: Runner, applied: Path, fmt: str) -> None:
    edit(applied, four_changes)
    first = run("plan", str(applied), "--format", fmt)
    second = run("plan", str(applied), "--format", fmt)
    assert first.exit_code == 0
    assert first.stdout == second.stdout


def test_markdown_plan_reads_as_words_with_links(run: Runner, applied: Path) -> None:
    def change(alerts: list[dict[str, Any]]) -> None:
        alerts[0]["threshold"]["configuration"]["bounds"]["lower"] = 40
        alerts[0]["subscribed_users"].remove("grace@example.com")

    edit(applied, change)
    result = run("plan", str(applied), "--format", "markdown")
    text = result.stdout
    assert "Fires when the daily value drops below **40** (was 50)." in text
    assert "No longer notifies `grace@example.com`." in text
    assert f"{run.emu.base_url}/project/1/insights/Ab3dE9fG" in text
    assert "alerts?alert_id=" in text
    assert "📉 threshold loosened" in text and "🔕 recipients removed" in text
    assert "<details>" in text


def test_validate_github_annotations(run: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("alerts:\n  - name: x\n    bogus: 1\n")
    result = run("validate", "--format", "github", str(bad))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"::error file={bad},line=") for line in lines)
    assert any("line=3,col=5" in line and "unknown field 'bogus'" in line for line in lines)


# -- export ------------------------------------------------------------------------------

NAMES = ["yes", "null", "- dash", "# hash", "*star", "&amp", "123", "a: b", "quote's", "émoji 🚨"]


def random_alert(rng: random.Random, index: int) -> dict[str, Any]:
    insight, series = rng.choice([(101, 1), (102, 2), (103, 1), (104, 1), (105, 1)])
    time_series = insight in (101, 102, 103)
    condition = rng.choice(
        ["absolute_value", "relative_increase", "relative_decrease"]
        if time_series
        else ["absolute_value"]
    )
    kind = "absolute" if condition == "absolute_value" else rng.choice(["absolute", "percentage"])
    bounds = random_bounds(rng)
    config: dict[str, Any] = {"type": "TrendsAlertConfig", "series_index": rng.randrange(series)}
    if bounds.get("upper") is not None or condition == "relative_decrease":
        config["check_ongoing_interval"] = rng.choice([True, False, None])
    threshold: dict[str, Any] = {"configuration": {"type": kind, "bounds": bounds}}
    if rng.random() < 0.3:
        threshold["name"] = rng.choice(["Floor", "Ceiling ✓", "limite basse", "x" * 255])
    body: dict[str, Any] = {
        "name": f"{rng.choice(NAMES)} {index}",
        "insight": insight,
        "subscribed_users": rng.sample([1, 2, 3, 4], rng.randrange(5)),
        "threshold": threshold,
        "condition": {"type": condition},
        "config": config,
        "calculation_interval": rng.choice(
            ["hourly", "daily", "weekly", "monthly", "every_15_minutes"]
        ),
    }
    for key in ("enabled", "skip_weekend"):
        if rng.random() < 0.5:
            body[key] = rng.choice([True, False])
    return body


def random_bounds(rng: random.Random) -> dict[str, Any]:
    values = [rng.choice([0, 1, -5, 0.1, 2.5, 1e-7, 123456.789, 10**12, 1e16]) for _ in range(2)]
    lower, upper = sorted(values)
    shape = rng.choice(["lower", "upper", "both", "both_null_upper"])
    if shape == "lower":
        return {"lower": lower}
    if shape == "upper":
        return {"upper": upper}
    if shape == "both":
        return {"lower": lower, "upper": upper}
    return {"lower": lower, "upper": None}


@pytest.mark.parametrize("seed", [1, 2])
def test_export_round_trips_to_no_changes(run: Runner, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    for index in range(150):
        api(run.emu, "POST", "", random_alert(rng, index))
    exported = tmp_path / "exported.yaml"
    result = run("export", "--output", str(exported))
    assert result.exit_code == 0, result.output
    text = exported.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert run("validate", str(exported)).exit_code == 0
    names = [a["name"] for a in yaml.safe_load(text)["alerts"]]
    assert names == sorted(names) and len(names) == 150

    plan = run("plan", str(exported), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.stdout[:3000]
    assert "No changes." in plan.stdout


def test_export_uses_human_references_and_leaves_defaults_out(run: Runner) -> None:
    api(
        run.emu,
        "POST",
        "",
        {
            "name": "Signups",
            "insight": 101,
            "subscribed_users": [1],
            "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 5}}},
            "condition": {"type": "absolute_value"},
            "config": {"type": "TrendsAlertConfig", "series_index": 0},
        },
    )
    result = run("export")
    assert yaml.safe_load(result.stdout) == {
        "version": 1,
        "alerts": [
            {
                "name": "Signups",
                "insight": "Ab3dE9fG",
                "subscribed_users": ["ada@example.com"],
                "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 5}}},
                "condition": {"type": "absolute_value"},
                "config": {"series_index": 0},
            }
        ],
    }


def test_export_with_a_prefix_writes_a_scoped_file(run: Runner, applied: Path) -> None:
    result = run("export", "--name-prefix", "Signups")
    data = yaml.safe_load(result.stdout)
    assert data["scope"] == {"name_prefix": "Signups"}
    assert data["alerts"] and all(a["name"].startswith("Signups") for a in data["alerts"])


def test_a_saved_plan_carries_its_mass_delete_approval(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    edit(applied, lambda alerts: alerts.__delitem__(slice(0, 4)))  # 4 of 6: more than half
    plan_file = tmp_path / "plan.json"
    refused = run("plan", str(applied), "--out", str(plan_file))
    assert refused.exit_code == 1 and not plan_file.exists()
    approved = run("plan", str(applied), "--out", str(plan_file), "--allow-mass-delete")
    assert approved.exit_code == 0
    assert json.loads(plan_file.read_text())["guards"]["allow_mass_delete"] is True
    result = run("apply", str(plan_file))
    assert result.exit_code == 0, result.output
    assert len(run.emu.alerts()) == 2


def test_an_unwritable_plan_file_is_a_clean_error(run: Runner, applied: Path) -> None:
    result = run("plan", str(applied), "--out", "/nonexistent/dir/plan.json")
    assert result.exit_code == 1
    assert "cannot write /nonexistent/dir/plan.json" in result.stderr


def test_export_refuses_an_alert_without_a_name(run: Runner) -> None:
    body = {**random_alert(random.Random(3), 0), "name": ""}
    api(run.emu, "POST", "", body)
    result = run("export")
    assert result.exit_code == 1
    assert "has no name" in result.stderr and result.stdout == ""


def test_apply_of_a_saved_plan_shows_the_plan_as_it_was_reviewed(
    run: Runner, applied: Path, tmp_path: Path
) -> None:
    edit(applied, four_changes)
    plan_file = tmp_path / "plan.json"
    reviewed = run("plan", str(applied), "--out", str(plan_file)).stdout
    applying = run("apply", str(plan_file)).stdout
    assert applying.startswith(reviewed)
