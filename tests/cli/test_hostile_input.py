"""Hostile and broken input, generated at test time (too big, or not plain files, to commit):
each is rejected by validate, plan and apply with exit 1, a `file:line:col` where a
position exists, no traceback, bounded memory, and not one HTTP request.

The committed one-problem corpus (tests/cases/invalid/) is checked by
tests/unit/test_cases.py and tests/cli/test_core_loop.py::test_invalid_files_send_nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from alertsync.edges.files import MAX_FILE_BYTES
from alertsync.loading import check
from alertsync.model import Problem
from tests.builders import EXAMPLE, Runner

ALERT = (
    "  - name: Alert {i}\n    insight: Ab3dE9fG\n    threshold:\n      configuration:\n"
    "        type: absolute\n        bounds: {{lower: 10}}\n"
    "    condition: {{type: absolute_value}}\n    config: {{series_index: 0}}\n"
)
POSITION = re.compile(r":(\d+):(\d+): ")
Make = Callable[[Path], Path]


def alias_bomb(tmp: Path) -> Path:
    lines = ["alerts:", "  - name: bomb", "    x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 12):
        lines.append(f"    x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 8) + "]")
    return write(tmp / "bomb.yaml", "\n".join(lines) + "\n")


def quadratic_aliases(tmp: Path) -> Path:
    big = "[" + ", ".join(["payload"] * 2000) + "]"
    refs = "\n".join(f"    r{i}: *big" for i in range(3000))
    return write(tmp / "quadratic.yaml", f"alerts:\n  - name: q\n    big: &big {big}\n{refs}\n")


def deep_flow(depth: int) -> Make:
    def make(tmp: Path) -> Path:
        return write(tmp / f"deep-{depth}.yaml", "alerts: " + "[" * depth + "]" * depth + "\n")

    return make


def deep_block(tmp: Path) -> Path:
    lines = ["alerts:"] + [" " * (2 * i) + "- " for i in range(1, 400)]
    return write(tmp / "deep-block.yaml", "\n".join(lines) + "x\n")


def oversized(tmp: Path) -> Path:
    path = tmp / "oversized.yaml"
    with path.open("w") as out:
        out.write("alerts: []\n")
        out.write(("# padding " + "x" * 89 + "\n") * (MAX_FILE_BYTES // 100 + 10))
    return path


def megabytes_of_name(tmp: Path) -> Path:
    text = ALERT.format(i=0).replace("Alert 0", "x" * (5 * 1024 * 1024))
    return write(tmp / "huge-name.yaml", "alerts:\n" + text)


def megabytes_of_alerts(tmp: Path) -> Path:
    body = "".join(ALERT.format(i=i) for i in range(1000))  # ~0.2 MB, then one bad field
    return write(tmp / "many.yaml", "alerts:\n" + body + "  - name: last\n    bogus: 1\n")


def binary(tmp: Path) -> Path:
    path = tmp / "binary.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64)
    return path


def nul_byte(tmp: Path) -> Path:
    return write(tmp / "nul.yaml", "alerts:\n  - name: a\x00b\n")


def many_documents(tmp: Path) -> Path:
    return write(tmp / "docs.yaml", "alerts: []\n" + "---\nalerts: []\n" * 5000)


def unsafe_tags(tmp: Path) -> Path:
    marker = tmp / "pwned"
    text = (
        "alerts:\n"
        f"  - name: !!python/object/apply:pathlib.Path.touch [{str(marker)!r}]\n"
        "    insight: !!python/name:os.system\n"
        "    threshold: !!python/object/new:builtins.dict {}\n"
    )
    return write(tmp / "tags.yaml", text)


def unreadable_io_error(tmp: Path) -> Path:
    """Readable as far as permissions go (even for root), but reading fails with EIO."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux /proc/self/mem to simulate a read error")
    link = tmp / "io-error.yaml"
    link.symlink_to("/proc/self/mem")
    return link


def unreadable_permissions(tmp: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading a file")
    path = write(tmp / "secret.yaml", "alerts: []\n")
    path.chmod(0)
    return path


def dangling_symlink(tmp: Path) -> Path:
    link = tmp / "dangling.yaml"
    link.symlink_to(tmp / "nowhere.yaml")
    return link


def symlink_loop(tmp: Path) -> Path:
    link = tmp / "loop.yaml"
    link.symlink_to(link)
    return link


def directory_named_yaml(tmp: Path) -> Path:
    path = tmp / "alerts.yaml"
    path.mkdir()
    return path


def directory_without_yaml(tmp: Path) -> Path:
    folder = tmp / "no-yaml"
    folder.mkdir()
    write(folder / "notes.txt", "alerts: []\n")
    write(folder / "alerts.yaml.bak", "alerts: []\n")
    write(folder / "README.md", "# alerts\n")
    return folder


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CASES: dict[str, Make] = {
    "alias-bomb": alias_bomb,
    "quadratic-aliases": quadratic_aliases,
    "deep-flow-100": deep_flow(100),
    "deep-flow-20000": deep_flow(20_000),
    "deep-block": deep_block,
    "oversized": oversized,
    "megabytes-of-name": megabytes_of_name,
    "many-alerts-one-bad": megabytes_of_alerts,
    "binary": binary,
    "nul-byte": nul_byte,
    "many-documents": many_documents,
    "unsafe-tags": unsafe_tags,
    "unreadable-io-error": unreadable_io_error,
    "unreadable-permissions": unreadable_permissions,
    "dangling-symlink": dangling_symlink,
    "symlink-loop": symlink_loop,
    "directory-named-yaml": directory_named_yaml,
    "directory-without-yaml": directory_without_yaml,
}
MEMORY_LIMIT = 256 * 1024 * 1024
MEASURED = {"alias-bomb", "quadratic-aliases", "oversized", "megabytes-of-name", "many-documents"}


def checked(path: Path, measure: bool) -> tuple[tuple[Problem, ...], int]:
    """The problems `check` finds, and its peak memory (traced only when `measure`: tracing
    makes deep recursion very slow)."""
    if not measure:
        return check([str(path)]).problems, 0
    tracemalloc.start()
    try:
        problems = check([str(path)]).problems
        return problems, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_rejected_cleanly(case: str, run: Runner, tmp_path: Path) -> None:
    path = CASES[case](tmp_path)
    problems, peak = checked(path, measure=case in MEASURED)
    assert problems, case
    assert peak < MEMORY_LIMIT, f"{case}: {peak / 1e6:.0f} MB"
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1

    for args in (("validate",), ("plan",), ("apply", "--auto-approve")):
        result = run(args[0], str(path), *args[1:])
        assert result.exit_code == 1, (case, args, result.output[:2000])
        assert "Traceback" not in result.output
        first = (result.stdout + result.stderr).splitlines()[0]
        assert first.startswith(str(path)), (case, first[:300])
        assert POSITION.search(first[len(str(path)) :][:20]), (case, first[:300])
    assert run.emu.requests == []
    assert not (tmp_path / "pwned").exists()


def test_the_corpus_covers_every_kind_the_issue_names() -> None:
    corpus = Path(__file__).resolve().parent.parent / "cases" / "invalid"
    names = {p.stem for p in corpus.glob("*.yaml")}
    assert len(names) >= 40
    committed = {
        "syntax-error-unclosed-bracket",
        "tab-indentation",
        "duplicate-key",
        "wrong-type-enabled",
        "unknown-key",
        "bad-enum-condition-type",
        "empty-file",
        "top-level-list",
        "non-utf8",
        "alias-bomb",
        "python-tag",
    }
    assert committed <= names, committed - names
    generated = {"oversized", "megabytes-of-name", "deep-flow-20000", "unreadable-io-error"}
    assert generated <= set(CASES)
    assert {"directory-without-yaml", "unreadable-permissions"} <= set(CASES)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copy(EXAMPLE, tmp_path / "alerts.yaml"))


def test_a_non_mapping_file_beside_a_scoped_one(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('scope:\n  name_prefix: "[a] "\nalerts: []\n')
    for body in ("42\n", "null\n", "true\n"):
        (tmp_path / "b.yaml").write_text(body)
        result = run("validate", str(tmp_path))
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert f"{tmp_path / 'b.yaml'}:1:1" in result.stdout


def test_upper_case_suffixes_are_found(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "A.YAML").write_text("alerts: []\n")
    (tmp_path / "b.Yml").write_text("alerts: []\n")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 0 and "in 2 file(s)" in result.stdout


def test_a_key_that_cannot_be_a_header_is_refused_without_showing_it(
    run: Runner, example: Path
) -> None:
    for key in ("phx_abc\nsecretsecret", "phx_é_secretsecret", "phx abc secretsecret"):
        result = run("plan", str(example), POSTHOG_PERSONAL_API_KEY=key)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert "secretsecret" not in result.output
        assert "spaces, line breaks or non-ASCII" in result.stderr
    assert run.emu.requests == []


@pytest.mark.parametrize("host", ["http://[::1", "http://127.0.0.1:abc", "ftp://x"])
def test_a_malformed_host_is_a_clean_error(run: Runner, example: Path, host: str) -> None:
    result = run("plan", str(example), "--host", host)
    assert result.exit_code == 1 and result.stderr.startswith("Error: host")


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_timeouts_must_be_finite(run: Runner, example: Path, value: str) -> None:
    result = run("plan", str(example), "--timeout", value)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_an_unreadable_plan_file_is_a_clean_error(run: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_bytes(b"\xff\xfe{}")
    result = run("apply", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: cannot read the plan file")
