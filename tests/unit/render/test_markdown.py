"""The markdown plan: one table of every change, plain words, badges, approvals, where it
was made, and GitHub's comment limit at any size."""

from __future__ import annotations

from typing import Any

import pytest

from alertsync.core.plan import make_plan
from alertsync.model import Change, Guards, InsightLabel, Labels, LiveDest, Plan, Provenance, Target
from alertsync.render.badges import RISKY, priority
from alertsync.render.markdown import LIMIT, render_markdown, size
from tests.builders import live, read_shape, spec

TARGET = Target("https://eu.posthog.com", "12345")
SLACK = {"type": "slack", "workspace": 42, "channel": "C0123456789"}
RUN = "https://github.com/acme/alerts/actions/runs/42"


def labels() -> Labels:
    return Labels(
        insights={
            101: InsightLabel(101, "Ab3dE9fG", "Daily signups"),
            102: InsightLabel(102, "Kx7pQ2mN", "Revenue by plan"),
        },
        users={1: "ada@example.com", 2: "grace@example.com"},
        workspaces={42: "Hedgebox"},
        channels={"C0123456789": "growth-alerts"},
    )


def bound(lower: int) -> dict[str, Any]:
    return {"configuration": {"type": "absolute", "bounds": {"lower": lower}}}


# Updates of every kind: some warn (loosened, disabled, recipients removed, a destination
# removed, moved), some only inform (a tighter bound resets the firing state), some are calm.
UPDATE_KINDS: list[dict[str, Any]] = [
    {"threshold": bound(40)},
    {"threshold": bound(60)},
    {"enabled": False},
    {"subscribed_users": [1]},
    {"skip_weekend": True},
    {"insight": 102},
    {"destinations": []},
]


def generated(n: int) -> Plan:
    """n changes: a third deletes, a third creates (some with a destination), a third
    updates of every kind."""
    third = n // 3
    desired: dict[str, Any] = {}
    routes: dict[str, list[dict[str, Any]]] = {}
    current, have = [], {}
    for i in range(third):
        desired[f"new alert {i:04}"] = spec(f"new alert {i:04}")
        if i % 4 == 0:
            routes[f"new alert {i:04}"] = [SLACK]
    for i in range(third):
        name, over = f"kept alert {i:04}", dict(UPDATE_KINDS[i % len(UPDATE_KINDS)])
        if "destinations" in over:
            routes[name] = over.pop("destinations")
            have[f"k{i}"] = [LiveDest(f"fn-{i}", f"k{i}", {**SLACK, "enabled": True})]
        desired[name] = spec(name, **over)
        current.append(read_shape(f"k{i}", name))
    current += [read_shape(f"d{i}", f"retired alert {i:04}") for i in range(n - 2 * third)]
    guards = Guards(allow_mass_delete=True)
    return make_plan(desired, live(*current), None, guards, labels(), routes, have)


def named(change: Change, text: str) -> bool:
    return f"`{change.name}`" in text


def test_three_hundred_changes_name_every_change_within_the_limit() -> None:
    plan = generated(300)
    assert len(plan.changes) == 300
    text = render_markdown(plan, TARGET, guards=Guards(allow_mass_delete=True))
    assert size(text) <= LIMIT < 65_536
    assert all(named(c, text) for c in plan.changes)
    assert text.count("\n| ✏️ | ") == 100 and text.count("\n| 🗑️ | ") == 100
    assert "The full text plan lists every change: `plan.txt`" in text


def test_three_thousand_changes_name_every_delete_and_risky_change() -> None:
    n = 3_000
    plan = generated(n)
    made = Provenance("0a1b2c3d4e5f", None, RUN, "GitHub Actions")
    text = render_markdown(plan, TARGET, provenance=made)
    assert size(text) <= LIMIT
    must = [c for c in plan.changes if priority(c) <= RISKY]
    assert len(must) > n // 3 + n // 20  # every delete, and risky updates of several kinds
    assert all(named(c, text) for c in must)
    calm = [c for c in plan.changes if priority(c) > RISKY]
    missing = sum(1 for c in calm if not named(c, text))
    assert missing > 0 and f"the names of {missing} change(s) with no risk flagged" in text
    assert f"`plan.txt` among the artifacts of [this run]({RUN})" in text


def test_six_thousand_changes_still_name_every_delete_and_count_what_they_leave_out() -> None:
    plan = generated(6_000)
    text = render_markdown(plan, TARGET)
    assert size(text) <= LIMIT
    assert all(named(c, text) for c in plan.changes if c.action == "delete")
    risky = [c for c in plan.changes if priority(c) == RISKY and not named(c, text)]
    assert f"the names of {len(risky)} delete(s) and risky change(s)" in text


@pytest.mark.parametrize("limit", [8_000, 3_000])
def test_when_even_the_names_cannot_all_fit_deletes_come_first(limit: int) -> None:
    plan = generated(900)
    text = render_markdown(plan, TARGET, limit=limit)
    assert size(text) <= limit
    deletes = [c for c in plan.changes if c.action == "delete"]
    shown = [c for c in deletes if named(c, text)]
    assert shown == deletes[: len(shown)]  # deletes first, in order
    assert not any(named(c, text) for c in plan.changes if c.action == "create")
    assert "delete(s) and risky change(s)" in text and "`alertsync show plan.json`" in text


def test_the_table_says_what_changes_in_a_few_words() -> None:
    plan = generated(21)
    text = render_markdown(plan, TARGET)
    assert "left out" not in text
    rows = [line for line in text.splitlines() if line.startswith(("| ➕", "| ✏️", "| 🗑️"))]
    assert "| 🗑️ | `retired alert 0000` | deleted | |" in rows
    assert "| ➕ | `new alert 0000` | new; destinations +1 | |" in rows
    assert "| ✏️ | `kept alert 0000` | threshold | 📉🔄 |" in rows
    assert "| ✏️ | `kept alert 0001` | threshold | 🔄 |" in rows
    assert "| ✏️ | `kept alert 0002` | disabled | ⏸️ |" in rows
    assert "| ✏️ | `kept alert 0003` | recipients | 🔕 |" in rows
    assert "| ✏️ | `kept alert 0004` | weekends | |" in rows
    assert "| ✏️ | `kept alert 0005` | insight | 🔀 |" in rows
    assert "| ✏️ | `kept alert 0006` | destinations −1 | 📭 |" in rows
    assert len(rows) == 21
    first_section = text.index("#### ")
    assert all(text.index(row) < first_section for row in rows)  # the table opens the plan


def test_a_small_plan_is_rendered_in_full() -> None:
    plan = generated(9)
    text = render_markdown(plan, TARGET)
    assert "left out" not in text
    assert text.count("#### ") == 9
    titles = [line.split("`")[0] for line in text.splitlines() if line.startswith("#### ")]
    assert titles == ["#### 🗑️ Delete "] * 3 + ["#### ➕ Create "] * 3 + ["#### ✏️ Update "] * 3
    assert "On insight [Daily signups](https://eu.posthog.com/project/12345/insights/Ab3dE9fG)" in (
        text
    )


def test_the_head_says_which_approvals_the_plan_carries_and_needs() -> None:
    current = [read_shape(f"a{i}", f"old {i:02}") for i in range(12)]
    plan = make_plan({}, live(*current), None, Guards(allow_empty=True), labels())
    guards = Guards(allow_empty=True, allow_mass_delete=True, delete_duplicates=True)
    text = render_markdown(plan, TARGET, guards=guards)
    line = next(line for line in text.splitlines() if line.startswith("Plan id"))
    assert "`--allow-empty` (needed: the files declare no alert, so all 12 live" in line
    assert "`--allow-mass-delete` (needed: it deletes 12 alert(s), more than --max-deletes 10" in (
        line
    )
    assert "`--delete-duplicates` (given; this plan does not need it)" in line
    assert "approvals: none" in render_markdown(plan, TARGET)


def test_the_head_says_where_the_plan_was_made() -> None:
    plan = generated(3)
    made = Provenance("0a1b2c3d4e5f", "refs/pull/7/merge", RUN, "GitHub Actions")
    text = render_markdown(plan, TARGET, provenance=made)
    assert (
        f"Made from commit `0a1b2c3d4e5f` (`refs/pull/7/merge`) by [a GitHub Actions run]({RUN})."
        in text
    )
    assert text.startswith("### alertsync plan: ")
    empty = make_plan({"Signups": spec()}, live(read_shape("a1")), None, Guards())
    assert "Made from commit" in render_markdown(empty, TARGET, provenance=made)


def test_plain_words_for_an_update() -> None:
    old = read_shape("a1")
    new = spec(
        subscribed_users=[1],
        enabled=False,
        threshold={"configuration": {"type": "absolute", "bounds": {"lower": 40, "upper": 90}}},
    )
    plan = make_plan({"Signups": new}, live(old), None, Guards(), labels())
    text = render_markdown(plan, TARGET)
    assert "**Disables** the alert" in text
    assert (
        "Fires when the daily value drops below **40** (was 50) or rises above **90** (new)."
        in (text)
    )
    assert "No longer notifies `grace@example.com`." in text
    for badge in ("⏸️ disables", "🔕 recipients removed", "📉 threshold loosened"):
        assert badge in text
    assert "🔄 firing" not in text  # disabled by the same change: nothing resets
    assert "alerts?alert_id=a1" in text


def test_percentages_read_as_percentages() -> None:
    new = spec(
        condition={"type": "relative_decrease"},
        threshold={"configuration": {"type": "percentage", "bounds": {"upper": 0.3}}},
    )
    text = render_markdown(make_plan({"Drop": new}, [], None, Guards(), labels()), TARGET)
    assert "Fires when the daily decrease rises above **30%**." in text
    assert "Emails `ada@example.com`, `grace@example.com`." in text


def test_no_changes() -> None:
    plan = make_plan({"Signups": spec()}, live(read_shape("a1")), None, Guards())
    text = render_markdown(plan, TARGET)
    assert "**No changes.**" in text
