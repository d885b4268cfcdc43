"""The real `plan --format markdown` and `apply --format markdown`, against an emulator whose
alerts, insights, members and messages are hostile markdown: rendered as GitHub renders a
comment (cmark-gfm), every change shows, and no tag, comment, link, heading or mention comes
from a name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alertsync.emulator import Emulator, default_seed
from tests.builders import HOSTILE_NAMES, MarkdownPage, Runner, alert, post_alert, write

# A name in a file is one line (validate refuses line breaks in it)
HOSTILE = [name for name in HOSTILE_NAMES if not any(c in name for c in "\r\n\u2028")]
ALLOWED = {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "ul", "li"}
ALLOWED |= {"details", "summary", "a", "strong", "em", "br"}


@pytest.fixture
def hostile() -> Iterator[Runner]:
    """Insights and a member named in markdown, live alerts of hostile names made in the
    UI: a third to delete, a third to update (disabled, another insight), files create the
    rest."""
    seed = default_seed()
    seed["insights"][0]["name"] = "<script>alert(1)</script> @everyone"
    seed["insights"][1]["name"] = "[Revenue](https://evil.example) #1"
    seed["users"][1]["email"] = "grace@evil.example"
    emu = Emulator(seed=seed, port=0)
    emu.start()
    try:
        yield Runner(emu)
    finally:
        emu.stop()


def files(run: Runner, tmp_path: Path) -> Path:
    wanted = []
    for i, name in enumerate(HOSTILE):
        if i % 3 != 0:  # live, made in the UI
            body = alert(name, insight=101, subscribed_users=[1])
            post_alert(
                run.emu, {**body, "config": {"type": "TrendsAlertConfig", "series_index": 0}}
            )
        if i % 3 == 2:
            continue  # deleted
        threshold = {"name": name, "configuration": {"type": "absolute", "bounds": {"lower": 5}}}
        wanted.append(
            alert(
                name,
                insight="Kx7pQ2mN" if i % 3 == 1 else "Ab3dE9fG",
                enabled=i % 3 != 1,
                subscribed_users=["grace@evil.example"],
                threshold=threshold,
            )
        )
    folder = tmp_path / "alerts"
    folder.mkdir()
    write(folder / "alerts.yaml", {"alerts": wanted})
    return folder


def inert(page: MarkdownPage, host: str) -> None:
    assert page.comments == []
    assert page.tags <= ALLOWED, page.tags - ALLOWED
    assert all(link.startswith(f"{host}/project/1/") for link in page.links), page.links
    assert page.mentions_escaped()


def test_a_hostile_plan_from_the_cli_is_inert_and_names_every_change(
    hostile: Runner, tmp_path: Path
) -> None:
    folder = files(hostile, tmp_path)
    planned = hostile("plan", str(folder), "--format", "markdown", "--allow-mass-delete")
    assert planned.exit_code == 0, planned.output
    page = MarkdownPage(planned.stdout)
    inert(page, hostile.emu.base_url)
    text = "".join(page.text)
    for name in HOSTILE:
        assert name in text, name
    assert "<script>alert(1)</script>" in text and "grace@evil.example" in text  # as text


def test_a_hostile_apply_report_from_the_cli_is_inert(hostile: Runner, tmp_path: Path) -> None:
    folder = files(hostile, tmp_path)
    args = ("apply", str(folder), "--auto-approve", "--allow-mass-delete")
    applied = hostile(*args, "--format", "markdown")
    assert applied.exit_code == 0, applied.output
    page = MarkdownPage(applied.stdout)
    inert(page, hostile.emu.base_url)
    text = "".join(page.text)
    for name in HOSTILE:
        assert name in text, name
