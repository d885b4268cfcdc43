"""Shared test helpers: alert files and alerts in every shape, the CLI runner, emulator
clients, fake time. Tests import these from here, never from one another."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml
from click.testing import CliRunner

from alertsync.cli import cli
from alertsync.core import canonical
from alertsync.core.desired import DesiredSet, desired_set
from alertsync.core.live import live_alert
from alertsync.emulator import Emulator, default_seed
from alertsync.model import Document, Labels

# -- files and the CLI ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "alerts.yaml"
# The URL variables examples/alerts.yaml names, as the README's quickstart sets them.
EXAMPLE_URLS = {
    "GROWTH_ALERTS_WEBHOOK": "https://hooks.example.com/alertsync-demo/growth",
    "DISCORD_ALERTS_WEBHOOK": "https://discord.com/api/webhooks/1/alertsync-demo",
    "TEAMS_ALERTS_WEBHOOK": "https://example.webhook.office.com/webhookb2/alertsync-demo",
}
# Six trends alerts: the fixed world the CLI tests count on (the example has every kind).
TRENDS = ROOT / "tests" / "cases" / "valid" / "trends-only.yaml"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Runner:
    """Runs `alertsync ...` in-process against the emulator, as a user's shell would."""

    def __init__(self, emu: Emulator, key: str | None = None) -> None:
        self.emu = emu
        self.env = {
            "POSTHOG_HOST": emu.base_url,
            "POSTHOG_PROJECT_ID": str(emu.project_id),
            "POSTHOG_PERSONAL_API_KEY": key or emu.api_key,
            "NO_COLOR": "1",
            **EXAMPLE_URLS,
        }

    def __call__(self, *args: str, stdin: str | None = None, **env: str) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(cli, list(args), input=stdin, env={**self.env, **env})
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    def methods(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.emu.requests]

    def writes(self) -> list[tuple[str, str, Any]]:
        return [
            (r.method, r.path, r.body) for r in self.emu.requests if r.method not in ("GET", "HEAD")
        ]


# -- alerts as files, as the API reads them, as the core sees them -------------------------


def without_real_time() -> dict[str, Any]:
    """The built-in seed on a plan without real-time alerts: PostHog refuses them only at
    apply (no plan can know a project's entitlements), the way to exercise an API refusal."""
    from alertsync.emulator import default_seed

    seed = default_seed()
    seed.setdefault("entitlements", {})["real_time"] = False
    return seed


REAL_TIME_REFUSED = "Real-time alert intervals require a Scale or Enterprise plan."


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def alert(name: str, **over: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": name,
        "insight": "Ab3dE9fG",
        "subscribed_users": ["ada@example.com"],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 10}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
    }
    raw.update(over)
    return raw


def ids_by_name(emu: Emulator) -> dict[str, str]:
    return {a["name"]: a["id"] for a in emu.alerts()}


def post_alert(emu: Emulator, body: dict[str, Any]) -> None:
    """What a person does in the PostHog UI, through the API."""
    httpx.post(
        f"{emu.base_url}/api/projects/{emu.project_id}/alerts/",
        json=body,
        headers={"Authorization": f"Bearer {emu.api_key}"},
    ).raise_for_status()


# -- time ------------------------------------------------------------------------------------


def spec(name: str = "Signups", **over: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": name,
        "insight": 101,
        "subscribed_users": [2, 1],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 50}}},
        "condition": {"type": "absolute_value"},
        "config": {"series_index": 0},
    }
    raw.update(over)
    return canonical.alert(raw)


# -- runs against a faulty emulator ------------------------------------------------------


def read_shape(alert_id: str, name: str = "Signups", **over: Any) -> dict[str, Any]:
    """An alert as PostHog's API returns it (read shape, server-owned fields included)."""
    raw: dict[str, Any] = {
        "id": alert_id,
        "created_by": {"id": 1, "email": "ada@example.com"},
        "created_at": "2025-06-02T10:15:30.123456Z",
        "insight": {"id": 101, "short_id": "Ab3dE9fG", "name": "Daily signups"},
        "name": name,
        "subscribed_users": [
            {"id": 1, "email": "ada@example.com"},
            {"id": 2, "email": "grace@example.com"},
        ],
        "threshold": {
            "id": "t1",
            "created_at": "2025-06-02T10:15:30Z",
            "name": "",
            "configuration": {"type": "absolute", "bounds": {"lower": 50.0, "upper": None}},
        },
        "condition": {"type": "absolute_value"},
        "state": "Firing",
        "enabled": True,
        "last_notified_at": None,
        "last_checked_at": "2025-06-03T01:00:04Z",
        "next_check_at": None,
        "checks": [],
        "config": {"type": "TrendsAlertConfig", "series_index": 0, "check_ongoing_interval": None},
        "detector_config": None,
        "calculation_interval": "daily",
        "snoozed_until": "2025-07-01T00:00:00Z",
        "skip_weekend": None,
        "schedule_restriction": None,
        "last_value": 132.0,
        "a_field_posthog_adds_later": {"x": 1},
    }
    raw.update(over)
    return raw


def live(*raws: dict[str, Any]) -> list[Any]:
    labels = Labels()
    return [live_alert(r, labels) for r in raws]


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


FAST = {"ALERTSYNC_RETRY_BASE_DELAY": "0.001", "ALERTSYNC_MAX_RETRY_TIME": "10"}


def runner(emu: Emulator) -> Runner:
    run = Runner(emu)
    run.env.update(FAST)
    return run


def live_names(emu: Emulator) -> list[str]:
    return sorted(a["name"] for a in emu.alerts())


def posts(emu: Emulator) -> int:
    """Alert creates sent (POSTs to the alerts listing; not destinations, not tests)."""
    return sum(1 for r in emu.requests if r.method == "POST" and r.path.endswith("/alerts/"))


# -- the emulator over HTTP ----------------------------------------------------------------

ALERTS = "/api/projects/1/alerts/"
_TLS = ssl.create_default_context()  # built once: clients only speak plain HTTP to loopback


def valid_body(**overrides: Any) -> dict[str, Any]:
    """A POST body that the contract accepts; keyword arguments replace its keys."""
    body: dict[str, Any] = {
        "insight": 101,
        "name": "Signups dropped",
        "subscribed_users": [1],
        "threshold": {"configuration": {"type": "absolute", "bounds": {"lower": 50}}},
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
        "calculation_interval": "daily",
    }
    body.update(overrides)
    return body


def error(
    code: str, detail: str, attr: str | None = None, kind: str = "validation_error"
) -> dict[str, Any]:
    """PostHog's error envelope."""
    return {"type": kind, "code": code, "detail": detail, "attr": attr}


def client_for(emu: Emulator, key: str | None = None) -> httpx.Client:
    """A client for ``emu`` authenticated with ``key`` (default: the full-access key)."""
    headers = {"Authorization": f"Bearer {key or emu.api_key}"}
    return httpx.Client(base_url=emu.base_url, headers=headers, timeout=10, verify=_TLS)


# -- listeners that record what reaches them --------------------------------------------------


class RawListener:
    """A TCP listener on loopback that records every byte sent to it and answers nothing
    (it closes each connection after a moment): where a request must never arrive (a proxy,
    a host named by a tampered plan), the test asserts that `received` stays empty."""

    def __init__(self, answer: bytes = b"") -> None:
        import socket
        import threading

        self.answer = answer
        self.received: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._done.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                data = b""
                try:
                    while chunk := conn.recv(65536):
                        data += chunk
                        if b"\r\n\r\n" in data:
                            break
                except OSError:
                    pass
                self.received.append(data)
                if self.answer:
                    conn.sendall(self.answer)


SIMULATE = f"{ALERTS}simulate/"
# Insights of the default seed by what they are (see alertsync/emulator/default_seed.py).
TRENDS_DAILY, TRENDS_TWO_SERIES, TRENDS_HOURLY = 101, 102, 103
WORLD_MAP, BOLD_NUMBER, DONUT = 104, 105, 114
FUNNEL_STEPS, RETENTION, DELETED = 106, 107, 108
SQL_SIGNUPS, SQL_ERRORS = 109, 110
FUNNEL_TRENDS, FUNNEL_TIME_TO_CONVERT, METRICS = 111, 112, 113
CONFIGS: dict[str, dict[str, Any]] = {
    "trends": {"type": "TrendsAlertConfig", "series_index": 0},
    "sql": {"type": "HogQLAlertConfig", "evaluation": "last_row"},
    "funnel": {"type": "FunnelsAlertConfig", "metric": "conversion_from_start"},
    "metrics": {"type": "MetricsAlertConfig"},
}


def threshold(lower: float | None = None, upper: float | None = None, kind: str = "absolute"):
    """A ``threshold`` body with only the bounds given."""
    bounds = {
        name: value for name, value in (("lower", lower), ("upper", upper)) if value is not None
    }
    return {"configuration": {"type": kind, "bounds": bounds}}


def kind_body(insight: int, config: str, **overrides: Any) -> dict[str, Any]:
    """A valid POST body for an insight of another kind, with that kind's config."""
    return valid_body(insight=insight, config=dict(CONFIGS[config]), **overrides)


def seed_with(**changes: Any) -> dict[str, Any]:
    """The default seed with top-level keys replaced; ``entitlements`` and ``organization``
    are merged into the default ones."""
    seed = default_seed()
    for key in ("entitlements", "organization"):
        if key in changes:
            seed[key] = {**seed[key], **changes.pop(key)}
    seed.update(changes)
    return seed


def add_key(seed: dict[str, Any], scopes: list[str], user: int = 1) -> str:
    """Add a personal API key with ``scopes`` to ``seed``; returns the key."""
    key = f"phx_test_{len(seed['api_keys'])}_{'_'.join(scopes) or 'legacy'}".replace(":", "_")
    seed["api_keys"].append({"label": key, "key": key, "scopes": scopes, "user": user})
    return key


# -- PostHog's own API tests, ported (tests/emulator/test_posthog_parity*.py) ---------------

PH_BOLD, PH_PIE, PH_LINE, PH_SQL, PH_FUNNEL = 401, 402, 403, 404, 405
_PH_EVENTS = [{"kind": "EventsNode", "event": "$pageview"}]


def _ph_trend(display: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "TrendsQuery",
        "series": _PH_EVENTS,
        "trendsFilter": {"display": display},
        **extra,
    }


def parity_seed(**changes: Any) -> dict[str, Any]:
    """The default seed plus the insights PostHog's alert tests create as fixtures."""
    seed = seed_with(**changes)
    hogql = {"kind": "HogQLQuery", "query": "select count() from events"}
    funnel = [*_PH_EVENTS, {"kind": "EventsNode", "event": "$autocapture"}]
    queries = {
        PH_BOLD: ("PhBold01", _ph_trend("BoldNumber")),
        PH_PIE: ("PhPie001", _ph_trend("ActionsPie")),
        PH_LINE: ("PhLine01", _ph_trend("ActionsLineGraph", interval="day")),
        PH_SQL: ("PhSql001", {"kind": "DataVisualizationNode", "source": hogql}),
        PH_FUNNEL: ("PhFunnel", {"kind": "FunnelsQuery", "series": funnel}),
    }
    seed["insights"] += [
        {"id": pk, "short_id": short_id, "query": query}
        for pk, (short_id, query) in queries.items()
    ]
    return seed


def parity_request(**overrides: Any) -> dict[str, Any]:
    """PostHog's ``creation_request`` (T-new uses an upper bound of 100)."""
    body = {
        "insight": PH_BOLD,
        "subscribed_users": [1],
        "condition": {"type": "absolute_value"},
        "config": {"type": "TrendsAlertConfig", "series_index": 0},
        "name": "alert name",
        "threshold": {"configuration": {"type": "absolute", "bounds": {"upper": 100}}},
    }
    return {**body, **overrides}


# -- alert destinations (hog functions) on the emulator -------------------------------------

HOG_FUNCTIONS = "/api/projects/1/hog_functions/"
INTEGRATIONS = "/api/environments/1/integrations/"
SLACK_WORKSPACE = 42  # the default seed's Slack integration
GROWTH_ALERTS = "C0123456789"  # its #growth-alerts channel


def alert_filters(alert_id: str) -> dict[str, Any]:
    """The filters that tie a destination to one insight alert (destinations §1)."""
    return {
        "events": [{"id": "$insight_alert_firing", "type": "events"}],
        "properties": [
            {"key": "alert_id", "value": alert_id, "operator": "exact", "type": "event"}
        ],
    }


def destination_body(alert_id: str, kind: str = "slack", **overrides: Any) -> dict[str, Any]:
    """A path-A create body for one of the four destination kinds (destinations §3.2)."""
    by_kind: dict[str, dict[str, Any]] = {
        "slack": {
            "slack_workspace": {"value": SLACK_WORKSPACE},
            "channel": {"value": GROWTH_ALERTS},
            "text": {"value": "Alert triggered: {event.properties.insight_name}"},
            "blocks": {
                "value": [
                    {
                        "type": "section",
                        "text": {"type": "plain_text", "text": "{event.properties.breaches}"},
                    }
                ]
            },
        },
        "webhook": {
            "url": {"value": "https://hooks.example.com/posthog/abc123"},
            "method": {"value": "POST"},
            "body": {"value": {"alert_name": "{event.properties.alert_name}"}},
        },
        "discord": {
            "webhookUrl": {"value": "https://discord.com/api/webhooks/123/abc"},
            "allowedMentions": {"value": "none"},
            "content": {"value": "**Alert '{event.properties.alert_name}' firing**"},
        },
        "teams": {
            "webhookUrl": {
                "value": "https://contoso.webhook.office.com/webhookb2/aaa/IncomingWebhook/bbb/ccc"
            },
            "text": {"value": "**Alert '{event.properties.alert_name}' firing**"},
        },
    }
    inputs = by_kind[kind]
    template = "microsoft-teams" if kind == "teams" else kind
    body: dict[str, Any] = {
        "type": "internal_destination",
        "enabled": True,
        "masking": None,
        "template_id": f"template-{template}",
        "name": f"Signups dropped: {kind}",
        "filters": alert_filters(alert_id),
        "inputs": inputs,
    }
    body.update(overrides)
    return body


def create_destination(
    http: httpx.Client, alert_id: str, kind: str = "slack", **overrides: Any
) -> dict[str, Any]:
    """POST a destination for ``alert_id``; returns the 201 body."""
    response = http.post(HOG_FUNCTIONS, json=destination_body(alert_id, kind, **overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


# -- alert status: checks, destinations and desired sets as the core sees them ---------------


def check_row(
    state: str, at: str, *, error: dict[str, Any] | None = None, **over: Any
) -> dict[str, Any]:
    """One AlertCheck as a retrieve returns it (alerts contract §2.8)."""
    row: dict[str, Any] = {
        "id": f"check-{at}",
        "created_at": at,
        "calculated_value": 42.0,
        "state": state,
        "error": error,
        "targets_notified": False,
        "deliveries": None,
    }
    row.update(over)
    return row


def hog_function(
    function_id: str, alert_id: str, name: str = "Signups: Slack #growth", **over: Any
) -> dict[str, Any]:
    """An alert destination as the hog-functions listing returns it (full shape, trimmed)."""
    raw: dict[str, Any] = {
        "id": function_id,
        "type": "internal_destination",
        "name": name,
        "enabled": True,
        "filters": alert_filters(alert_id),
        "template": {"id": "template-slack", "name": "Slack"},
        "status": {"state": 1, "tokens": 10000},
    }
    raw.update(over)
    return raw


def desired_of(
    *alerts: dict[str, Any], prefix: str | None = None, file: str = "alerts.yaml"
) -> DesiredSet:
    """The desired set of one file declaring `alerts` (file shape, see `alert`)."""
    data: dict[str, Any] = {"alerts": list(alerts)}
    if prefix is not None:
        data["scope"] = {"name_prefix": prefix}
    return desired_set([Document(file, data)])


# -- markdown as GitHub renders it ------------------------------------------------------------


# Names written to break a pull-request comment: HTML, headings, images, links, mentions,
# code spans, table pipes, a closed <details>, autolinks, line breaks, entities, comments.
HOSTILE_NAMES = [
    "aa\n<!--",
    "# A heading",
    "<img src=x onerror=alert(1)>",
    "@octocat please merge",
    "![pixel](https://evil.example/p.png)",
    "[click](javascript:alert(1))",
    "`code` | pipe | ``",
    "</details><details open><summary>x",
    "***loud*** ~~gone~~ <b>bold</b>",
    "see https://evil.example and www.evil.example #12",
    "line one\r\nline two\u2028three",
    "back\\slash & &amp; &lt; <!-- hidden",
]


class MarkdownPage:
    """What GitHub's renderer (cmark-gfm) makes of a markdown text: its tags, links,
    comments, and text inside and outside code spans."""

    def __init__(self, markdown: str) -> None:
        from html.parser import HTMLParser

        import cmarkgfm
        from cmarkgfm.cmark import Options

        page = self
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.comments: list[str] = []
        self.loose: list[str] = []  # text outside code spans
        self.text: list[str] = []
        self._code = 0

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                page.tags.add(tag)
                page.links += [dict(attrs).get("href") or ""] if tag == "a" else []
                page._code += tag == "code"

            def handle_endtag(self, tag: str) -> None:
                page._code -= tag == "code"

            def handle_comment(self, data: str) -> None:
                page.comments.append(data)

            def handle_data(self, data: str) -> None:
                page.text.append(data)
                if not page._code:
                    page.loose.append(data)

        html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
        Parser(convert_charrefs=True).feed(html)

    def mentions_escaped(self) -> bool:
        """Every `@` and `#` outside code is followed by a zero-width space."""
        loose = "".join(self.loose)
        return all(loose[i + 1 : i + 2] == "\u200b" for i, c in enumerate(loose) if c in "@#")


# -- two PostHog projects: the environments of alertsync.toml ------------------------------

STAGING_KEY = "phx_staging_emulator_key_do_not_use"
STAGING_PROJECT = 2
# The staging project has some of production's insights, under other ids, and two of its
# members, under other user ids: short ids and emails resolve per project.
STAGING_INSIGHTS = {"Ab3dE9fG": 201, "Pq9rS4tU": 203, "Sq1LrT7w": 209}
STAGING_USERS = {1: 11, 2: 12}  # ada@ and grace@; alan@ and margaret@ are not members


def staging_seed() -> dict[str, Any]:
    """Another project than the default seed's (project 2): fewer insights and members,
    other ids, its own key."""
    seed = default_seed()
    users = STAGING_USERS
    seed["project_id"] = STAGING_PROJECT
    seed["insights"] = [
        {**i, "id": STAGING_INSIGHTS[i["short_id"]], "created_by": users[1]}
        for i in seed["insights"]
        if i["short_id"] in STAGING_INSIGHTS
    ]
    seed["users"] = [{**u, "id": users[u["id"]]} for u in seed["users"] if u["id"] in users]
    seed["members"] = [
        {**m, "user": users[m["user"]]} for m in seed["members"] if m["user"] in users
    ]
    seed["api_keys"] = [{"label": "full", "key": STAGING_KEY, "scopes": ["*"], "user": users[1]}]
    seed["integrations"] = [
        {**i, "created_by": users[i["created_by"]]}
        for i in seed["integrations"]
        if i["created_by"] in users
    ]
    return seed


# Alerts for two environments (tests/cli/test_environments.py points at their lines).
ENVIRONMENT_ALERTS = """\
alerts:
  - name: Signups dropped
    insight: Ab3dE9fG
    subscribed_users: [ada@example.com]
    threshold: {configuration: {type: absolute, bounds: {lower: 50}}}
    condition: {type: absolute_value}
    config: {series_index: 0}
    overrides:
      staging:
        threshold: {configuration: {bounds: {lower: 5}}}
        subscribed_users: [grace@example.com]
  - name: Checkout errors spiking
    insight: Pq9rS4tU
    threshold: {configuration: {type: absolute, bounds: {upper: 100}}}
    condition: {type: absolute_value}
    config: {series_index: 0}
    calculation_interval: hourly
    overrides:
      staging: {enabled: false}
  - name: Revenue below plan
    insight: Kx7pQ2mN
    environments: [production]
    threshold: {configuration: {type: absolute, bounds: {lower: 1000}}}
    condition: {type: absolute_value}
    config: {series_index: 0}
"""


def project_file(
    folder: Path, environments: dict[str, Emulator], paths: list[str] | None = None
) -> Path:
    """An alertsync.toml in `folder` naming each emulator as an environment, its key read
    from POSTHOG_KEY_<NAME>."""
    lines = [f"paths = {paths or ['alerts/']!r}".replace("'", '"'), ""]
    for name, emu in environments.items():
        lines += [
            f"[environments.{name}]",
            f'host = "{emu.base_url}"',
            f"project = {emu.project_id}",
            f'key_env = "POSTHOG_KEY_{name.upper()}"',
            "",
        ]
    path = folder / "alertsync.toml"
    path.write_text("\n".join(lines))
    return path


class EnvRunner(Runner):
    """Runs `alertsync ...` with a project file of several emulators: each environment's
    key in its own variable, and no POSTHOG_* target (the project file names them)."""

    def __init__(self, environments: dict[str, Emulator], config: Path) -> None:
        first = next(iter(environments.values()))
        super().__init__(first)
        self.environments = environments
        self.config = config
        self.env = {
            "NO_COLOR": "1",
            "ALERTSYNC_CONFIG": str(config),
            **FAST,
            **{f"POSTHOG_KEY_{n.upper()}": e.api_key for n, e in environments.items()},
        }

    def writes_anywhere(self) -> list[tuple[str, str, str]]:
        return [
            (name, r.method, r.path)
            for name, emu in self.environments.items()
            for r in emu.requests
            if r.method not in ("GET", "HEAD")
        ]

    def requests_anywhere(self) -> int:
        return sum(len(emu.requests) for emu in self.environments.values())


# A GitHub Actions run on a pull request, as its environment says where a plan was made.
GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
    "GITHUB_REF": "refs/pull/7/merge",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/alerts",
    "GITHUB_RUN_ID": "4242",
}
