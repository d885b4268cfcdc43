"""A realistic project: the scale users have, at the latency they have.

300 alerts on 40 insights of every kind the example file shows (trends time series, world
map, bold number, SQL, funnel steps and funnel trends, metrics), cycling through the
example's 13 alerts (thresholds, relative changes, anomaly detectors, quiet hours, a
real-time alert); 8 organization members as subscribers; 60 destinations: 40 on 3 Slack
channels of one workspace (named, as a team writes them) and 20 webhooks (2 URL
variables). Ten files of 30 alerts, one per team.

The live side is made by alertsync itself: one untimed `apply` against an empty emulator,
so the project is exactly what the files describe, destinations included, and the plan
measured after it must say "No changes." (exit 0).

The critical path of that no-change plan is the least number of round trips the API
allows one after the other, times the latency, plus start-up (`critical_path`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from alertsync.emulator import default_seed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alerts.yaml"
INSIGHTS, MEMBERS, PER_FILE = 40, 8, 30
CHANNELS = ("#growth-alerts", "#eng-alerts", "#general")  # workspace "Hedgebox" of the seed
WORKSPACE = "Hedgebox"
WEBHOOKS = {
    "REALISTIC_WEBHOOK_GROWTH": "https://hooks.example.com/alertsync/growth",
    "REALISTIC_WEBHOOK_ONCALL": "https://hooks.example.com/alertsync/oncall",
}
INSIGHT_ID_BASE = 5_000
NUMERIC_INSIGHTS = {101: "Ab3dE9fG"}  # the example names one insight by its numeric id
EXTRA_MEMBERS = (
    (5, "Katherine Johnson", "katherine@example.com"),
    (6, "Barbara Liskov", "barbara@example.com"),
    (7, "Edsger Dijkstra", "edsger@example.com"),
    (8, "Frances Allen", "frances@example.com"),
)


@dataclass(frozen=True)
class Project:
    """The files (by name → document), the emulator seed and the environment they need."""

    files: dict[str, dict[str, Any]]
    seed: dict[str, Any]
    env: dict[str, str]
    alerts: int
    destinations: int
    slack_by_name: bool
    insights: int
    members: int

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, document in self.files.items():
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
            (folder / name).write_text(text, encoding="utf-8")
        return folder


def templates() -> dict[str, list[dict[str, Any]]]:
    """The example file's alerts, without destinations, by the short id of their insight."""
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    found: dict[str, list[dict[str, Any]]] = {}
    for alert in document["alerts"]:
        alert = {k: v for k, v in alert.items() if k != "destinations"}
        insight = alert["insight"]
        short_id = NUMERIC_INSIGHTS.get(insight, insight) if isinstance(insight, int) else insight
        found.setdefault(str(short_id), []).append(alert)
    return found


def _member_pairs(seed: dict[str, Any]) -> list[tuple[int, str]]:
    emails = {user["id"]: user["email"] for user in seed["users"]}
    return [(member["user"], emails[member["user"]]) for member in seed["members"]]


def _with_members(seed: dict[str, Any]) -> dict[str, Any]:
    template_user, template_member = seed["users"][0], seed["members"][0]
    for user_id, full_name, email in EXTRA_MEMBERS:
        first, last = full_name.split(" ")
        uuid = f"0188b2e1-1c3d-7000-a4b5-6c7d8e9f0b{user_id:02d}"
        seed["users"].append(
            {**template_user, "id": user_id, "uuid": uuid, "email": email,
             "first_name": first, "last_name": last, "distinct_id": f"{first.lower()}-{user_id}"}
        )  # fmt: skip
        member_uuid = f"01890f3b-0000-7000-8000-0000000001{user_id:02d}"
        seed["members"].append({**template_member, "user": user_id, "id": member_uuid})
    return seed


def _insights(seed: dict[str, Any], sources: list[str]) -> list[tuple[dict[str, Any], str]]:
    """INSIGHTS copies of the example's insights, cycling over their kinds: (insight, the
    short id of the insight it copies)."""
    by_short_id = {insight["short_id"]: insight for insight in seed["insights"]}
    made = []
    for index in range(INSIGHTS):
        source = sources[index % len(sources)]
        original = by_short_id[source]
        copy = {
            **original,
            "id": INSIGHT_ID_BASE + index,
            "short_id": f"Rl{index:06d}",
            "name": f"{original['name']} (team {index % 10})",
        }
        made.append((copy, source))
    return made


def _destination(number: int) -> dict[str, Any]:
    """Destination `number`: two in three on a Slack channel, the rest a webhook."""
    if number % 3 == 2:
        variables = sorted(WEBHOOKS)
        return {"type": "webhook", "url_env": variables[number % len(variables)]}
    return {"type": "slack", "workspace": WORKSPACE, "channel": CHANNELS[(number // 3) % 3]}


def make_project(alerts: int = 300, every: int = 5) -> Project:
    """`alerts` alerts; every `every`-th one has a destination (60 of 300)."""
    seed = _with_members(default_seed())
    by_source = templates()
    made = _insights(seed, sorted(by_source))
    seed["insights"] = [*seed["insights"], *(insight for insight, _ in made)]
    seed["alerts"] = []
    members = [email for _, email in _member_pairs(seed)][:MEMBERS]
    items, destinations = [], 0
    for index in range(alerts):
        insight, source = made[index % INSIGHTS]
        choices = by_source[source]
        alert = copy.deepcopy(choices[(index // INSIGHTS) % len(choices)])  # no YAML anchors
        alert["name"] = f"{index:03d} {alert['name']}"
        alert["insight"] = insight["short_id"]
        alert["subscribed_users"] = [members[index % MEMBERS]] + (
            [members[(index + 3) % MEMBERS]] if index % 2 else []
        )
        if index % every == 0:
            alert["destinations"] = [_destination(destinations)]
            destinations += 1
        items.append(alert)
    files = {
        f"team-{number:02d}.yaml": {"version": 1, "alerts": items[start : start + PER_FILE]}
        for number, start in enumerate(range(0, len(items), PER_FILE))
    }
    slack = any(_destination(n)["type"] == "slack" for n in range(destinations))
    used = len({a["insight"] for a in items})
    subscribers = len({u for a in items for u in a["subscribed_users"]})
    return Project(files, seed, dict(WEBHOOKS), alerts, destinations, slack, used, subscribers)


@dataclass(frozen=True)
class CriticalPath:
    round_trips: int
    why: str

    def seconds(self, latency_s: float, startup_s: float) -> float:
        return self.round_trips * latency_s + startup_s


def critical_path(project: Project) -> CriticalPath:
    """The least number of round trips a no-change plan of `project` makes one after the
    other, whatever the client, as PostHog's API stands:

    * the alerts listing: one request (its `limit` has no maximum), which also carries each
      alert's insight (with its query: the plan's checks) and subscribers (their emails),
      so no insight or member look-up is needed when nothing changed;
    * the destinations: one filtered hog-functions listing, at the same time;
    * a Slack channel the files name (`#name`) is found by a channel search inside a
      workspace, whose id comes from the integrations listing: two requests, one after
      the other, at the same time as the rest.
    """
    trips = ["alerts listing (1)"]
    if project.destinations:
        trips.append("destinations listing (1)")
    if project.slack_by_name:
        trips.append("Slack integrations, then the channels by name (2)")
        return CriticalPath(2, ", ".join(trips) + ", all at once")
    return CriticalPath(1, ", ".join(trips) + ", all at once")
