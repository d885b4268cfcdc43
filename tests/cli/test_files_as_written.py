"""Nothing the user wrote is silently ignored or misread: symbolic links in directories, YAML
1.1 number and boolean forms, values PostHog cannot store, and every problem of a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from alertsync.edges.files import load_text
from alertsync.model import Document
from tests.builders import Runner, alert, write

# -- 9. symbolic links inside a directory --------------------------------------------------


def test_a_symlinked_directory_is_read(run: Runner, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    write(shared / "shared.yaml", {"alerts": [alert("From the shared folder")]})
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    write(alerts / "own.yaml", {"alerts": [alert("Own")]})
    (alerts / "shared").symlink_to("../shared")
    assert "OK: 2 alert(s) in 2 file(s)" in run("validate", str(alerts)).stdout
    assert run("apply", str(alerts), "--auto-approve").exit_code == 0
    assert sorted(a["name"] for a in run.emu.alerts()) == ["From the shared folder", "Own"]
    again = run("plan", str(alerts), "--detailed-exitcode")
    assert again.exit_code == 0, again.output  # nothing planned for deletion


def test_a_file_that_is_not_an_alerts_file_is_never_quoted(run: Runner, tmp_path: Path) -> None:
    """A link in the alerts folder to some other file (a credentials file, say): a problem
    CI may post on a pull request names its kind and length, never its text."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("deploy:S3CRET-t0ken@registry.example\nsecond S3CRET line\n")
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    (alerts / "creds.yaml").symlink_to(elsewhere)
    for command in ("validate", "plan"):
        result = run(command, str(alerts))
        assert result.exit_code == 1
        assert "S3CRET" not in result.output
        assert "creds.yaml:1:1: expected a mapping, got a string of 55 character(s)" in (
            result.output
        )
    assert run.emu.requests == []


def test_a_dangling_yaml_link_in_a_directory_is_an_error(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", {"alerts": [alert("A")]})
    (tmp_path / "b.yaml").symlink_to(tmp_path / "gone.yaml")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.yaml'}:1:1: symbolic link to nothing" in result.stdout
    assert run("plan", str(tmp_path)).exit_code == 1
    assert run.emu.requests == []


def test_a_directory_link_loop_is_an_error_not_a_hang(run: Runner, tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", {"alerts": [alert("A")]})
    (tmp_path / "again").symlink_to(tmp_path)
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1 and "symbolic link loop" in result.stdout


def test_the_same_file_through_two_links_counts_once(run: Runner, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    write(real / "a.yaml", {"alerts": [alert("A")]})
    (tmp_path / "link").symlink_to(real)
    result = run("validate", str(tmp_path))
    assert result.exit_code == 0 and "1 alert(s) in 1 file(s)" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_an_unreadable_directory_is_an_error(run: Runner, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        assert "cannot read directory" in run("validate", str(tmp_path)).stdout
    finally:
        locked.chmod(0o755)


# -- 10. scalars read as YAML 1.2 (and so the editor) reads them -------------------------


def loaded(value: str) -> object:
    doc = load_text("f.yaml", f"x: {value}\n")
    assert isinstance(doc, Document)
    return doc.data["x"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1e2", 100.0),
        ("-1e-7", -1e-7),
        ("0o17", 15),
        ("0x1A", 26),
        ("1:30", "1:30"),
        ("yes", "yes"),
        ("off", "off"),
        ("2024-01-01", "2024-01-01"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("True", True),
        ("~", None),
        (".inf", float("inf")),
        ("0", 0),
        ("-0", 0),
    ],
)
def test_scalars_read_as_yaml_1_2(written: str, read: object) -> None:
    assert loaded(written) == read


@pytest.mark.parametrize("written", ["0145", "010", "-07", "+00"])
def test_a_leading_zero_is_refused_not_read_as_octal(written: str) -> None:
    doc = load_text("f.yaml", f"x: {written}\n")
    assert isinstance(doc, Document)
    (problem,) = doc.problems
    assert "leading zero" in problem.message and (problem.line, problem.col) == (1, 4)


def test_the_cli_never_reads_a_number_the_editor_shows_differently(
    run: Runner, tmp_path: Path
) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(
        yaml.safe_dump({"alerts": [alert("A")]}, sort_keys=False).replace(
            "insight: Ab3dE9fG", "insight: 0145"
        )
    )
    result = run("plan", str(file))
    assert result.exit_code == 1
    assert "0145 has a leading zero: YAML 1.2 (and your editor) reads it as 145" in result.stderr
    assert "101 (octal)" in result.stderr
    assert run.emu.requests == []


def test_yes_for_a_boolean_says_why(run: Runner, tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(yaml.safe_dump({"alerts": [alert("A")]}) + "")
    text = file.read_text().replace("name: A", "name: A\n  enabled: on")
    file.write_text(text)
    result = run("validate", str(file))
    assert result.exit_code == 1
    assert 'got string "on" (YAML 1.2 reads on as text, not a boolean' in result.stdout


def test_an_exponent_without_a_dot_is_a_number(run: Runner, tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    body = yaml.safe_dump({"alerts": [alert("A")]}, sort_keys=False)
    file.write_text(body.replace("lower: 10", "lower: 1e1"))
    assert run("validate", str(file)).exit_code == 0
    assert run("apply", str(file), "--auto-approve").exit_code == 0
    assert run("plan", str(file), "--detailed-exitcode").exit_code == 0


# -- 11. values PostHog cannot store ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "threshold: {configuration: {type: absolute, bounds: {lower: 1" + "0" * 400 + "}}}",
            "is too large",
        ),
        (
            "threshold: {configuration: {type: absolute, bounds: {lower: .nan}}}",
            "is not a number PostHog can store",
        ),
        ('name: "a\\0b"', "control character U+0000"),
        ('name: "tab\\there"', "control character U+0009"),
        ('name: "two\\nlines"', "holds a line break"),
        ('name: "\\u202Eevil"', "bidirectional control U+202E"),
        (
            'threshold: {name: "x\\x1b[31m", configuration: {type: absolute, bounds: {lower: 1}}}',
            "control character U+001B",
        ),
    ],
)
def test_validate_refuses_what_posthog_cannot_store(
    run: Runner, tmp_path: Path, line: str, message: str
) -> None:
    base = alert("A")
    del base["threshold"]
    body = yaml.safe_dump({"alerts": [base]}, sort_keys=False)
    key = line.split(":", 1)[0]
    if key == "name":
        body = body.replace("- name: A\n", f"- {line}\n")
    else:
        body = body.replace("  insight:", f"  {line}\n  insight:")
    file = tmp_path / "a.yaml"
    file.write_text(body)
    result = run("plan", str(file))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert run.emu.requests == []


# -- 12. every problem of a file, at once ------------------------------------------------


def test_one_problem_never_hides_the_others(run: Runner, tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(
        "alerts:\n"
        "  - name: Dup\n"
        "    name: Dup again\n"  # 3: duplicate key
        "    insight: !custom Ab3dE9fG\n"  # 4: a tag that is not allowed
        "  - ? [complex]\n"  # 5: a complex key
        "    : 1\n"
        "    name: Sets\n"
        "    insight: !!set {a, b}\n"  # 8: another refused tag
        "  - name: Unknown field\n"
        "    insight: Ab3dE9fG\n"
        "    colour: blue\n"  # 11: an unknown field, found by the schema
    )
    result = run("validate", str(file))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(":3:5: alerts[0].name: duplicate key 'name'" in line for line in lines)
    assert any(":4:14:" in line and "!custom is not allowed" in line for line in lines)
    assert any(":5:7:" in line and "plain text, not a mapping" in line for line in lines)
    assert any(":8:14:" in line and "!!set" in line for line in lines)
    assert any(":11:5: alerts[2].colour: unknown field 'colour'" in line for line in lines)
    assert "ScalarNode" not in result.stdout and "MappingNode" not in result.stdout


def test_duplicate_merge_keys_are_reported(run: Runner, tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(
        "alerts:\n"
        "  - &a {name: A, insight: Ab3dE9fG, threshold: {configuration: {type: absolute, "
        "bounds: {lower: 1}}}, condition: {type: absolute_value}, config: {series_index: 0}}\n"
        "  - <<: *a\n"
        "    <<: *a\n"
        "    name: B\n"
    )
    result = run("validate", str(file))
    assert result.exit_code == 1 and ":4:5: alerts[1].<<: duplicate '<<' merge key" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int abc", "'abc' is not a valid !!int"),
        ("!!int 1e3", "'1e3' is not a valid !!int"),
        ("!!float abc", "'abc' is not a valid !!float"),
        ("!!float", "'' is not a valid !!float"),
        ("!!bool maybe", "'maybe' is not a valid !!bool"),
        ("!!map [1]", "!!map cannot tag a list"),
    ],
)
def test_a_value_its_tag_cannot_read_is_a_problem_not_a_crash(
    run: Runner, tmp_path: Path, value: str, message: str
) -> None:
    file = tmp_path / "alerts.yaml"
    file.write_text(
        "alerts:\n  - name: x\n    insight: Ab3dE9fG\n    condition: {type: absolute_value}\n"
        f"    config: {{series_index: 0}}\n    threshold: {value}\n"
    )
    for command in ("validate", "plan"):
        result = run(command, str(file))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"{file}:6:16: alerts[0].threshold: {message}" in result.output
    assert run.emu.requests == []


@pytest.mark.parametrize("shape", ["flow lists", "block mappings"])
def test_nesting_deeper_than_any_alert_is_one_problem(
    run: Runner, tmp_path: Path, shape: str
) -> None:
    file = tmp_path / "alerts.yaml"
    if shape == "flow lists":  # under libyaml's own limit, over the validator's stack
        file.write_text("alerts:\n  - name: x\n    subscribed_users: " + "[" * 990 + "]" * 990)
    else:
        lines = ["alerts:", "  - name: x", "    config:"]
        lines += [" " * (6 + 2 * i) + f"k{i}:" for i in range(80)] + [" " * 166 + "v: 1"]
        file.write_text("\n".join(lines) + "\n")
    for command in ("validate", "plan"):
        result = run(command, str(file))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "nesting is deeper than 64 levels" in result.output
    assert run.emu.requests == []
