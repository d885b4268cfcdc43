"""The markdown plan: plain words, badges, and GitHub's comment limit."""

from typing import Any

from alertsync.core.plan import make_plan
from alertsync.model import Guards, InsightLabel, Labels, Target
from alertsync.render.markdown import LIMIT, render_markdown
from tests.builders import live, read_shape, spec

TARGET = Target("https://eu.posthog.com", "12345")


def labels() -> Labels:
    return Labels(
        insights={101: InsightLabel(101, "Ab3dE9fG", "Daily signups")},
        users={1: "ada@example.com", 2: "grace@example.com"},
    )


def big_plan(n: int) -> Any:
    """n changes: a third creates, a third updates (some risky), a third deletes."""
    third = n // 3
    desired = {f"new {i:04}": spec(f"new {i:04}") for i in range(third)}
    current = []
    for i in range(third):
        name = f"kept {i:04}"
        bound = 40 if i % 2 else 60  # half loosen the lower bound (risky), half tighten
        desired[name] = spec(
            name, threshold={"configuration": {"type": "absolute", "bounds": {"lower": bound}}}
        )
        current.append(read_shape(f"k{i}", name))
    current += [read_shape(f"d{i}", f"old alert number {i:04}") for i in range(n - 2 * third)]
    guards = Guards(allow_empty=True)
    return make_plan(desired, live(*current), None, guards, labels())


def test_a_thousand_changes_stay_under_the_limit_and_name_every_delete() -> None:
    plan = big_plan(1000)
    assert len(plan.changes) == 1000
    text = render_markdown(plan, TARGET)
    assert len(text) <= LIMIT < 65_536
    deletes = [c.name for c in plan.changes if c.action == "delete"]
    assert len(deletes) == 334
    assert all(f"`{name}`" in text for name in deletes)
    assert "left out" in text
    assert "| 333 | 333 | 334 |" in text


def test_a_small_plan_is_rendered_in_full() -> None:
    plan = big_plan(9)
    text = render_markdown(plan, TARGET)
    assert "left out" not in text
    assert text.count("#### ") == 9
    titles = [line.split("`")[0] for line in text.splitlines() if line.startswith("#### ")]
    assert titles == ["#### 🗑️ Delete "] * 3 + ["#### ➕ Create "] * 3 + ["#### ✏️ Update "] * 3
    assert "On insight [Daily signups](https://eu.posthog.com/project/12345/insights/Ab3dE9fG)" in (
        text
    )


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
    for badge in ("⏸️ disables", "🔕 recipients removed", "📉 threshold loosened", "🔄 firing"):
        assert badge in text
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
