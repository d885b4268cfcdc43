"""Applying destinations with a fake writer: after their alert, with its new id; a failed
destination leaves the alert saved and says so; a deleted alert's destinations are not sent."""

from __future__ import annotations

from alertsync.apply import apply_plan
from alertsync.core.dest_spec import url_value
from alertsync.core.plan import make_plan
from alertsync.model import Guards, LiveDest
from tests.builders import live, read_shape, spec
from tests.unit.test_apply import FakeWriter, refusal

SLACK = {"type": "slack", "workspace": 42, "channel": "C0123456789"}
HOOK = {"type": "webhook", "url": url_value("https://hooks.example.com/x"), "url_env": "H"}


def test_a_new_alerts_destinations_are_created_after_it_with_its_id() -> None:
    plan = make_plan({"new": spec("new")}, [], None, Guards(), None, {"new": [SLACK, HOOK]})
    writer = FakeWriter()
    (result,) = apply_plan(plan, writer)
    assert writer.calls == ["new", "new/create slack", "new/create webhook"]
    assert result.outcome == "done"
    assert [r.dest_id for r in result.destinations] == [
        "fn-new/create slack@new-new",
        "fn-new/create webhook@new-new",
    ]


def test_a_failed_destination_leaves_the_alert_saved_and_the_others_done() -> None:
    plan = make_plan({"new": spec("new")}, [], None, Guards(), None, {"new": [SLACK, HOOK]})
    writer = FakeWriter({"new/create slack": refusal(400, "channel not found")})
    (result,) = apply_plan(plan, writer)
    assert result.outcome == "failed"
    assert result.alert_id == "new-new"
    assert "the alert is saved (id new-new), but 1 of its 2 destination" in result.message
    assert [r.outcome for r in result.destinations] == ["failed", "done"]
    assert "channel not found" in result.destinations[0].message


def test_a_destination_only_change_sends_nothing_for_the_alert() -> None:
    current = live(read_shape("1", "keep"))
    routes = {"1": [LiveDest("f1", "1", {**SLACK, "enabled": True})]}
    plan = make_plan({"keep": spec("keep")}, current, None, Guards(), None, {"keep": []}, routes)
    (change,) = plan.changes
    assert change.action == "update" and not change.sends_alert and change.body is None
    writer = FakeWriter()
    apply_plan(plan, writer)
    assert writer.calls == ["keep/delete slack"]


def test_a_deleted_alerts_destinations_go_with_it() -> None:
    current = live(read_shape("1", "old"))
    routes = {"1": [LiveDest("f1", "1", {**SLACK, "enabled": True})]}
    plan = make_plan({"new": spec("new")}, current, None, Guards(), None, {}, routes)
    delete = plan.deletes[0]
    assert [(d.action, d.cascade) for d in delete.destinations] == [("delete", True)]
    assert plan.count_destinations("delete") == 0
    writer = FakeWriter()
    apply_plan(plan, writer)
    assert writer.calls == ["new", "old"]


def test_alerts_without_a_destinations_key_leave_theirs_alone() -> None:
    current = live(read_shape("1", "keep"))
    routes = {"1": [LiveDest("f1", "1", {**SLACK, "enabled": True})]}
    plan = make_plan({"keep": spec("keep")}, current, None, Guards(), None, {}, routes)
    assert plan.empty
