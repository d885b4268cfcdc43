"""The emulator's fixed world: project, organization, users, insights, API keys and plan.

A seed is a mapping (or a JSON / YAML file holding one, read by
:func:`~alertsync.emulator.seed_loader.load_seed`); the built-in default is
:func:`alertsync.emulator.default_seed`. Unknown keys are refused at every level, so that a
typo in a seed file fails loudly. The structure, with the defaults of optional keys::

    project_id: 1                      # int, required; ``@current`` in URLs resolves to it
    timezone: UTC                      # the project's IANA timezone: quiet hours and the
                                       # next_check_at anchors (1am daily, ...) are local to it
    organization:
      id: 01890f3a-6c2e-7b4d-9e21-5a7c3f8d1b42   # uuid, accepted in /api/organizations/{id}/
      name: Hedgebox Inc.
      feature_flags: []                # flags evaluated for the organization; ``metrics``
                                       # makes MetricsQuery insights alertable (contract §2.5)
    users:                             # required: every user the server knows (UserBasic)
      - id: 1                          # int pk: what ``subscribed_users`` takes
        email: ada@example.com         # required
        first_name: Ada                # optional below: last_name (""), uuid, distinct_id
        last_name: Lovelace            #   (derived from id), is_email_verified (true),
        role_at_organization: engineering  # hedgehog_config (null), role (null)
    members:                           # organization memberships; users without one are
      - user: 1                        # outside the organization
        level: 15                      # 1 member (default), 8 admin, 15 owner
        # optional: id (membership uuid), joined_at, updated_at, is_2fa_enabled,
        # has_social_auth, last_login
    insights:
      - id: 101                        # int, required
        short_id: Ab3dE9fG             # required
        name: Daily signups            # "" (then derived_name, then "Untitled insight")
        query: {kind: InsightVizNode, source: {kind: TrendsQuery, series: [...],
                interval: day, trendsFilter: {display: ActionsLineGraph}}}
        # The query is what every alert rule reads (contract §2.5): its kind after one
        # wrapper node (TrendsQuery, HogQLQuery, FunnelsQuery, MetricsQuery alertable; any
        # other kind is not), a trend's series / trendsFilter.formulaNodes / display /
        # interval, a funnel's series (its steps) / funnelsFilter.funnelVizType / interval.
        # null = a legacy insight without a query ("Insight has no valid query.").
        columns:                       # SQL insights: the result columns, in order; used by
          - {name: day, numeric: false}    # /alerts/simulate/ to pick the evaluated column
          - {name: signups}                # (numeric defaults to true)
        viewers: [1, 2]                # users allowed to view the insight; absent = every
                                       # member. Others cannot alert on it, and alerts on it
                                       # are hidden from them (contract §3.1 access)
        deleted: false                 # a soft-deleted insight: invisible, not alertable
        tags: [growth]                 # insight tags, as stored (PostHog stores them
                                       # lower-case); ``?insight_tag=`` filters on them
        # optional InsightBasic fields, returned verbatim: created_by (user id or null),
        # created_at, updated_at, last_modified_at, derived_name, filters, dashboards,
        # dashboard_tiles, description, last_refresh, refreshing, saved, favorited,
        # user_access_level, last_viewed_at
    api_keys:                          # required, at least one; scopes [] = legacy key,
      - {label: full, key: phx_..., scopes: ["*"], user: 1}   # allowed everything
      # scope ``metrics:read`` / ``metrics:write`` (or ``*``) is needed to see alerts on
      # MetricsQuery insights and to write them
    alert_limit: null                  # null = unlimited; n = paid plan limit of n alerts
    entitlements:
      alerts: true                     # false = free tier, limited to 5 alerts
      every_15_minutes: true           # false = the 15-minute interval is refused
      real_time: true                  # false = the real_time interval is refused
      real_time_limit: null            # n = at most n enabled real-time alerts
    alerts: []                         # alerts created at first start (no state file yet)
    integrations: []                   # Slack workspaces and their channels, and
    features: {}                       # server features: see ``destination_seed``

Each ``alerts`` entry is a POST body (validated like one) plus optional keys that set the
state the evaluator would have left (see :meth:`~alertsync.emulator.Emulator.record_check`)::

      - insight: 101
        ...                            # the POST body
        created_by: 2                  # the creating user (default: the full-access key's)
        checks:                        # check rows, oldest first: record_check's arguments
          - {state: Firing, calculated_value: 512, at: "2025-06-02T01:00:00Z",
             triggered_points: [29]}
          - {state: Errored, error: "Query timed out", at: "2025-06-03T01:00:00Z"}
        snooze: 1d                     # a PATCH snoozed_until after creation
        last_checked_at: "2025-06-03T01:00:00Z"   # set last (null allowed)
        next_check_at: "2025-06-04T01:00:00Z"

A check entry takes ``state`` (required: ``Firing``, ``Not firing``, ``Errored``, ``Snoozed``)
and optionally ``calculated_value``, ``error`` (a message, or an object such as ``{code:
email_unavailable, message: ...}``), ``at`` (ISO, default now), ``triggered_points`` (a check
with points shows in list items), ``triggered_dates``, ``anomaly_scores``, ``interval``,
``targets_notified`` (``{users: [emails], destinations: [{target, target_id, template,
status, at}]}``), ``investigation_status``, ``investigation_verdict``,
``investigation_summary``: the arguments of :class:`~alertsync.emulator.evaluator.CheckSpec`.
Each check sets the alert's state, ``last_checked_at`` and ``next_check_at`` as the evaluator
would; ``last_value`` is the newest check's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alertsync.emulator.destination_seed import Features, IntegrationSeed

FREE_TIER_ALERT_LIMIT = 5
METRICS_FLAG = "metrics"


class SeedError(ValueError):
    """The seed is malformed; the message names the offending entry."""


@dataclass(frozen=True)
class User:
    id: int
    uuid: str
    distinct_id: str
    first_name: str
    last_name: str
    email: str
    is_email_verified: bool
    hedgehog_config: Any
    role_at_organization: str | None


@dataclass(frozen=True)
class Member:
    id: str
    user_id: int
    level: int
    joined_at: str
    updated_at: str
    is_2fa_enabled: bool
    has_social_auth: bool
    last_login: str | None


@dataclass(frozen=True)
class Column:
    """One result column of a SQL insight."""

    name: str
    numeric: bool = True


@dataclass(frozen=True)
class Insight:
    id: int
    short_id: str
    name: str
    query: Any
    deleted: bool
    created_by: int | None
    attributes: Mapping[str, Any]  # the remaining InsightBasic fields, verbatim
    columns: tuple[Column, ...] = ()
    viewers: frozenset[int] | None = None  # None: every member may view it

    @property
    def display_name(self) -> str:
        """``insight_display_name``: the name, else the derived name, else a placeholder."""
        return self.name or self.attributes.get("derived_name") or "Untitled insight"

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self.attributes.get("tags")
        return tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()


@dataclass(frozen=True)
class ApiKey:
    label: str
    key: str
    scopes: tuple[str, ...]
    user_id: int


@dataclass(frozen=True)
class Entitlements:
    """The organization's available product features that alerts read (contract §2.1, §5)."""

    alerts: bool = True
    every_15_minutes: bool = True
    real_time: bool = True
    real_time_limit: int | None = None


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    feature_flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Seed:
    project_id: int
    organization: Organization
    users: Mapping[int, User]
    members: tuple[Member, ...]
    insights: Mapping[int, Insight]
    api_keys: tuple[ApiKey, ...]
    alert_limit: int | None
    entitlements: Entitlements
    alerts: tuple[Mapping[str, Any], ...] = field(default=())
    timezone: str = "UTC"
    integrations: tuple[IntegrationSeed, ...] = field(default=())
    features: Features = field(default=Features())

    def is_member(self, user_id: int) -> bool:
        return any(member.user_id == user_id for member in self.members)

    def key_for(self, token: str) -> ApiKey | None:
        return next((key for key in self.api_keys if key.key == token), None)

    def live_insight(self, insight_id: int) -> Insight | None:
        insight = self.insights.get(insight_id)
        return None if insight is None or insight.deleted else insight

    def flag_enabled(self, flag: str) -> bool:
        return flag in self.organization.feature_flags

    @staticmethod
    def can_view(user_id: int | None, insight: Insight) -> bool:
        """Viewer access; ``None`` is the emulator itself (seed bootstrap), allowed all."""
        return user_id is None or insight.viewers is None or user_id in insight.viewers

    @property
    def full_access_key(self) -> ApiKey:
        """The first key allowed everything: scope ``*`` or legacy empty scopes."""
        allowed = (key for key in self.api_keys if "*" in key.scopes or not key.scopes)
        return next(allowed, self.api_keys[0])
