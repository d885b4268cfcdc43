"""The README's quickstart, run exactly as written on a copy of the repository: a fresh
virtual environment, the install, the emulator in the background (`--detach` returns once
it listens; stopped through its pid file), validate, plan, apply, and a last plan in sync."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.wheelhouse import offline_pip

ROOT = Path(__file__).resolve().parent.parent


def quickstart() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Try it", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def source_copy(into: Path) -> Path:
    """The repository's files as a fresh clone would have them (plus uncommitted work)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:  # not a git checkout (an sdist): every file but the venv
        shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(".venv", ".*cache*"))
        return into
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    return into


def test_the_quickstart_guesses_no_pause_and_stops_only_its_emulator() -> None:
    block = quickstart()
    assert "pkill" not in block and "killall" not in block
    assert "sleep" not in block  # no guessed pause and no polling: --detach returns when ready
    assert "--detach" in block and 'kill "$(cat emulator.pid)"' in block
    assert "alertsync plan examples/alerts.yaml --detailed-exitcode" in block


def test_the_quickstart_runs_as_written(tmp_path: Path, wheelhouse: Path) -> None:
    work = source_copy(tmp_path / "alertsync")
    python_dir = tmp_path / "python"  # `python3` is this interpreter, as on a fresh machine
    python_dir.mkdir()
    (python_dir / "python3").symlink_to(sys.executable)
    env = {
        "PATH": f"{python_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        **offline_pip(wheelhouse),
    }
    done = subprocess.run(
        ["bash", "-c", quickstart()],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "OK: 13 alert(s) in 1 file(s) are valid." in out
    assert "Plan: 13 to create, 0 to update, 0 to delete; destinations: 5 to add" in out
    assert out.rstrip().endswith("No changes. The live alerts match the files.\nIn sync (exit 0).")
    for _ in range(100):  # `kill` returns at once; the emulator removes its files as it stops
        if not (work / "emulator.pid").exists():
            break
        time.sleep(0.05)
    assert not (work / "emulator.pid").exists()
    assert "listening on http://127.0.0.1:" in (work / "emulator.log").read_text()
