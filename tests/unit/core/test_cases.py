"""Every file in tests/cases: valid ones pass, each invalid one gives its one expected problem."""

import re
from pathlib import Path

import pytest

from alertsync.loading import check

CASES = Path(__file__).resolve().parents[2] / "cases"
INVALID = sorted((CASES / "invalid").glob("*.yaml"))
VALID = sorted((CASES / "valid").glob("*.yaml"))
EXAMPLE = CASES.parent.parent / "examples" / "alerts.yaml"
EXPECT = re.compile(rb"^# expect: (\d+):(\d+)")


def expected_position(path: Path) -> tuple[int, int]:
    match = EXPECT.match(path.read_bytes())
    assert match, f"{path.name} lacks its '# expect: line:col' comment"
    return int(match.group(1)), int(match.group(2))


def test_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_gives_one_problem_at_its_position(path: Path) -> None:
    checked = check([str(path)])
    assert len(checked.problems) == 1, [str(p) for p in checked.problems]
    problem = checked.problems[0]
    assert problem.file == str(path)
    assert (problem.line, problem.col) == expected_position(path), str(problem)
    assert problem.message


@pytest.mark.parametrize("path", [*VALID, EXAMPLE], ids=lambda p: p.stem)
def test_valid_files_have_no_problems(path: Path) -> None:
    assert check([str(path)]).problems == ()


def test_example_starts_with_the_schema_comment() -> None:
    first = EXAMPLE.read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (EXAMPLE.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (CASES.parent.parent / "schemas" / "alerts.schema.json").resolve()


def test_duplicate_names_across_files_point_at_both(tmp_path: Path) -> None:
    body = (
        "alerts:\n  - name: Same\n    insight: 1\n    threshold:\n      configuration:\n"
        "        type: absolute\n        bounds: {upper: 1}\n"
        "    condition: {type: absolute_value}\n"
        "    config: {series_index: 0}\n"
    )
    (tmp_path / "a.yaml").write_text(body)
    (tmp_path / "b.yaml").write_text(body)
    problems = check([str(tmp_path)]).problems
    assert len(problems) == 1
    assert problems[0].file.endswith("b.yaml")
    assert "a.yaml:2:11" in problems[0].message


def test_files_must_agree_on_scope(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("scope: {name_prefix: '[a] '}\nalerts: []\n")
    (tmp_path / "b.yaml").write_text("alerts: []\n")
    problems = check([str(tmp_path)]).problems
    assert len(problems) == 1 and problems[0].path == "scope"


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("alerts:\n  - name: ''\n    bogus: 1\n")
    (tmp_path / "b.yaml").write_text("alerts: {}\n")
    problems = check([str(tmp_path)]).problems
    assert len(problems) >= 4
    assert {p.file for p in problems} == {str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")}
