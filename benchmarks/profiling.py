"""Where a plan's time goes: ``python -m cProfile -m alertsync plan`` and its top functions.

cProfile slows Python code down (often 1.5-2x), so its times are for ranking, not for the
results table. Cumulative time includes waiting on the network; internal time is CPU spent
in the function itself.
"""

from __future__ import annotations

import io
import pstats
import sys
from pathlib import Path

from benchmarks.emulator_process import EmulatorProcess
from benchmarks.measure import cli_env, run_measured

TOP_CUMULATIVE, TOP_INTERNAL = 45, 30


def top_functions(profile: Path, order: str, count: int) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(str(profile), stream=stream)
    stats.strip_dirs().sort_stats(order).print_stats(count)
    lines = stream.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    total = next((line.strip() for line in lines if "function calls" in line), "")
    return "\n".join([total, "", *(line.rstrip() for line in lines[start:] if line.strip())])


def profile_plan(emu: EmulatorProcess, folder: str, output: Path) -> str:
    """cProfile of ``alertsync plan FOLDER`` against ``emu``: the top functions, as text."""
    endpoint = emu.endpoint
    argv = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "alertsync"]
    argv += ["plan", folder, "--detailed-exitcode"]
    run = run_measured(argv, cli_env(endpoint.base_url, endpoint.project_id, endpoint.api_key))
    if run.exit_code != 0:
        return f"(profiling failed: exit {run.exit_code})\n{run.stderr[-2000:]}"
    by_cumulative = top_functions(output, "cumulative", TOP_CUMULATIVE)
    by_internal = top_functions(output, "tottime", TOP_INTERNAL)
    header = f"Wall time under cProfile: {run.wall_s:.2f} s (CPU {run.cpu_s or 0:.2f} s)"
    return (
        f"{header}\n\nBy cumulative time:\n\n{by_cumulative}\n\n"
        f"By internal time (CPU in the function itself):\n\n{by_internal}\n"
    )
