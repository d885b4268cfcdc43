"""The results as tables: plain text for the terminal, markdown for BENCHMARKS.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.pairs import cpu
from benchmarks.results import (
    APPLY,
    APPLY_ONE,
    BARE_IMPORT,
    FLOOR,
    FLOOR_ONE_PAGE,
    FLOOR_PARALLEL,
    ORDER,
    PLAN_CHANGED,
    PLAN_SAME,
    POST_LOOP,
    REALISTIC,
    REALISTIC_STARTUP,
    STARTUP,
    TERRAFORM,
    VALIDATE,
    VALIDATE_EXAMPLE,
    Results,
    requests_summary,
)
from benchmarks.targets import verdicts

DASH = "-"


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    align: str  # one letter per column: l(eft) or r(ight)


def seconds(value: float | None) -> str:
    return DASH if value is None else f"{value:.3f}" if value < 100 else f"{value:.1f}"


def ratio(top: float | None, bottom: float | None) -> str:
    return DASH if not top or not bottom else f"{top / bottom:.2f} x"


# -- the tables ------------------------------------------------------------------------


def results_table(results: Results) -> Table:
    rows = []
    for size in results.sizes():
        for key in ORDER:
            found = results.get(key, size)
            if found is None:
                continue
            run = found.run
            rows.append(
                [
                    f"{size:,}",
                    found.label,
                    seconds(run.wall_s),
                    f"{found.per_alert_ms:.3f}",
                    seconds(run.cpu_s),
                    DASH if run.peak_mb is None else f"{run.peak_mb:.0f}",
                    requests_summary(run.requests),
                ]
            )
    headers = ["N", "measurement", "wall s", "ms/alert", "CPU s", "peak MB", "requests"]
    return Table("Results (median of the rounds)", headers, rows, "llrrrrl")


def startup_table(results: Results) -> Table:
    rows = []
    for key in (STARTUP, VALIDATE_EXAMPLE, BARE_IMPORT):
        found = results.get(key, 0)
        if found is None:
            continue
        cpus = sorted(cpu(run) for run in found.runs)
        run = found.run
        rows.append(
            [
                found.label,
                seconds(run.wall_s),
                f"{cpus[(len(cpus) - 1) // 2]:.3f}",
                f"{cpus[0]:.3f}-{cpus[-1]:.3f}",
                DASH if run.peak_mb is None else f"{run.peak_mb:.0f}",
                str(len(found.runs)),
            ]
        )
    headers = ["command", "wall s", "CPU s", "CPU range s", "peak MB", "rounds"]
    return Table("Start-up (interleaved rounds)", headers, rows, "lrrrrr")


def realistic_table(results: Results) -> Table:
    info = results.realistic
    headers = ["project", "latency", "critical path", "plan s", "--version s", "requests"]
    if info is None:
        return Table("Realistic project: not run", headers, [], "l" * 6)
    plan, version = results.get(REALISTIC, info.alerts), results.get(REALISTIC_STARTUP, info.alerts)
    path = f"{info.round_trips} round trips ({info.why})"
    row = [
        f"{info.alerts} alerts, {info.insights} insights, {info.destinations} destinations, "
        f"{info.members} members",
        f"{info.latency_ms} ms",
        path,
        seconds(plan.run.wall_s if plan else None),
        seconds(version.run.wall_s if version else None),
        info.requests,
    ]
    return Table(
        "Realistic project (no-change plan; median of the rounds)", headers, [row], "lrlrrl"
    )


def ratios_table(results: Results) -> Table:
    rows = []
    for size in results.sizes():
        plan, changed = results.wall(PLAN_SAME, size), results.wall(PLAN_CHANGED, size)
        if plan is None:
            continue
        floors = [results.wall(key, size) for key in (FLOOR, FLOOR_PARALLEL, FLOOR_ONE_PAGE)]
        terraform = results.wall(TERRAFORM, size)
        rows.append(
            [
                f"{size:,}",
                *(ratio(plan, f) for f in floors),
                ratio(plan, terraform),
                ratio(changed, floors[0]),
                ratio(changed, terraform),
            ]
        )
    headers = [
        "N",
        "plan ÷ floor",
        "plan ÷ parallel floor",
        "plan ÷ one-page floor",
        "plan ÷ Terraform-style",
        "changed plan ÷ floor",
        "changed plan ÷ Terraform-style",
    ]
    return Table("Plan against the baselines (plan = no changes)", headers, rows, "lrrrrrr")


def apply_table(results: Results) -> Table:
    rows = []
    for size in results.sizes():
        apply = results.wall(APPLY, size)
        if apply is None:
            continue
        one, loop = results.wall(APPLY_ONE, size), results.wall(POST_LOOP, size)
        rows.append(
            [
                f"{size:,}",
                seconds(apply),
                f"{apply / size * 1000:.2f}",
                seconds(one) if one else "flag absent",
                seconds(loop),
                ratio(one, apply),
                ratio(loop, apply),
            ]
        )
    headers = [
        "N",
        "apply s",
        "ms/create",
        "apply --concurrency 1 s",
        "bare POST loop s",
        "speed-up vs --concurrency 1",
        "speed-up vs POST loop",
    ]
    return Table("Apply of N creates (empty project, no rate limit)", headers, rows, "lrrrrrr")


def per_alert_table(results: Results) -> Table:
    sizes = results.sizes()
    rows = []
    for key in (VALIDATE, PLAN_SAME, PLAN_CHANGED, FLOOR, TERRAFORM, APPLY):
        found = [results.get(key, size) for size in sizes]
        label = next((m.label for m in found if m), None)
        if label is None:
            continue
        rows.append([label, *(f"{m.per_alert_ms:.3f}" if m else DASH for m in found)])
    headers = ["ms per alert", *(f"N={size:,}" for size in sizes)]
    return Table(
        "Cost per alert (linear growth = a flat row)", headers, rows, "l" + "r" * len(sizes)
    )


def throttled_table(results: Results) -> Table:
    found = results.throttled
    headers = ["N", "wall s", "429s", "requests", "least s", "wall ÷ least", "exit"]
    if found is None:
        title = f"Apply under PostHog's rate limits: {results.throttled_note or 'not run'}"
        return Table(title, headers, [], "l" * 7)
    row = [
        f"{found.size:,}",
        seconds(found.run.wall_s),
        str(found.refused),
        requests_summary(found.run.requests),
        seconds(found.least_s),
        ratio(found.run.wall_s, found.least_s),
        str(found.run.exit_code),
    ]
    return Table("Apply under PostHog's rate limits", headers, [row], "lrrlrrr")


def targets_table(results: Results) -> Table:
    rows = [
        [
            v.target,
            v.ratio or DASH,
            v.limit or DASH,
            v.spread or DASH,
            v.measured or DASH,
            v.status + (f": {v.detail}" if v.detail else ""),
        ]
        for v in verdicts(results)
    ]
    headers = ["target", "figure", "held to", "spread", "measured", "verdict"]
    return Table("Targets (median of interleaved pairs)", headers, rows, "lrllll")


def tables(results: Results) -> list[Table]:
    found = [targets_table(results), startup_table(results), realistic_table(results)]
    found += [results_table(results), ratios_table(results), apply_table(results)]
    found += [per_alert_table(results), throttled_table(results)]
    return found


# -- rendering ---------------------------------------------------------------------------


def text_table(table: Table) -> str:
    cells = [list(table.headers), *(list(row) for row in table.rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]

    def line(row: list[str]) -> str:
        parts = [
            cell.rjust(width) if align == "r" else cell.ljust(width)
            for cell, width, align in zip(row, widths, table.align, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    body = [line(row) for row in cells[1:]] or ["(none)"]
    return "\n".join([table.title, "", line(cells[0]), rule, *body])


def markdown_table(table: Table) -> str:
    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"

    rule = "|" + "|".join("---:" if a == "r" else "---" for a in table.align) + "|"
    body = [line(row) for row in table.rows] or [line(["(none)", *[""] * (len(table.headers) - 1)])]
    return "\n".join([f"### {table.title}", "", line(table.headers), rule, *body])


def text_report(results: Results) -> str:
    return "\n\n".join(text_table(table) for table in tables(results)) + "\n"
