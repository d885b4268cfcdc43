"""Personal API key authentication and scope checks (contract §6, §7).

The key comes from ``Authorization: Bearer <key>`` or, failing that, ``?personal_api_key=``.
Scopes: ``X:write`` satisfies ``X:read``, ``*`` satisfies everything, and a key with no
scopes at all is a legacy key allowed everything.
"""

from __future__ import annotations

from alertsync.emulator.refusals import permission_denied, unauthenticated
from alertsync.emulator.seed import ApiKey, Seed
from alertsync.emulator.wire import Request

# The scope of an action outside a viewset's scoped read and write actions (e.g. the hog
# functions' ``destroy``): only legacy keys without scopes may call it (APIScopePermission).
UNSCOPED_ACTION = ""


def authenticate(request: Request, seed: Seed, base_url: str) -> ApiKey:
    """The request's API key; a 401 ``ApiError`` when it is missing or unknown."""
    token, source = _bearer_token(request.headers.get("authorization", "")), "Authorization header"
    if not token:
        token, source = request.query.get("personal_api_key", ""), "query string"
    if not token:
        detail = "Authentication credentials were not provided."
        raise unauthenticated("not_authenticated", detail, base_url)
    key = seed.key_for(token)
    if key is None:
        detail = f"Personal API key found in request {source} is invalid."
        raise unauthenticated("authentication_failed", detail, base_url)
    return key


def _bearer_token(header: str) -> str:
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def has_scope(key: ApiKey, required: str) -> bool:
    if not key.scopes or "*" in key.scopes or required in key.scopes:
        return True
    scope_object, _, action = required.partition(":")
    return action == "read" and f"{scope_object}:write" in key.scopes


def require_scope(key: ApiKey, required: str) -> None:
    if required == UNSCOPED_ACTION:
        if key.scopes:
            raise permission_denied("This action does not support Personal API Key access")
        return
    if not has_scope(key, required):
        raise permission_denied(f"API key missing required scope '{required}'")
