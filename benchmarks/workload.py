"""The generated workload: N alerts as YAML files, and the emulator seed holding them live.

Every alert exists twice, in the two shapes a real project has: as the YAML a team keeps in
git (insights by short id, subscribers by email, as the README recommends) and as the POST
body PostHog stored (numeric insight and user ids). The seed carries those bodies in its
``alerts`` list, which the emulator creates through its own validation at first start, so a
seeded project is exactly what N POSTs would have left behind, without N round trips.

The alerts cycle through the condition / threshold combinations PostHog accepts and spread
over ``ceil(N / alerts_per_insight)`` generated trends insights, so the number of distinct
short ids a plan resolves grows with N as it does in a real project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from alertsync.emulator import default_seed

INSIGHT_ID_BASE = 10_000
INTERVALS = ("hourly", "daily", "weekly", "monthly")
_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    # (condition type, threshold type, bound): combinations PostHog accepts
    ("absolute_value", "absolute", "lower"),
    ("relative_increase", "absolute", "upper"),
    ("relative_decrease", "percentage", "upper"),
    ("absolute_value", "absolute", "upper"),
)


@dataclass(frozen=True)
class Members:
    """The seed's organization members: (user id, email), in a fixed order."""

    pairs: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Workload:
    """N alerts: their POST bodies (live side) and YAML items (files), in the same order."""

    bodies: tuple[dict[str, Any], ...]
    items: tuple[dict[str, Any], ...]
    insights: tuple[dict[str, Any], ...]

    @property
    def size(self) -> int:
        return len(self.bodies)


def short_id(index: int) -> str:
    """A PostHog-like 8-character short id, unique per generated insight."""
    return f"Bm{index:06d}"


def make_insight(index: int) -> dict[str, Any]:
    """A two-series daily trends insight, so series_index 0 and 1 are both valid."""
    series = [
        {"kind": "EventsNode", "event": f"event_{index}_{n}", "name": f"event {n}", "math": "total"}
        for n in range(2)
    ]
    source = {
        "kind": "TrendsQuery",
        "series": series,
        "interval": "day",
        "trendsFilter": {"display": "ActionsLineGraph"},
    }
    return {
        "id": INSIGHT_ID_BASE + index,
        "short_id": short_id(index),
        "name": f"Benchmark insight {index}",
        "query": {"kind": "InsightVizNode", "source": source},
        "created_by": 1,
    }


def members_of(seed: dict[str, Any]) -> Members:
    emails = {user["id"]: user["email"] for user in seed["users"]}
    return Members(tuple((m["user"], emails[m["user"]]) for m in seed["members"]))


def alert_pair(
    index: int, insight: int, members: Members, shift: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(POST body, YAML item) of alert ``index``; ``shift`` moves its bound (a change)."""
    condition, kind, side = _TEMPLATES[index % len(_TEMPLATES)]
    bound: float = 100 + index + shift if kind == "absolute" else 0.25 + shift / 100
    threshold: dict[str, Any] = {"configuration": {"type": kind, "bounds": {side: bound}}}
    if index % 3 == 0:
        threshold["name"] = f"Threshold {index}"
    subscribers = [members.pairs[(index + k) % len(members.pairs)] for k in range(1 + index % 2)]
    common: dict[str, Any] = {
        "name": f"Benchmark alert {index:05d}",
        "threshold": threshold,
        "condition": {"type": condition},
        "config": {"type": "TrendsAlertConfig", "series_index": index % 2},
        "calculation_interval": INTERVALS[index % len(INTERVALS)],
        "enabled": index % 10 != 0,
        "skip_weekend": index % 7 == 0,
    }
    body = {**common, "insight": INSIGHT_ID_BASE + insight, "subscribed_users": []}
    body["subscribed_users"] = [user_id for user_id, _ in subscribers]
    item = {**common, "insight": short_id(insight)}
    item["subscribed_users"] = [email for _, email in subscribers]
    return body, item


def make_workload(size: int, alerts_per_insight: int, shift: float = 0.0) -> Workload:
    """``size`` alerts over ``ceil(size / alerts_per_insight)`` insights."""
    insight_count = max(1, math.ceil(size / max(1, alerts_per_insight)))
    members = members_of(default_seed())
    pairs = [alert_pair(i, i % insight_count, members, shift) for i in range(size)]
    return Workload(
        bodies=tuple(body for body, _ in pairs),
        items=tuple(item for _, item in pairs),
        insights=tuple(make_insight(i) for i in range(insight_count)),
    )


def seed_for(workload: Workload, live: bool) -> dict[str, Any]:
    """The built-in seed plus the workload's insights; its alerts live when ``live``."""
    seed = default_seed()
    seed["insights"] = [*seed["insights"], *workload.insights]
    seed["alerts"] = list(workload.bodies) if live else []
    return seed


def write_yaml_files(items: tuple[dict[str, Any], ...], folder: Path, per_file: int) -> Path:
    """The items as ``alerts-NNNN.yaml`` files of ``per_file`` alerts each; returns folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, start in enumerate(range(0, len(items), per_file)):
        chunk = list(items[start : start + per_file])
        text = yaml.safe_dump({"version": 1, "alerts": chunk}, sort_keys=False)
        (folder / f"alerts-{number:04d}.yaml").write_text(text, encoding="utf-8")
    return folder
