"""Integrations and their Slack channels (destinations contract §10; INT, ``SlackIntegration``).

* Read shape ``{id, kind, config, created_at, created_by, errors, display_name}``; a Slack
  integration's ``display_name`` is ``config.team.name`` (its OAuth ``name_path``).
* Channels come from Slack: every unarchived public channel, plus the private channels the
  authorising user (``config.authed_user.id``) is in. Private ones are only shown to the
  user who created the integration; anyone else sees them renamed
  ``PRIVATE_CHANNEL_WITHOUT_ACCESS`` with ``is_private_without_access: true``, left out of
  searches and pages but found by ``channel_id``. A ``channel_id`` look-up finds nothing
  for a channel the authorising user is not in. Listings are sorted by name.
* The channel list is cached per (integration, include-private) for an hour, which is when
  ``lastRefreshedAt`` changes (``force_refresh`` only works for browser sessions, so never
  here); a ``channel_id`` look-up reads the cached list first. A revoked install fails the
  Slack calls with ``slack_integration_inactive`` (once the cache is cold: the revoke hook
  empties it).

Integrations persist in the state file (section ``integrations``), seeded at first start.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime, timedelta
from typing import Any

from alertsync.emulator.clock import Clock
from alertsync.emulator.destination_seed import Channel, IntegrationSeed
from alertsync.emulator.fuzzy import fuzzy_filter
from alertsync.emulator.refusals import SERVER, ApiError, not_found, validation_error
from alertsync.emulator.seed import Seed
from alertsync.emulator.shapes import render_user
from alertsync.emulator.store import AlertStore

PRIVATE_CHANNEL_WITHOUT_ACCESS = "PRIVATE_CHANNEL_WITHOUT_ACCESS"
NOT_SLACK = "channels endpoint is only supported for Slack integrations"
NO_AUTHED_USER = "SlackIntegration: Missing authed_user_id in integration config"
INACTIVE = (
    "Your Slack connection is no longer active. Reconnect Slack to load channels and pick a "
    "destination."
)
CACHE_TTL = timedelta(hours=1)
SECTION = "integrations"
_Listing = tuple[str, list[dict[str, Any]]]  # (lastRefreshedAt, channels)


def slack_inactive() -> ApiError:
    """``SlackIntegrationInactiveError``: a plain ``APIException`` (type ``server_error``)."""
    return ApiError(400, SERVER, "slack_integration_inactive", INACTIVE)


def display_name(integration: IntegrationSeed) -> str:
    if integration.display_name is not None:
        return integration.display_name
    team = integration.config.get("team")
    if integration.kind == "slack" and isinstance(team, dict) and team.get("name") is not None:
        return str(team["name"])
    return f"ID: {integration.integration_id or _team_id(integration)}"


def _team_id(integration: IntegrationSeed) -> str | None:
    team = integration.config.get("team")
    return str(team["id"]) if isinstance(team, dict) and "id" in team else None


class IntegrationService:
    def __init__(self, seed: Seed, store: AlertStore, clock: Clock) -> None:
        self._seed = seed
        self._store = store
        self._clock = clock
        self._items = {item.id: item for item in seed.integrations}
        self._cache: dict[tuple[int, bool], tuple[datetime, str, list[dict[str, Any]]]] = {}
        store.add_section(SECTION, self._dump, self._restore)

    def all(self, kind: str | None = None) -> list[IntegrationSeed]:
        with self._store.locked():
            items = sorted(self._items.values(), key=lambda item: item.id)
        return [item for item in items if kind is None or item.kind == kind]

    def get(self, integration_id: str | int) -> IntegrationSeed:
        try:
            key = int(integration_id)
        except ValueError:
            raise not_found() from None
        with self._store.locked():
            found = self._items.get(key)
        if found is None:
            raise not_found()
        return found

    def set_revoked(self, integration_id: int, revoked: bool = True) -> IntegrationSeed:
        """Test hook: the Slack install stops (or starts again) authenticating."""
        with self._store.locked():
            item = replace(self.get(integration_id), revoked=revoked)
            self._items[item.id] = item
            self._cache = {key: value for key, value in self._cache.items() if key[0] != item.id}
            self._store.save()
            return item

    def delete(self, integration_id: int) -> None:
        with self._store.locked():
            self._items.pop(integration_id, None)
            self._cache = {
                key: value for key, value in self._cache.items() if key[0] != integration_id
            }
            self._store.save()

    def render(self, integration: IntegrationSeed) -> dict[str, Any]:
        creator = integration.created_by
        return {
            "id": integration.id,
            "kind": integration.kind,
            "config": integration.config,
            "created_at": integration.created_at,
            "created_by": render_user(self._seed.users.get(creator) if creator else None),
            "errors": integration.errors,
            "display_name": display_name(integration),
        }

    # -- Slack channels ----------------------------------------------------------------------

    def slack_ready(self, integration: IntegrationSeed) -> None:
        """The checks before any Slack call, in the view's order."""
        if integration.kind != "slack":
            raise validation_error(NOT_SLACK)
        authed = integration.config.get("authed_user")
        if not (isinstance(authed, dict) and authed.get("id")):
            raise validation_error(NO_AUTHED_USER)

    def channel_by_id(
        self, integration: IntegrationSeed, channel_id: str, user_id: int
    ) -> list[dict[str, Any]]:
        """From the cached listing when there is one, else Slack's ``conversations.info``."""
        own = integration.created_by == user_id
        cached = self._cached(integration.id, own)
        if cached is not None:
            return [channel for channel in cached[1] if channel["id"] == channel_id][:1]
        if integration.revoked:
            raise slack_inactive()
        for channel in integration.channels:
            if channel.id == channel_id and channel.authed_user_member:
                return [_serialize(channel, own)]
        return []

    def channel_page(
        self, integration: IntegrationSeed, user_id: int, search: str, limit: int, offset: int
    ) -> dict[str, Any]:
        own = integration.created_by == user_id
        refreshed_at, listed = self._cached(integration.id, own) or self._listing(integration, own)
        visible = _searched([c for c in listed if not c["is_private_without_access"]], search)
        return {
            "channels": visible[offset : offset + limit],
            "lastRefreshedAt": refreshed_at,
            "has_more": offset + limit < len(visible),
        }

    def _cached(self, integration_id: int, own: bool) -> _Listing | None:
        with self._store.locked():
            cached = self._cache.get((integration_id, own))
        if cached is None or self._clock.now() - cached[0] >= CACHE_TTL:
            return None
        return cached[1], cached[2]

    def _listing(self, integration: IntegrationSeed, own: bool) -> _Listing:
        """Slack's ``conversations.list`` + ``users.conversations``, cached for an hour."""
        if integration.revoked:
            raise slack_inactive()
        listed = [
            _serialize(channel, own)
            for channel in integration.channels
            if not channel.is_archived and (not channel.is_private or channel.authed_user_member)
        ]
        listed.sort(key=lambda channel: str(channel["name"]))
        now = self._clock.now()
        with self._store.locked():
            self._cache[(integration.id, own)] = (now, now.isoformat(), listed)
        return now.isoformat(), listed

    # -- storage -----------------------------------------------------------------------------

    def _dump(self) -> list[Any]:
        return [asdict(item) for item in self._items.values()]

    def _restore(self, items: list[Any]) -> None:
        restored: dict[int, IntegrationSeed] = {}
        for item in items:
            channels = tuple(Channel(**channel) for channel in item.get("channels", []))
            integration = IntegrationSeed(**{**item, "channels": channels})
            restored[integration.id] = integration
        self._items = restored


def _serialize(channel: Channel, own: bool) -> dict[str, Any]:
    hidden = channel.is_private and not own
    return {
        "id": channel.id,
        "name": PRIVATE_CHANNEL_WITHOUT_ACCESS if hidden else channel.name,
        "is_private": channel.is_private,
        "is_member": channel.is_member,
        "is_ext_shared": channel.is_ext_shared,
        "is_private_without_access": hidden,
    }


def _searched(channels: list[dict[str, Any]], search: str) -> list[dict[str, Any]]:
    """Fuzzy by name, then any channel whose id contains the query (INT)."""
    query = search.strip()
    if not query:
        return channels
    ranked = fuzzy_filter(query, channels, key=lambda channel: str(channel["name"]))
    ranked_ids = {channel["id"] for channel in ranked}
    by_id = [
        c for c in channels if query.lower() in str(c["id"]).lower() and c["id"] not in ranked_ids
    ]
    return ranked + by_id
