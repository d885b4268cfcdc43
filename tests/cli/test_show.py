"""`alertsync show PLAN.json`: a saved plan rendered as `plan` rendered it, offline, with the
approvals it carries and where it was made; a file changed after it was planned refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alertsync.emulator import Emulator
from tests.builders import GITHUB, Runner, alert, post_alert, write

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "files"
SUFFIX = {"text": "txt", "json": "json", "markdown": "md"}


def live_alert(emu: Emulator, name: str, **over: object) -> None:
    body = alert(name, insight=101, subscribed_users=[1], **over)
    post_alert(emu, {**body, "config": {"type": "TrendsAlertConfig", "series_index": 0}})


@pytest.fixture
def alerts(run: Runner, tmp_path: Path) -> Path:
    """A plan with every kind of change: a create on a two-series insight, an update of the
    series, a delete, and a newer identical copy deleted (--delete-duplicates)."""
    for name in ("Kept", "Twin", "Twin", "Gone"):
        live_alert(run.emu, name)
    files = tmp_path / "alerts"
    files.mkdir()
    twin = alert("Twin", insight="Ab3dE9fG", threshold=_lower(10))
    kept = alert("Kept", insight="Ab3dE9fG", config={"series_index": 0}, threshold=_lower(5))
    new = alert("New", insight="Kx7pQ2mN", config={"series_index": 1})
    write(files / "a.yaml", {"alerts": [kept, twin, new]})
    return files


def _lower(value: int) -> dict[str, object]:
    return {"configuration": {"type": "absolute", "bounds": {"lower": value}}}


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_show_prints_what_plan_printed(run: Runner, alerts: Path, tmp_path: Path, fmt: str) -> None:
    plan_file = tmp_path / "plan.json"
    flags = ("--delete-duplicates", "--allow-mass-delete")
    planned = run("plan", str(alerts), *flags, "--out", str(plan_file), "--format", fmt, **GITHUB)
    assert planned.exit_code == 0, planned.output
    run.emu.clear_requests()
    shown = run("show", str(plan_file), "--format", fmt, POSTHOG_PERSONAL_API_KEY="")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == planned.stdout
    assert run.emu.requests == []  # offline: not one request


def test_the_saved_plan_carries_its_approvals_provenance_and_copies(
    run: Runner, alerts: Path, tmp_path: Path
) -> None:
    plan_file = tmp_path / "plan.json"
    flags = ("--delete-duplicates", "--allow-mass-delete", "--out", str(plan_file))
    assert run("plan", str(alerts), *flags, **GITHUB).exit_code == 0
    document = json.loads(plan_file.read_text())
    assert document["provenance"] == {
        "ci": "GitHub Actions",
        "commit": GITHUB["GITHUB_SHA"],
        "ref": "refs/pull/7/merge",
        "run_url": "https://github.com/acme/alerts/actions/runs/4242",
    }
    assert len(document["duplicates"]) == 1
    text = run("show", str(plan_file)).stdout
    assert "a newer identical copy of id" in text
    markdown = run("show", str(plan_file), "--format", "markdown").stdout
    assert "`--delete-duplicates` (needed: it deletes 1 newer identical copy(ies)" in markdown
    assert "`--allow-mass-delete` (given; this plan does not need it)" in markdown
    assert (
        f"Made from commit `{GITHUB['GITHUB_SHA']}` (`refs/pull/7/merge`) by "
        "[a GitHub Actions run](https://github.com/acme/alerts/actions/runs/4242)." in markdown
    )
    assert "of the 2nd series (`" in markdown  # the series names travel in the plan file


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("case", ["plan-mixed", "plan-destinations", "plan-no-changes"])
def test_show_of_a_golden_plan_file_is_its_golden_rendering(
    run: Runner, case: str, fmt: str
) -> None:
    """The golden plan files were written without provenance, as older plan files were."""
    shown = run("show", str(GOLDEN / f"{case}.json"), "--format", fmt)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == (GOLDEN / f"{case}.{SUFFIX[fmt]}").read_text(encoding="utf-8")


def test_a_plan_file_without_series_names_or_provenance_is_still_read(
    run: Runner, tmp_path: Path
) -> None:
    data = json.loads((GOLDEN / "plan-mixed.json").read_text())
    for label in data["labels"]["insights"].values():
        label.pop("series", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    shown = run("show", str(old), "--format", "markdown")
    assert shown.exit_code == 0, shown.output
    assert "of the 2nd series (series_index 1)" in shown.stdout


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["changes"][0].update(name="Other"), "was changed after it was planned"),
        (lambda d: d.update(provenance={"run_url": "javascript:alert(1)"}), "provenance"),
        (lambda d: d.update(duplicates={"nope": "x"}), "duplicates name alerts"),
    ],
)
def test_a_changed_plan_file_is_refused(
    run: Runner, tmp_path: Path, edit: object, message: str
) -> None:
    data = json.loads((GOLDEN / "plan-mixed.json").read_text())
    edit(data)  # type: ignore[operator]
    changed = tmp_path / "plan.json"
    changed.write_text(json.dumps(data))
    shown = run("show", str(changed))
    assert shown.exit_code == 1 and shown.stdout == ""
    assert message in shown.stderr


def test_a_missing_file_is_an_error_not_a_traceback(run: Runner, tmp_path: Path) -> None:
    shown = run("show", str(tmp_path / "nope.json"))
    assert shown.exit_code == 1 and "cannot read the plan file" in shown.stderr
