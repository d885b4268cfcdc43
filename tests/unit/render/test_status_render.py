"""The status report's renderers: the terminal table, inert markdown within GitHub's limits,
and deterministic JSON."""

from __future__ import annotations

import json

from alertsync.core.destination_health import Delivery, DestinationStatus
from alertsync.core.health import AlertStatus, Overdue, Since
from alertsync.core.status_report import StatusReport, TargetStatus
from alertsync.model import Target
from alertsync.render import STATUS_FORMATS
from alertsync.render.status_json import render_status_json
from alertsync.render.status_markdown import MAX_LENGTH, render_status_markdown
from alertsync.render.status_text import render_status_text
from tests.builders import MarkdownPage

TARGET = Target("https://eu.posthog.com", "12345")
FAIL_ON = ("errored", "overdue", "destination-disabled")
HOSTILE = [
    "aa\n<!--",
    "# A heading",
    "<img src=x onerror=alert(1)>",
    "@octocat please merge",
    "[click](javascript:alert(1))",
    "`code` | pipe | ``",
    "</details><details open><summary>x",
    "see https://evil.example #12",
    "\x1b[2J\x1b[31mred",
]


def errored(name: str, message: str = "Query timed out") -> AlertStatus:
    return AlertStatus(
        name,
        "alerts.yaml:3",
        True,
        alert_id=f"id-{len(name)}",
        state="Errored",
        since=Since("2025-06-04T01:00:00Z", exact=False),
        enabled=True,
        interval="daily",
        last_check="2025-06-04T01:00:00Z",
        error=message,
        conditions=("errored",),
    )


def degraded_destination(name: str) -> DestinationStatus:
    delivery = Delivery("accepted", "2025-06-03T01:00:04Z", "c1")
    return DestinationStatus("f1", name, "webhook", True, 2, "degraded", "degraded", delivery)


def report(
    *alerts: AlertStatus, notes: tuple[str, ...] = (), prefix: str | None = None
) -> StatusReport:
    target = TargetStatus(TARGET, prefix, "2025-06-04T12:00:00Z", alerts, 0, notes)
    return StatusReport((target,), "Europe/Paris", FAIL_ON)


def test_the_text_table_lines_up_and_marks_what_fails_the_run() -> None:
    late = Overdue(
        "last check", "2025-06-01T01:00:00Z", "2025-06-02T01:00:00Z", "2025-06-02T07:00:00Z", 21600
    )
    stale = AlertStatus(
        "Stale",
        "a.yaml:9",
        True,
        alert_id="a2",
        state="Not firing",
        enabled=True,
        interval="daily",
        last_check="2025-06-01T01:00:00Z",
        overdue=late,
        conditions=("overdue",),
    )
    firing = AlertStatus(
        "Up", "a.yaml:1", True, alert_id="a3", state="Firing", conditions=("firing",)
    )
    text = render_status_text(report(errored("Signups"), stale, firing))
    lines = text.splitlines()
    header = next(line for line in lines if line.strip().startswith("STATE"))
    row = next(line for line in lines if "'Signups'" in line)
    assert header.index("SINCE") == row.index("<=2025")
    assert header.index("ALERT") == row.index("'Signups'")
    assert "    ! errored: Query timed out" in lines
    assert "    ! overdue: no check since 2025-06-01 01:00 (last check); a daily check was " in text
    assert "    - firing: PostHog says so" in lines
    assert "quiet hours and weekends in Europe/Paris" in lines[0]
    assert (
        lines[-1]
        == "2 alert(s) in a state --fail-on errored,overdue,destination-disabled selects: exit 1."
    )


def test_the_text_escapes_control_characters_in_names_and_messages() -> None:
    text = render_status_text(report(errored("\x1b[2Jwipe", "bad\x1b[31m\nnews")))
    assert "\x1b" not in text
    assert "'\\x1b[2Jwipe'" in text and "bad\\x1b[31m\\nnews" in text


def test_markdown_of_hostile_names_and_messages_is_inert_and_shows_each_alert() -> None:
    alerts = [errored(name, message=HOSTILE[-1 - i]) for i, name in enumerate(HOSTILE)]
    destination = AlertStatus(
        "With destination",
        "a.yaml:1",
        True,
        alert_id="a9",
        state="Not firing",
        destinations=(degraded_destination(HOSTILE[3]),),
        conditions=("destination-degraded",),
    )
    markdown = render_status_markdown(
        report(*alerts, destination, notes=(HOSTILE[1],), prefix="| [g] `x`")
    )
    page = MarkdownPage(markdown)
    assert page.comments == [] and page.links == []
    assert page.tags <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "br"} | {
        "strong",
        "blockquote",
    }
    assert page.mentions_escaped()
    shown = "".join(page.text)
    for name in HOSTILE:
        assert name.replace("\n", "⏎") in shown
    assert "names starting with | [g] `x`" in shown
    assert markdown.count("| 🔴 |") == len(HOSTILE) and markdown.count("| 🟡 |") == 1


def test_markdown_of_thousands_of_alerts_stays_under_github_s_limit() -> None:
    many = [errored(f"Alert number {i:05d} with a long name", "x" * 150) for i in range(3000)]
    working = [AlertStatus(f"Fine {i}", "a.yaml:1", True, alert_id=f"f{i}") for i in range(500)]
    markdown = render_status_markdown(report(*many, *working))
    assert len(markdown) <= MAX_LENGTH
    assert "more alert(s) left out: see `--format json`." in markdown
    assert "500 alert(s) with nothing to report." in markdown
    assert markdown.rstrip().endswith(
        "3000 alert(s) in a state `--fail-on errored,overdue,destination-disabled` selects: exit 1."
    )


def test_markdown_folds_the_alerts_with_nothing_to_report() -> None:
    quiet = AlertStatus("Fine", "a.yaml:1", True, alert_id="a1", state="Not firing")
    markdown = render_status_markdown(report(quiet))
    assert markdown.startswith("### alertsync status: no alert in a --fail-on state (1 read)")
    assert "<details><summary>1 alert(s) with nothing to report</summary>\n\n`Fine`" in markdown
    assert "| 🔴" not in markdown


def test_json_is_deterministic_and_says_whether_the_run_fails() -> None:
    first = render_status_json(report(errored("B"), errored("A")))
    assert first == render_status_json(report(errored("B"), errored("A")))
    document = json.loads(first)
    assert list(document) == sorted(document)
    assert (document["failed"], document["fail_on"], document["timezone"]) == (
        True,
        list(FAIL_ON),
        "Europe/Paris",
    )
    (target,) = document["targets"]
    assert target["summary"]["alerts"] == 2 and target["summary"]["errored"] == 2
    assert [row["name"] for row in target["alerts"]] == ["B", "A"]  # as the report orders them
    assert target["alerts"][0]["failing"] == ["errored"]


def test_every_format_is_registered() -> None:
    assert sorted(STATUS_FORMATS) == ["json", "markdown", "text"]
