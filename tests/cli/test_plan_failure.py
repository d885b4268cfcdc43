"""When `plan` fails, `--format markdown` still prints a pull-request comment that says why:
every problem at its file:line:col, or the error, inert; exit 1, the plain error on stderr."""

from __future__ import annotations

from pathlib import Path

from alertsync.model import Problem, Provenance
from alertsync.render.markdown import size
from alertsync.render.markdown_failure import render_plan_failure
from tests.builders import MarkdownPage, Runner, alert, post_alert, write

HOSTILE = "<img src=x onerror=alert(1)> @octocat [x](javascript:alert(1)) # heading"


def test_invalid_files_are_listed_at_their_file_line_and_column(
    run: Runner, tmp_path: Path
) -> None:
    bad = alert("Broken", calculation_interval="sometimes", threshold={"configuration": {}})
    file = write(tmp_path / "alerts.yaml", {"alerts": [alert("Fine"), bad]})
    result = run("plan", str(file), "--format", "markdown")
    assert result.exit_code == 1
    assert result.stdout.startswith("### alertsync plan failed\n")
    assert "problem(s) in 1 file(s)**; nothing was changed in PostHog" in result.stdout
    assert f"- `{file}:" in result.stdout and "`alerts[1].calculation_interval`:" in result.stdout
    assert "Error: " not in result.stdout
    assert f"{file}:" in result.stderr and "Error: " in result.stderr  # plain, as always
    assert run.writes() == []


def test_an_api_refusal_is_shown_as_the_error(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "alerts.yaml", {"alerts": [alert("Fine")]})
    result = run("plan", str(file), "--format", "markdown", POSTHOG_PERSONAL_API_KEY="phx_wrong")
    assert result.exit_code == 1
    assert result.stdout.startswith("### alertsync plan failed\n")
    assert "```text\nError: listing alerts: PostHog rejected the API key (401" in result.stdout
    assert "Error: listing alerts: PostHog rejected the API key" in result.stderr


def test_a_refused_mass_delete_says_which_flag_approves_it(run: Runner, tmp_path: Path) -> None:
    for n in range(12):
        body = alert(f"Old {n:02}", insight=101, subscribed_users=[1])
        post_alert(run.emu, {**body, "config": {"type": "TrendsAlertConfig", "series_index": 0}})
    file = write(tmp_path / "alerts.yaml", {"alerts": [alert("Fine")]})
    result = run("plan", str(file), "--format", "markdown", "--detailed-exitcode")
    assert result.exit_code == 1
    assert "### alertsync plan failed" in result.stdout
    assert "pass --allow-mass-delete" in result.stdout and "'Old 11'" in result.stdout


def test_the_other_formats_print_nothing_on_stdout(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "alerts.yaml", {"alerts": [alert("Broken", calculation_interval=1)]})
    for fmt in ("text", "json"):
        result = run("plan", str(file), "--format", fmt)
        assert result.exit_code == 1 and result.stdout == ""


def test_the_failure_comment_says_where_it_was_made(run: Runner, tmp_path: Path) -> None:
    file = write(tmp_path / "alerts.yaml", {"alerts": [alert("Broken", calculation_interval=1)]})
    env = {
        "GITLAB_CI": "true",
        "CI_COMMIT_SHA": "0123456789abcdef0123456789abcdef01234567",
        "CI_PIPELINE_URL": "https://gitlab.example.com/acme/alerts/-/pipelines/9",
    }
    result = run("plan", str(file), "--format", "markdown", **env)
    assert (
        "Made from commit `0123456789abcdef0123456789abcdef01234567` by "
        "[a GitLab CI run](https://gitlab.example.com/acme/alerts/-/pipelines/9)."
    ) in result.stdout


def test_hostile_messages_and_names_stay_inert() -> None:
    problems = [
        Problem(f"alerts/{HOSTILE}.yaml", 3, 5, f"alerts[0].{HOSTILE}", f"bad {HOSTILE}"),
        Problem("a.yaml", 1, 1, "", "``` closes a fence? <!-- hides the rest"),
    ]
    made = Provenance("0a1b2c3", "<b>ref</b> @octocat", "https://ci.example/run?a=(1)", "GitLab CI")
    for markdown in (
        render_plan_failure("Error: x", problems, made),
        render_plan_failure(f"Error: ```\n# {HOSTILE}\n<!--", (), made),
    ):
        page = MarkdownPage(markdown)
        assert page.comments == [] and page.mentions_escaped()
        assert page.tags <= {"h3", "p", "ul", "li", "code", "pre", "strong", "a", "em"}
        assert page.links == ["https://ci.example/run?a=%281%29"]
        assert "<b>ref</b> @octocat" in "".join(page.text)


def test_thousands_of_problems_stay_under_the_limit_and_say_how_many_are_left_out() -> None:
    problems = [Problem(f"alerts/{i:05}.yaml", i, 1, "threshold", "x" * 80) for i in range(2_000)]
    markdown = render_plan_failure("Error: x", problems)
    assert size(markdown) <= 65_000
    shown = markdown.count("\n- `alerts/")
    assert 0 < shown < 2_000
    assert f"_And {2_000 - shown} more problem(s)" in markdown
    long = render_plan_failure("Error: " + "'Old alert', " * 10_000)
    assert size(long) <= 65_000 and "cut to fit a comment" in long
