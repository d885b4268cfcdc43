"""The `$schema` comment an export writes resolves by default: `export --output` puts this
alertsync's alerts schema beside the file, where the comment points."""

from __future__ import annotations

from pathlib import Path

from alertsync.edges.schemas import schema_text
from tests.builders import Runner, alert, post_alert

FIRST_LINE = "# yaml-language-server: $schema="


def schema_ref(path: Path) -> Path:
    first = path.read_text().splitlines()[0]
    assert first.startswith(FIRST_LINE)
    return path.parent / first.removeprefix(FIRST_LINE)


def one_live_alert(run: Runner) -> None:
    body = alert("Exported", insight=101, subscribed_users=[1])
    body["config"] = {"type": "TrendsAlertConfig", "series_index": 0}
    post_alert(run.emu, body)


def test_the_comment_resolves_to_the_schema_written_beside_the_export(
    run: Runner, tmp_path: Path
) -> None:
    one_live_alert(run)
    out = tmp_path / "alerts" / "team.yaml"
    out.parent.mkdir()
    result = run("export", "--output", str(out))
    assert result.exit_code == 0, result.output
    target = schema_ref(out)
    assert target == out.parent / "alerts.schema.json"
    assert target.read_text() == schema_text()  # the schema of the alertsync that exported
    assert "Wrote the alerts schema to" in result.stderr
    again = run("export", "--output", str(out))
    assert again.exit_code == 0 and "alerts schema" not in again.stderr  # already there
    assert run("validate", str(out.parent)).exit_code == 0  # the .json is not an alert file


def test_an_unrelated_file_of_that_name_is_never_overwritten(run: Runner, tmp_path: Path) -> None:
    one_live_alert(run)
    mine = tmp_path / "alerts.schema.json"
    mine.write_text('{"$id": "https://example.com/something-else.json"}')
    result = run("export", "--output", str(tmp_path / "alerts.yaml"))
    assert result.exit_code == 1
    assert "is not alertsync's alerts schema" in result.stderr
    assert mine.read_text() == '{"$id": "https://example.com/something-else.json"}'
    assert not (tmp_path / "alerts.yaml").exists()


def test_a_given_schema_url_writes_no_schema(run: Runner, tmp_path: Path) -> None:
    one_live_alert(run)
    out = tmp_path / "alerts.yaml"
    url = "../schemas/alerts.schema.json"
    result = run("export", "--output", str(out), "--schema-url", url)
    assert result.exit_code == 0
    assert out.read_text().startswith(f"{FIRST_LINE}{url}\n")
    assert not (tmp_path / "alerts.schema.json").exists()


def test_on_stdout_the_note_says_where_the_schema_goes(run: Runner) -> None:
    one_live_alert(run)
    result = run("export")
    assert result.stdout.startswith(f"{FIRST_LINE}alerts.schema.json\n")
    assert "`export --output FILE` writes it there" in result.stderr
