"""The seed's destination world: integrations with their Slack channels, and server features.

Two optional top-level seed keys (read by :func:`alertsync.emulator.seed.parse_seed`)::

    integrations:                     # what /integrations/ lists (destinations contract §10)
      - id: 42                        # int: what a Slack input ``slack_workspace`` holds
        kind: slack
        config:                       # shown as is; Slack: team, authed_user (the user who
          team: {id: T0HEDGEBOX, name: Hedgebox}       # authorised the app; without it the
          authed_user: {id: U0ADA}                     # channels endpoint refuses)
        # optional: display_name (default: config.team.name for Slack, else "ID: <id>"),
        # integration_id (default config.team.id), created_by (user id or null),
        # created_at, errors (""), revoked (false: the Slack install no longer
        # authenticates, so listing its channels answers ``slack_integration_inactive``)
        channels:                     # Slack only; listed sorted by name
          - {id: C0123456789, name: growth-alerts}
            # optional: is_private (false), is_member (true: the PostHog app can post),
            # is_ext_shared (false), is_archived (false: archived channels are never
            # listed), authed_user_member (true: the authorising user is in the channel;
            # private channels they are not in are invisible, and a channel_id look-up
            # of any channel they are not in finds nothing)
    features:                         # emulate older servers, or an instance's settings
      alert_scoped_destinations: true # POST alerts/{id}/destinations/ (+ /delete/); false = 404
      test_delivery: true             # POST alerts/{id}/test-delivery/; false = 404
      email_available: true           # false: test emails fail (503 when email is all there is)
      internal_events_available: true # false: destinations cannot be triggered (test delivery)
      managed_alert_event_guard: true # false: older servers with no managed-event guard
      insight_alert_event_exempt: true  # false: a future server that refuses
                                        # $insight_alert_firing too (destinations §4.1)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

_DEFAULT_TIME = "2025-01-01T00:00:00Z"


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_member: bool = True
    is_ext_shared: bool = False
    is_archived: bool = False
    authed_user_member: bool = True


@dataclass(frozen=True)
class IntegrationSeed:
    id: int
    kind: str
    config: Mapping[str, Any]
    display_name: str | None = None
    integration_id: str | None = None
    created_by: int | None = None
    created_at: str = _DEFAULT_TIME
    errors: str = ""
    revoked: bool = False
    channels: tuple[Channel, ...] = field(default=())


@dataclass(frozen=True)
class Features:
    alert_scoped_destinations: bool = True
    test_delivery: bool = True
    email_available: bool = True
    internal_events_available: bool = True
    managed_alert_event_guard: bool = True
    insight_alert_event_exempt: bool = True


_TYPES: dict[str, tuple[type, ...]] = {"bool": (bool,), "int": (int,), "str": (str,)}


def parse_destination_world(
    data: Mapping[str, Any], users: Collection[int], error: type[Exception]
) -> tuple[tuple[IntegrationSeed, ...], Features]:
    """The ``integrations`` and ``features`` of a seed mapping; ``error`` names the entry."""
    raw = data.get("integrations", [])
    if not isinstance(raw, list):
        raise error("seed.integrations: expected a list")
    integrations = tuple(
        _integration(item, f"seed.integrations[{index}]", users, error)
        for index, item in enumerate(raw)
    )
    if len({integration.id for integration in integrations}) != len(integrations):
        raise error("seed.integrations: duplicate id")
    return integrations, _features(data.get("features", {}), error)


def _integration(
    item: Any, where: str, users: Collection[int], error: type[Exception]
) -> IntegrationSeed:
    values = _record(item, IntegrationSeed, where, error, required=("id", "kind"))
    if not isinstance(values.get("config", {}), Mapping):
        raise error(f"{where}.config: expected a mapping")
    created_by = values.get("created_by")
    if created_by is not None and created_by not in users:
        raise error(f"{where}.created_by: unknown user id {created_by}")
    channels = values.get("channels", [])
    if not isinstance(channels, list):
        raise error(f"{where}.channels: expected a list")
    values["channels"] = tuple(
        Channel(
            **_record(channel, Channel, f"{where}.channels[{i}]", error, required=("id", "name"))
        )
        for i, channel in enumerate(channels)
    )
    values["config"] = dict(values.get("config", {}))
    return IntegrationSeed(**values)


def _features(raw: Any, error: type[Exception]) -> Features:
    return Features(**_record(raw, Features, "seed.features", error))


def _record(
    item: Any, kind: type, where: str, error: type[Exception], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A seed entry checked against a dataclass's fields: names, then simple types."""
    if not isinstance(item, Mapping):
        raise error(f"{where}: expected a mapping, got {type(item).__name__}")
    known = {spec.name: str(spec.type) for spec in fields(kind)}
    unknown = sorted(set(item) - set(known))
    if unknown:
        raise error(f"{where}: unknown key {unknown[0]!r}")
    missing = [name for name in required if name not in item]
    if missing:
        raise error(f"{where}: missing key {missing[0]!r}")
    for name, value in item.items():
        allowed = _TYPES.get(known[name].split(" ")[0])
        nullable = "None" in known[name]
        if allowed is None or (value is None and nullable):
            continue
        if not isinstance(value, allowed) or (allowed == (int,) and isinstance(value, bool)):
            raise error(f"{where}.{name}: expected {known[name]}, got {type(value).__name__}")
    return dict(item)
