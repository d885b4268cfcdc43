"""Run one command and write its own resource usage as JSON: a tiny, separate launcher.

    python -S benchmarks/launch.py REPORT.json -- COMMAND [ARGS...]

Why a launcher: on Linux a child's ``ru_maxrss`` starts from the resident size of the
process it was forked (or vforked) from, because ``exec`` keeps the high-water mark of the
address space it replaces. Spawned straight from the harness, which holds every workload in
memory, a small command would report the harness's peak. Spawned from this launcher (a bare
interpreter without site-packages, about 10 MB), it reports its own.

The report: ``{"wall_s", "cpu_s", "peak_kib", "exit_code"}``; wall time runs from the spawn
to the exit of the command, so the launcher's own start-up is not counted. Standard library
only, and no import of the ``benchmarks`` package, so that it stays small.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: launch.py REPORT.json -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    report, command = argv[0], argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    result = {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_kib": usage.ru_maxrss,
        "exit_code": os.waitstatus_to_exitcode(status),
    }
    with open(report, "w", encoding="utf-8") as stream:
        json.dump(result, stream)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
