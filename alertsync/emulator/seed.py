"""The emulator's fixed world: project, organization, users, insights, API keys and plan.

A seed is a mapping (or a JSON / YAML file holding one) with this structure; the built-in
default is :func:`alertsync.emulator.default_seed`::

    project_id: 1                      # int; ``@current`` in URLs resolves to it
    organization:
      id: 01890f3a-6c2e-7b4d-9e21-5a7c3f8d1b42   # uuid, accepted in /api/organizations/{id}/
      name: Hedgebox Inc.
    users:                             # every user the server knows (UserBasic fields)
      - id: 1                          # int pk: what ``subscribed_users`` takes
        email: ada@example.com
        first_name: Ada                # optional below: last_name (""), uuid, distinct_id
        last_name: Lovelace            #   (derived from id), is_email_verified (true),
        role_at_organization: engineering  # hedgehog_config (null), role (null)
    members:                           # organization memberships; users without one are
      - user: 1                        # outside the organization
        level: 15                      # 1 member, 8 admin, 15 owner
        # optional: id (membership uuid), joined_at, updated_at, is_2fa_enabled,
        # has_social_auth, last_login
    insights:
      - id: 101
        short_id: Ab3dE9fG
        name: Daily signups
        query: {kind: InsightVizNode, source: {kind: TrendsQuery, series: [...],
                trendsFilter: {display: ActionsLineGraph}}}   # null = insight without query
        # optional: deleted (false), created_by (user id or null), created_at, updated_at,
        # last_modified_at, derived_name, filters, dashboards, dashboard_tiles, description,
        # last_refresh, refreshing, saved, tags, favorited, user_access_level, last_viewed_at
    api_keys:                          # personal API keys; scopes [] = legacy, allowed all
      - {label: full, key: phx_..., scopes: ["*"], user: 1}
    alert_limit: null                  # null = unlimited; n = paid plan limit of n alerts
    entitlements:
      alerts: true                     # false = free tier, limited to 5 alerts
      every_15_minutes: true           # false = the 15-minute interval is refused
    alerts: []                         # optional: alert POST bodies created at first start
                                       # (no state file yet); ``created_by`` picks the user
    integrations: []                   # optional: Slack workspaces and their channels, and
    features: {}                       # server features; see ``destination_seed``

Unknown keys are refused so that typos in a seed file fail loudly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from alertsync.emulator.datafile import read_data_file
from alertsync.emulator.default_seed import DEFAULT_ORGANIZATION, default_seed
from alertsync.emulator.destination_seed import Features, IntegrationSeed, parse_destination_world

_T = TypeVar("_T")

FREE_TIER_ALERT_LIMIT = 5
_DEFAULT_TIME = "2025-01-01T00:00:00Z"
_INSIGHT_DEFAULTS: dict[str, Any] = {
    "derived_name": None,
    "filters": {},
    "dashboards": [],
    "dashboard_tiles": [],
    "description": None,
    "last_refresh": None,
    "refreshing": False,
    "saved": True,
    "tags": [],
    "updated_at": _DEFAULT_TIME,
    "created_at": _DEFAULT_TIME,
    "last_modified_at": _DEFAULT_TIME,
    "favorited": False,
    "user_access_level": None,
    "last_viewed_at": None,
}
_TOP_LEVEL = {
    "project_id",
    "organization",
    "users",
    "members",
    "insights",
    "api_keys",
    "alert_limit",
    "entitlements",
    "alerts",
    "integrations",
    "features",
}


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
class Insight:
    id: int
    short_id: str
    name: str
    query: Any
    deleted: bool
    created_by: int | None
    attributes: Mapping[str, Any]  # the remaining InsightBasic fields, verbatim


@dataclass(frozen=True)
class ApiKey:
    label: str
    key: str
    scopes: tuple[str, ...]
    user_id: int


@dataclass(frozen=True)
class Entitlements:
    alerts: bool = True
    every_15_minutes: bool = True


@dataclass(frozen=True)
class Organization:
    id: str
    name: str


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
    integrations: tuple[IntegrationSeed, ...] = field(default=())
    features: Features = field(default=Features())

    def is_member(self, user_id: int) -> bool:
        return any(member.user_id == user_id for member in self.members)

    def key_for(self, token: str) -> ApiKey | None:
        return next((key for key in self.api_keys if key.key == token), None)

    def live_insight(self, insight_id: int) -> Insight | None:
        insight = self.insights.get(insight_id)
        return None if insight is None or insight.deleted else insight

    @property
    def full_access_key(self) -> ApiKey:
        """The first key allowed everything: scope ``*`` or legacy empty scopes."""
        allowed = (key for key in self.api_keys if "*" in key.scopes or not key.scopes)
        return next(allowed, self.api_keys[0])


def load_seed(source: Seed | Mapping[str, Any] | str | Path | None = None) -> Seed:
    """Build a :class:`Seed` from ``None`` (built-in), a mapping, or a JSON/YAML file path."""
    if isinstance(source, Seed):
        return source
    if source is None:
        return parse_seed(default_seed())
    if isinstance(source, Mapping):
        return parse_seed(copy.deepcopy(source))  # the caller may go on changing its dict
    return parse_seed(read_data_file(Path(source), "seed file", SeedError))


def parse_seed(data: Any) -> Seed:
    """Check and convert a seed mapping; raises :class:`SeedError` with the entry's path."""
    data = _mapping(data, "seed")
    _check_keys(data, _TOP_LEVEL, "seed", required={"project_id", "users", "api_keys"})
    users = {user.id: user for user in _items(data, "users", _parse_user)}
    integrations, features = parse_destination_world(data, users, SeedError)
    seed = Seed(
        project_id=_get(data, "project_id", int, "seed"),
        organization=_parse_organization(data.get("organization", {})),
        users=users,
        members=tuple(_items(data, "members", _parse_member)),
        insights={insight.id: insight for insight in _items(data, "insights", _parse_insight)},
        api_keys=tuple(_items(data, "api_keys", _parse_key)),
        alert_limit=_get(data, "alert_limit", int, "seed", default=None),
        entitlements=_parse_entitlements(data.get("entitlements", {})),
        alerts=tuple(_items(data, "alerts", _mapping)),
        integrations=integrations,
        features=features,
    )
    _check_references(seed)
    return seed


def _parse_organization(data: Any) -> Organization:
    data = _mapping(data, "seed.organization")
    _check_keys(data, {"id", "name"}, "seed.organization")
    return Organization(
        id=_get(data, "id", str, "seed.organization", default=DEFAULT_ORGANIZATION["id"]),
        name=_get(data, "name", str, "seed.organization", default=DEFAULT_ORGANIZATION["name"]),
    )


def _parse_user(data: Mapping[str, Any], where: str) -> User:
    _check_keys(data, set(User.__dataclass_fields__), where, required={"id", "email"})
    user_id = _get(data, "id", int, where)
    user_uuid = _get(data, "uuid", str, where, default=f"0188b2e1-1c3d-7000-a4b5-{user_id:012d}")
    return User(
        id=user_id,
        uuid=user_uuid,
        distinct_id=_get(data, "distinct_id", str, where, default=f"user-{user_id}"),
        first_name=_get(data, "first_name", str, where, default=""),
        last_name=_get(data, "last_name", str, where, default=""),
        email=_get(data, "email", str, where),
        is_email_verified=_get(data, "is_email_verified", bool, where, default=True),
        hedgehog_config=data.get("hedgehog_config"),
        role_at_organization=_get(data, "role_at_organization", str, where, default=None),
    )


def _parse_member(data: Mapping[str, Any], where: str) -> Member:
    fields = {"user", "level", "id", "joined_at", "updated_at", "is_2fa_enabled"}
    _check_keys(data, fields | {"has_social_auth", "last_login"}, where, required={"user"})
    user_id = _get(data, "user", int, where)
    joined_at = _get(data, "joined_at", str, where, default=_DEFAULT_TIME)
    return Member(
        id=_get(data, "id", str, where, default=f"01890f3b-0000-7000-8000-{user_id:012d}"),
        user_id=user_id,
        level=_get(data, "level", int, where, default=1),
        joined_at=joined_at,
        updated_at=_get(data, "updated_at", str, where, default=joined_at),
        is_2fa_enabled=_get(data, "is_2fa_enabled", bool, where, default=False),
        has_social_auth=_get(data, "has_social_auth", bool, where, default=False),
        last_login=_get(data, "last_login", str, where, default=None),
    )


def _parse_insight(data: Mapping[str, Any], where: str) -> Insight:
    typed = {"id", "short_id", "name", "query", "deleted", "created_by"}
    _check_keys(data, typed | set(_INSIGHT_DEFAULTS), where, required={"id", "short_id"})
    attributes = {key: data.get(key, default) for key, default in _INSIGHT_DEFAULTS.items()}
    return Insight(
        id=_get(data, "id", int, where),
        short_id=_get(data, "short_id", str, where),
        name=_get(data, "name", str, where, default=""),
        query=data.get("query"),
        deleted=_get(data, "deleted", bool, where, default=False),
        created_by=_get(data, "created_by", int, where, default=None),
        attributes=attributes,
    )


def _parse_key(data: Mapping[str, Any], where: str) -> ApiKey:
    _check_keys(data, {"label", "key", "scopes", "user"}, where, required={"key", "user"})
    scopes = _get(data, "scopes", list, where, default=[])
    if not all(isinstance(scope, str) for scope in scopes):
        raise SeedError(f"{where}.scopes: expected a list of strings")
    key = _get(data, "key", str, where)
    return ApiKey(
        label=_get(data, "label", str, where, default=key),
        key=key,
        scopes=tuple(scopes),
        user_id=_get(data, "user", int, where),
    )


def _parse_entitlements(data: Any) -> Entitlements:
    where = "seed.entitlements"
    data = _mapping(data, where)
    _check_keys(data, {"alerts", "every_15_minutes"}, where)
    return Entitlements(
        alerts=_get(data, "alerts", bool, where, default=True),
        every_15_minutes=_get(data, "every_15_minutes", bool, where, default=True),
    )


def _check_references(seed: Seed) -> None:
    if not seed.api_keys:
        raise SeedError("seed.api_keys: at least one API key is required")
    referenced = [(f"members[{i}].user", m.user_id) for i, m in enumerate(seed.members)]
    referenced += [(f"api_keys[{i}].user", k.user_id) for i, k in enumerate(seed.api_keys)]
    referenced += [
        (f"insights[{insight.id}].created_by", insight.created_by)
        for insight in seed.insights.values()
        if insight.created_by is not None
    ]
    for where, user_id in referenced:
        if user_id not in seed.users:
            raise SeedError(f"seed.{where}: unknown user id {user_id}")
    if len({key.key for key in seed.api_keys}) != len(seed.api_keys):
        raise SeedError("seed.api_keys: duplicate key")


def _items(
    data: Mapping[str, Any], key: str, parse: Callable[[Mapping[str, Any], str], _T]
) -> list[_T]:
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise SeedError(f"seed.{key}: expected a list")
    places = [f"seed.{key}[{index}]" for index in range(len(raw))]
    items = [parse(_mapping(item, where), where) for item, where in zip(raw, places, strict=True)]
    ids = [item.id for item in items if hasattr(item, "id")]
    if len(set(ids)) != len(ids):
        raise SeedError(f"seed.{key}: duplicate id")
    return items


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SeedError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _check_keys(
    data: Mapping[str, Any],
    allowed: set[str],
    where: str,
    required: frozenset[str] | set[str] = frozenset(),
) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SeedError(f"{where}: unknown key {unknown[0]!r}")
    missing = sorted(required - set(data))
    if missing:
        raise SeedError(f"{where}: missing key {missing[0]!r}")


_NO_DEFAULT: Any = object()


def _get(
    data: Mapping[str, Any], key: str, kind: type, where: str, default: Any = _NO_DEFAULT
) -> Any:
    if key not in data or (data[key] is None and default is None):
        if default is _NO_DEFAULT:
            raise SeedError(f"{where}: missing key {key!r}")
        return default
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SeedError(f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__}")
    return value
