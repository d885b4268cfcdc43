"""The pure core: canonical shapes, the diff and the plan."""

from typing import Any

import pytest

from alertsync.core.plan import check_deletes, make_plan
from alertsync.errors import MassDeleteRefused, PlanRefused
from alertsync.model import Guards
from tests.builders import live, read_shape, spec


def test_read_shape_and_write_shape_normalise_to_the_same_canonical() -> None:
    (alert,) = live(read_shape("a1"))
    assert alert.spec == spec()


def test_in_sync_gives_no_changes() -> None:
    plan = make_plan({"Signups": spec()}, live(read_shape("a1")), None, Guards())
    assert plan.empty
    assert plan.in_scope == 1


def test_one_bound_change_is_one_update_with_only_threshold_in_the_body() -> None:
    new = spec(threshold={"configuration": {"type": "absolute", "bounds": {"lower": 40}}})
    plan = make_plan({"Signups": new}, live(read_shape("a1")), None, Guards())
    (change,) = plan.changes
    assert change.action == "update" and change.alert_id == "a1"
    assert [(d.path, d.old, d.new) for d in change.details] == [
        ("threshold.configuration.bounds.lower", 50, 40)
    ]
    assert change.body == {
        "threshold": {"name": "", "configuration": {"type": "absolute", "bounds": {"lower": 40}}}
    }
    assert change.resets_state


def test_subscriber_change_does_not_reset_state_and_sends_the_whole_set() -> None:
    plan = make_plan(
        {"Signups": spec(subscribed_users=[1])}, live(read_shape("a1")), None, Guards()
    )
    (change,) = plan.changes
    assert change.body == {"subscribed_users": [1]}
    assert not change.resets_state


def test_interval_change_is_flagged() -> None:
    plan = make_plan(
        {"Signups": spec(calculation_interval="hourly")}, live(read_shape("a1")), None, Guards()
    )
    assert plan.changes[0].resets_state


def test_create_sends_the_whole_write_shape() -> None:
    plan = make_plan({"New": spec("New")}, [], None, Guards())
    (change,) = plan.changes
    assert change.action == "create"
    assert change.body == {
        "name": "New",
        "insight": 101,
        "subscribed_users": [1, 2],
        "threshold": {"name": "", "configuration": {"type": "absolute", "bounds": {"lower": 50}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0, "type": "TrendsAlertConfig", "check_ongoing_interval": False},
        "calculation_interval": "daily",
        "enabled": True,
        "skip_weekend": False,
    }
    assert "snoozed_until" not in change.body


def test_order_is_creates_updates_deletes_each_by_name() -> None:
    desired = {"b-new": spec("b-new"), "a-new": spec("a-new"), "keep": spec("keep", enabled=False)}
    current = live(read_shape("1", "keep"), read_shape("2", "z-old"), read_shape("3", "c-old"))
    plan = make_plan(desired, current, None, Guards())
    assert [(c.action, c.name) for c in plan.changes] == [
        ("create", "a-new"),
        ("create", "b-new"),
        ("update", "keep"),
        ("delete", "c-old"),
        ("delete", "z-old"),
    ]


def test_scope_leaves_other_alerts_alone_and_counts_them() -> None:
    current = live(read_shape("1", "[growth] a"), read_shape("2", "other"))
    plan = make_plan({}, current, "[growth] ", Guards(allow_empty=True))
    assert [(c.action, c.name) for c in plan.changes] == [("delete", "[growth] a")]
    assert (plan.in_scope, plan.out_of_scope) == (1, 1)


def test_empty_files_refuse_to_delete_everything() -> None:
    with pytest.raises(PlanRefused, match="--allow-empty"):
        make_plan({}, live(read_shape("1")), None, Guards())
    assert make_plan({}, [], None, Guards()).empty


def test_two_live_alerts_with_one_name_name_both_ids() -> None:
    with pytest.raises(PlanRefused) as info:
        make_plan({"Signups": spec()}, live(read_shape("id-1"), read_shape("id-2")), None, Guards())
    assert "id-1" in str(info.value) and "id-2" in str(info.value)


def test_duplicates_outside_the_scope_do_not_matter() -> None:
    current = live(read_shape("1", "x"), read_shape("2", "x"), read_shape("3", "[a] y"))
    plan = make_plan({"[a] y": spec("[a] y")}, current, "[a] ", Guards())
    assert plan.empty


@pytest.mark.parametrize(
    ("live_value", "file_value"),
    [
        (
            {"type": "absolute", "bounds": {"lower": 50.0}},
            {"type": "absolute", "bounds": {"lower": 50}},
        ),
        (
            {"type": "absolute", "bounds": {"lower": 50, "upper": None}},
            {"type": "absolute", "bounds": {"lower": 50}},
        ),
    ],
)
def test_number_and_null_forms_do_not_diff(live_value: Any, file_value: Any) -> None:
    current = live(read_shape("1", threshold={"name": "", "configuration": live_value}))
    plan = make_plan(
        {"Signups": spec(threshold={"configuration": file_value})}, current, None, Guards()
    )
    assert plan.empty


def test_check_ongoing_interval_false_equals_absent() -> None:
    current = live(read_shape("1", config={"type": "TrendsAlertConfig", "series_index": 0}))
    desired = spec(config={"series_index": 0, "check_ongoing_interval": False})
    assert make_plan({"Signups": desired}, current, None, Guards()).empty


def test_config_body_sends_check_ongoing_interval_explicitly() -> None:
    """The newest PostHog turns a missing or null value on by itself for some alerts
    (contract §2.5.5): only an explicit false keeps it off."""
    current = live(
        read_shape(
            "1",
            config={"type": "TrendsAlertConfig", "series_index": 0, "check_ongoing_interval": True},
        )
    )
    plan = make_plan({"Signups": spec()}, current, None, Guards())
    assert plan.changes[0].body == {
        "config": {"type": "TrendsAlertConfig", "series_index": 0, "check_ongoing_interval": False}
    }


# -- deletion guards -------------------------------------------------------------------


def deleting(kept: int, deleted: int) -> Any:
    """A plan over `kept + deleted` live alerts that deletes `deleted` of them."""
    current = [read_shape(f"k{i}", f"kept {i:02}") for i in range(kept)]
    current += [read_shape(f"d{i}", f"gone {i:02}") for i in range(deleted)]
    desired = {f"kept {i:02}": spec(f"kept {i:02}") for i in range(kept)}
    return make_plan(desired, live(*current), None, Guards(allow_empty=True))


def test_more_than_max_deletes_is_refused_and_names_every_delete() -> None:
    plan = deleting(kept=30, deleted=11)
    with pytest.raises(MassDeleteRefused) as info:
        check_deletes(plan, Guards())
    message = str(info.value)
    assert "deletes 11 alert(s), more than --max-deletes 10" in message
    assert all(f"'gone {i:02}'" in message for i in range(11))
    assert "--allow-mass-delete" in message
    check_deletes(plan, Guards(max_deletes=11))
    check_deletes(plan, Guards(allow_mass_delete=True))


def test_more_than_half_of_the_live_alerts_is_refused() -> None:
    plan = deleting(kept=1, deleted=2)
    with pytest.raises(MassDeleteRefused, match="more than half of the 3 live alert"):
        check_deletes(plan, Guards())
    check_deletes(deleting(kept=2, deleted=2), Guards())  # exactly half is allowed
    check_deletes(plan, Guards(allow_mass_delete=True))


def test_a_single_delete_is_never_a_mass_delete() -> None:
    check_deletes(deleting(kept=0, deleted=1), Guards(allow_empty=True))
    check_deletes(deleting(kept=1, deleted=1), Guards())


def test_allow_empty_answers_the_share_guard_for_an_empty_desired_set_only() -> None:
    current = live(*[read_shape(f"d{i}", f"gone {i}") for i in range(5)])
    wipe = make_plan({}, current, None, Guards(allow_empty=True))
    assert wipe.deletes_everything
    check_deletes(wipe, Guards(allow_empty=True))
    with pytest.raises(MassDeleteRefused):
        check_deletes(wipe, Guards())
    many = live(*[read_shape(f"d{i}", f"gone {i:02}") for i in range(12)])
    big_wipe = make_plan({}, many, None, Guards(allow_empty=True))
    with pytest.raises(MassDeleteRefused, match="--max-deletes 10"):
        check_deletes(big_wipe, Guards(allow_empty=True))


def test_a_rename_of_most_alerts_is_a_mass_delete() -> None:
    current = live(read_shape("1", "old a"), read_shape("2", "old b"), read_shape("3", "same"))
    desired = {"new a": spec("new a"), "new b": spec("new b"), "same": spec("same")}
    plan = make_plan(desired, current, None, Guards())
    assert not plan.deletes_everything
    with pytest.raises(MassDeleteRefused, match="'old a', 'old b'"):
        check_deletes(plan, Guards())


def test_the_empty_refusal_names_what_would_be_deleted() -> None:
    current = live(*(read_shape(str(i), f"alert {i:02}") for i in range(60)))
    with pytest.raises(PlanRefused) as info:
        make_plan({}, current, None, Guards())
    assert "'alert 00', 'alert 01'" in str(info.value)
    assert "and 10 more" in str(info.value)
