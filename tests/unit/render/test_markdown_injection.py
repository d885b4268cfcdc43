"""What reaches a pull request is inert: a plan and a report full of hostile names, rendered
by GitHub's own markdown renderer (cmark-gfm), still show every change, and no HTML
element, heading, image, link or mention comes from a name."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

from alertsync.core.plan import make_plan
from alertsync.model import (
    EnvironmentPlan,
    Guards,
    InsightLabel,
    Labels,
    Plan,
    Problem,
    Provenance,
    Result,
    Target,
)
from alertsync.render.environments import render_markdown_plan
from alertsync.render.markdown import render_markdown
from alertsync.render.report import render_markdown_report
from tests.builders import HOSTILE_NAMES, live, read_shape, spec

TARGET = Target("https://eu.posthog.com", "12345")
HOSTILE = HOSTILE_NAMES
ALLOWED_TAGS = {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
ALLOWED_TAGS |= {"ul", "li", "details", "summary", "a", "strong", "em"}


class Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.comments: list[str] = []
        self.text_outside_code: list[str] = []
        self.all_text: list[str] = []
        self.headings: list[str] = []
        self._code = 0
        self._heading = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "code":
            self._code += 1
        if tag in ("h3", "h4"):
            self._heading += 1
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code -= 1
        if tag in ("h3", "h4"):
            self._heading -= 1

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.all_text.append(data)
        if self._heading:
            self.headings[-1] += data
        if not self._code:
            self.text_outside_code.append(data)


def rendered(markdown: str) -> Inspector:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    inspector = Inspector()
    inspector.feed(html)
    return inspector


def hostile_plan() -> Plan:
    labels = Labels(
        insights={
            101: InsightLabel(101, "Ab3dE9fG", HOSTILE[1]),
            102: InsightLabel(102, "x)y", HOSTILE[2]),
        },
        users={1: HOSTILE[3], 2: "<script>@everyone</script>"},
    )
    desired: dict[str, Any] = {}
    current = []
    for i, name in enumerate(HOSTILE):
        if i % 3 == 0:  # a create
            desired[name] = spec(
                name,
                threshold={
                    "name": name,
                    "configuration": {"type": "absolute", "bounds": {"lower": 5}},
                },
            )
        elif i % 3 == 1:  # an update: disables, renames the threshold, moves the insight
            desired[name] = spec(
                name,
                enabled=False,
                insight=102,
                threshold={
                    "name": name,
                    "configuration": {"type": "absolute", "bounds": {"lower": 50}},
                },
            )
            current.append(read_shape(f"id-{i}", name))
        else:  # a delete
            current.append(read_shape(f"id-{i}", name))
    return make_plan(desired, live(*current), None, Guards(allow_mass_delete=True), labels)


def shown(name: str) -> str:
    return name.replace("\r\n", "⏎").replace("\n", "⏎").replace("\u2028", "⏎").replace("\r", "⏎")


def check_inert(page: Inspector) -> None:
    assert page.comments == []
    assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS
    assert all(
        link.startswith("https://eu.posthog.com/project/12345/insights/") for link in page.links
    )
    loose = "".join(page.text_outside_code)
    for at in range(len(loose)):
        if loose[at] in "@#":
            assert loose[at + 1 : at + 2] == "\u200b", loose[max(0, at - 20) : at + 20]


def test_a_plan_of_hostile_names_shows_every_change_and_nothing_else() -> None:
    plan = hostile_plan()
    page = rendered(render_markdown(plan, TARGET))
    check_inert(page)
    text = "".join(page.all_text)
    for change in plan.changes:
        assert any(shown(change.name) in heading for heading in page.headings), change.name
    assert "<script>@everyone</script>" in text  # shown, as text
    assert len([h for h in page.headings if h.startswith(("➕", "✏️", "🗑️"))]) == len(plan.changes)


def test_a_plan_too_long_for_a_comment_stays_inert() -> None:
    plan = hostile_plan()
    page = rendered(render_markdown(plan, TARGET, limit=3_000))
    check_inert(page)
    text = "".join(page.all_text)
    for change in plan.deletes:
        assert shown(change.name) in text


def test_names_only_lists_stay_inert() -> None:
    plan = hostile_plan()
    markdown = render_markdown(plan, TARGET, limit=2_000)
    assert "**Deleted (4):**" in markdown  # too short for the table: names only
    page = rendered(markdown)
    check_inert(page)
    text = "".join(page.all_text)
    for change in plan.changes:
        if change.action == "delete" or change.action == "update":  # deletes, risky updates
            assert shown(change.name) in text


def test_where_the_plan_was_made_stays_inert() -> None:
    made = Provenance("0a1b2c3", HOSTILE[0] + HOSTILE[3], "https://ci.example/r?(x)[y]", "x")
    page = rendered(render_markdown(hostile_plan(), TARGET, provenance=made))
    assert page.comments == [] and page.tags <= ALLOWED_TAGS
    assert "https://ci.example/r?%28x%29%5By%5D" in page.links
    assert all(
        link.startswith(("https://eu.posthog.com/project/12345/", "https://ci.example/"))
        for link in page.links
    )


def test_a_report_of_hostile_names_and_messages_stays_inert() -> None:
    plan = hostile_plan()
    results = [
        Result(change, "failed", f"PostHog answered 400: {HOSTILE[i % len(HOSTILE)]}")
        for i, change in enumerate(plan.changes)
    ]
    page = rendered(render_markdown_report(results, TARGET, "3f9a1c2b7d4e5f60"))
    check_inert(page)
    text = "".join(page.all_text)
    for change in plan.changes:
        assert shown(change.name) in text


def test_a_plan_of_environments_with_hostile_names_and_problems_stays_inert() -> None:
    plan = hostile_plan()
    problems = tuple(
        Problem(name, i + 1, 1, f"alerts[{i}].{name}", f"no insight {name}")
        for i, name in enumerate(HOSTILE)
    )
    sections = [
        EnvironmentPlan("production", TARGET, plan),
        EnvironmentPlan("qa", TARGET, None, f"PostHog answered 400: {HOSTILE[0]}", problems),
    ]
    html = cmarkgfm.github_flavored_markdown_to_html(
        render_markdown_plan(sections), options=Options.CMARK_OPT_UNSAFE
    )
    assert html.count("<h2>") == 1
    page = Inspector()
    page.feed(html.replace("<h2>", "<h3>").replace("</h2>", "</h3>"))  # the one h2: its title
    check_inert(page)
    text = "".join(page.all_text)
    for change in plan.changes:
        assert any(shown(change.name) in heading for heading in page.headings), change.name
    for problem in problems:
        assert shown(problem.message) in text
