from alertsync.core.plan import make_plan
from alertsync.model import Guards, InsightLabel, Labels
from alertsync.render.text import render_plan
from tests.builders import live, read_shape, spec


def labels() -> Labels:
    return Labels(
        insights={101: InsightLabel(101, "Ab3dE9fG", "Daily signups")},
        users={1: "ada@example.com", 2: "grace@example.com"},
    )


def test_no_changes() -> None:
    plan = make_plan({"Signups": spec()}, live(read_shape("a1")), None, Guards())
    text = render_plan(plan)
    assert "No changes." in text
    assert "Plan:" not in text


def test_update_names_only_the_changed_field_old_to_new_and_the_reset() -> None:
    new = spec(threshold={"configuration": {"type": "absolute", "bounds": {"lower": 40}}})
    plan = make_plan({"Signups": new}, live(read_shape("a1")), None, Guards(), labels())
    text = render_plan(plan)
    assert "  ~ update 'Signups' (id a1)\n" in text
    assert "      ~ threshold.configuration.bounds.lower: 50 -> 40\n" in text
    assert "resets the alert's firing state" in text
    assert text.count("~ ") == 2
    assert text.endswith("Plan: 0 to create, 1 to update, 0 to delete.\n")


def test_create_shows_every_field_with_human_references() -> None:
    plan = make_plan({"New": spec("New")}, [], None, Guards(), labels())
    text = render_plan(plan)
    assert "  + create 'New'\n" in text
    assert 'insight                              = Ab3dE9fG "Daily signups" (#101)' in text
    assert "subscribed_users                     = [ada@example.com, grace@example.com]" in text
    assert "Plan: 1 to create, 0 to update, 0 to delete." in text


def test_subscribers_read_as_emails_and_unknown_ids_as_ids() -> None:
    plan = make_plan(
        {"Signups": spec(subscribed_users=[1, 7])}, live(read_shape("a1")), None, Guards(), labels()
    )
    text = render_plan(plan)
    assert (
        "~ subscribed_users: [ada@example.com, grace@example.com] -> [ada@example.com, user #7]"
        in text
    )


def test_delete_and_scope_count() -> None:
    current = live(read_shape("1", "[g] old"), read_shape("2", "theirs"))
    plan = make_plan({"[g] new": spec("[g] new")}, current, "[g] ", Guards())
    text = render_plan(plan)
    assert "  - delete '[g] old' (id 1)" in text
    assert "theirs" not in text
    assert "1 other live alert(s) left alone" in text


def test_output_is_deterministic() -> None:
    desired = {n: spec(n) for n in ("b", "a", "c")}
    first = render_plan(make_plan(desired, live(read_shape("1", "z")), None, Guards()))
    second = render_plan(
        make_plan(dict(reversed(desired.items())), live(read_shape("1", "z")), None, Guards())
    )
    assert first == second


def test_every_delete_is_listed_first_by_name() -> None:
    desired = {"b-new": spec("b-new"), "a-new": spec("a-new"), "keep": spec("keep", enabled=False)}
    current = live(read_shape("1", "keep"), read_shape("2", "z-old"), read_shape("3", "c-old"))
    plan = make_plan(desired, current, None, Guards())
    text = render_plan(plan)
    headers = [
        line.strip() for line in text.splitlines() if line.startswith("  ") and line[2] in "+-~"
    ]
    assert headers == [
        "- delete 'c-old' (id 3)",
        "- delete 'z-old' (id 2)",
        "+ create 'a-new'",
        "+ create 'b-new'",
        "~ update 'keep' (id 1)",
    ]
    assert [c.action for c in plan.changes] == ["create", "create", "update", "delete", "delete"]
