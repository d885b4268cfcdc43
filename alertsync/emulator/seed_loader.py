"""Reading a seed (the format is documented in :mod:`alertsync.emulator.seed`).

Every entry is checked and converted; a problem raises :class:`~alertsync.emulator.seed.SeedError`
naming the entry, e.g. ``seed.insights[3].columns[0]: unknown key 'nmae'``.
"""

from __future__ import annotations

import copy
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from alertsync.emulator.datafile import read_data_file
from alertsync.emulator.default_seed import DEFAULT_ORGANIZATION, default_seed
from alertsync.emulator.destination_seed import parse_destination_world
from alertsync.emulator.seed import (
    ApiKey,
    Column,
    Entitlements,
    Insight,
    Member,
    Organization,
    Seed,
    SeedError,
    User,
)

_T = TypeVar("_T")

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
    "integrations",
    "features",
    "project_id",
    "timezone",
    "organization",
    "users",
    "members",
    "insights",
    "api_keys",
    "alert_limit",
    "entitlements",
    "alerts",
}
ALERT_STATE_KEYS = ("created_by", "checks", "snooze", "last_checked_at", "next_check_at")


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
        alerts=tuple(_items(data, "alerts", _parse_alert)),
        timezone=_parse_timezone(data.get("timezone", "UTC")),
        integrations=integrations,
        features=features,
    )
    _check_references(seed)
    return seed


def _parse_timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise SeedError(f"seed.timezone: expected str, got {type(value).__name__}")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SeedError(f"seed.timezone: unknown timezone {value!r}") from None
    return value


def _parse_organization(data: Any) -> Organization:
    where = "seed.organization"
    data = _mapping(data, where)
    _check_keys(data, {"id", "name", "feature_flags"}, where)
    flags = _get(data, "feature_flags", list, where, default=[])
    if not all(isinstance(flag, str) for flag in flags):
        raise SeedError(f"{where}.feature_flags: expected a list of strings")
    return Organization(
        id=_get(data, "id", str, where, default=DEFAULT_ORGANIZATION["id"]),
        name=_get(data, "name", str, where, default=DEFAULT_ORGANIZATION["name"]),
        feature_flags=frozenset(flags),
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
    typed = {"id", "short_id", "name", "query", "deleted", "created_by", "columns", "viewers"}
    _check_keys(data, typed | set(_INSIGHT_DEFAULTS), where, required={"id", "short_id"})
    attributes = {key: data.get(key, default) for key, default in _INSIGHT_DEFAULTS.items()}
    if not isinstance(attributes["tags"], list):
        raise SeedError(f"{where}.tags: expected a list")
    viewers = _get(data, "viewers", list, where, default=None)
    if viewers is not None and not all(_is_int(user) for user in viewers):
        raise SeedError(f"{where}.viewers: expected a list of user ids")
    return Insight(
        id=_get(data, "id", int, where),
        short_id=_get(data, "short_id", str, where),
        name=_get(data, "name", str, where, default=""),
        query=data.get("query"),
        deleted=_get(data, "deleted", bool, where, default=False),
        created_by=_get(data, "created_by", int, where, default=None),
        attributes=attributes,
        columns=tuple(_items(data, "columns", _parse_column, f"{where}.columns")),
        viewers=None if viewers is None else frozenset(viewers),
    )


def _parse_column(data: Mapping[str, Any], where: str) -> Column:
    _check_keys(data, {"name", "numeric"}, where, required={"name"})
    return Column(_get(data, "name", str, where), _get(data, "numeric", bool, where, default=True))


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
    _check_keys(data, set(Entitlements.__dataclass_fields__), where)
    return Entitlements(
        alerts=_get(data, "alerts", bool, where, default=True),
        every_15_minutes=_get(data, "every_15_minutes", bool, where, default=True),
        real_time=_get(data, "real_time", bool, where, default=True),
        real_time_limit=_get(data, "real_time_limit", int, where, default=None),
    )


def _parse_alert(data: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    checks = data.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(item, Mapping) for item in checks):
        raise SeedError(f"{where}.checks: expected a list of mappings")
    return data


def _check_references(seed: Seed) -> None:
    if not seed.api_keys:
        raise SeedError("seed.api_keys: at least one API key is required")
    referenced = [(f"members[{i}].user", m.user_id) for i, m in enumerate(seed.members)]
    referenced += [(f"api_keys[{i}].user", k.user_id) for i, k in enumerate(seed.api_keys)]
    for insight in seed.insights.values():
        users = [insight.created_by] if insight.created_by is not None else []
        users += sorted(insight.viewers or ())
        referenced += [(f"insights[{insight.id}]", user_id) for user_id in users]
    for where, user_id in referenced:
        if user_id not in seed.users:
            raise SeedError(f"seed.{where}: unknown user id {user_id}")
    if len({key.key for key in seed.api_keys}) != len(seed.api_keys):
        raise SeedError("seed.api_keys: duplicate key")


def _items(
    data: Mapping[str, Any],
    key: str,
    parse: Callable[[Mapping[str, Any], str], _T],
    where: str | None = None,
) -> list[_T]:
    where = where or f"seed.{key}"
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise SeedError(f"{where}: expected a list")
    places = [f"{where}[{index}]" for index in range(len(raw))]
    items = [parse(_mapping(item, place), place) for item, place in zip(raw, places, strict=True)]
    ids = [item.id for item in items if hasattr(item, "id")]
    if len(set(ids)) != len(ids):
        raise SeedError(f"{where}: duplicate id")
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


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
