"""Run one command as a child process and measure it alone: wall time, CPU time, peak RSS.

Each command runs under ``benchmarks/launch.py``, which spawns it and reaps it with
``os.wait4``: that returns the usage of exactly that process, so every run gets its own CPU
time and peak RSS (``getrusage(RUSAGE_CHILDREN)`` would mix in every earlier child), and the
launcher being small keeps the harness's own memory out of the peak (see ``launch.py``).
Output goes to temporary files, not pipes, so a large plan never blocks on a full pipe.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = Path(__file__).resolve().parent / "launch.py"
# Bytecode caches outside the repository, kept between runs: an installed CLI has them
# (pip compiles at install), even where PYTHONDONTWRITEBYTECODE is set for development.
PYCACHE = Path(tempfile.gettempdir()) / "alertsync-bench-pycache"
KIB = 1024
MB = 1_000_000


@dataclass(frozen=True)
class Run:
    """One measured child process (or one measured in-process loop, without CPU and RSS)."""

    wall_s: float
    cpu_s: float | None = None  # user + system of the child
    peak_mb: float | None = None  # ru_maxrss, in MB (10^6 bytes)
    exit_code: int = 0
    stdout: str = ""
    stderr: str = ""
    requests: dict[str, Any] = field(default_factory=dict)  # the emulator's stats


def cli_env(base_url: str, project_id: int, api_key: str) -> dict[str, str]:
    """The environment of an alertsync child: the emulator's connection, loopback only."""
    env = dict(os.environ)
    env.update(
        POSTHOG_HOST=base_url,
        POSTHOG_PROJECT_ID=str(project_id),
        POSTHOG_PERSONAL_API_KEY=api_key,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        NO_COLOR="1",
        NO_PROXY="127.0.0.1,localhost",
        PYTHONPYCACHEPREFIX=str(PYCACHE),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)
    return env


def alertsync_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "alertsync", *args]


def python_argv(*args: str) -> list[str]:
    """The same interpreter, as for alertsync (start-up is compared with a bare one)."""
    return [sys.executable, *args]


def run_measured(argv: Sequence[str], env: Mapping[str, str]) -> Run:
    """Run ``argv`` through the launcher, which reports the command's own usage."""
    with (
        tempfile.TemporaryDirectory(prefix="alertsync-bench-run-") as folder,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        report = Path(folder) / "usage.json"
        launcher = [sys.executable, "-S", str(LAUNCHER), str(report), "--", *argv]
        subprocess.run(
            launcher, cwd=ROOT, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
        if not report.exists():
            raise RuntimeError(f"the launcher did not report on {list(argv)}:\n{stderr[-2000:]}")
        usage = json.loads(report.read_text(encoding="utf-8"))
    return Run(
        wall_s=float(usage["wall_s"]),
        cpu_s=float(usage["cpu_s"]),
        peak_mb=int(usage["peak_kib"]) * KIB / MB,
        exit_code=int(usage["exit_code"]),
        stdout=stdout,
        stderr=stderr,
    )


def timed(action: Callable[[], object]) -> Run:
    """Wall time of an in-process action (the baselines: bare httpx loops)."""
    start = time.perf_counter()
    action()
    return Run(wall_s=time.perf_counter() - start)


def median_run(runs: Sequence[Run]) -> Run:
    """The run with the median wall time (the lower middle one for an even count)."""
    ordered = sorted(runs, key=lambda run: run.wall_s)
    return ordered[(len(ordered) - 1) // 2]


def spread(runs: Sequence[Run]) -> str:
    walls = [run.wall_s for run in runs]
    if len(walls) < 2:
        return ""
    return f"min {min(walls):.3f} s, max {max(walls):.3f} s, sd {statistics.stdev(walls):.3f} s"
