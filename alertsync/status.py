"""The `status` use case: is every alert the files own actually working? Reads only.

The same files and scope as `plan`. It lists the project's live alerts, retrieves each owned
alert with its newest checks (`checks_limit`; `Tuning.concurrency` at a time, paced by the
rate limiter), lists the project's alert destinations once, and evaluates them all
(`core.health`, `core.status_report`). Only GET requests are sent.

One `Remote` is one target; a report over several environments will call `read_target` once
per environment and put the results side by side in one `StatusReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alertsync.core.desired import DesiredSet
from alertsync.core.health import Now
from alertsync.core.readshape import shape_problem
from alertsync.core.status_report import NOT_READ, TargetStatus, owned, target_status
from alertsync.edges.posthog.client import PostHogClient
from alertsync.errors import ApiError, MalformedAlert, PermissionDenied
from alertsync.flow import Remote, target_of
from alertsync.loading import load_desired

DEFAULT_CHECKS = 20  # checks read per alert: enough to see when most states began
MAX_CHECKS = 500  # PostHog's most per retrieve


def read_target(
    paths: Sequence[str],
    remote: Remote,
    now: Callable[[], Now],
    checks: int,
    on_read: Callable[[int, int], None] | None = None,
    desired: DesiredSet | None = None,
) -> TargetStatus:
    """The status of every alert the files at `paths` (or a desired set already loaded:
    an environment's) own, in the project `remote` names, as of `now()` once everything is
    read; `on_read(done, total)` follows the reads of the owned alerts' checks."""
    desired = desired or load_desired(paths)
    conn = remote.connect()
    with remote.client(conn) as client:
        listed = client.list_alerts()
        live, unmanaged = owned(desired, listed)
        _check_shapes(listed, live)
        ids = [str(item["id"]) for copies in live.values() for item in copies]
        read = {
            str(item.get("id")): item for item in client.alerts_with_checks(ids, checks, on_read)
        }
        retrieved = {
            name: [read.get(str(item["id"]), item) for item in copies]
            for name, copies in live.items()
        }
        functions, notes = _destinations(client)
    target = target_of(conn)
    return target_status(desired, retrieved, functions, target, now(), unmanaged, notes)


def _check_shapes(listed: list[dict[str, Any]], live: dict[str, list[Any]]) -> None:
    """Refuse, as `plan` does, an owned alert in a shape alertsync cannot read."""
    owned_ids = {id(item) for copies in live.values() for item in copies}
    for index, item in enumerate(listed):
        problem = shape_problem(item) if id(item) in owned_ids else None
        if problem is not None:
            raise MalformedAlert(index, item, problem)


def _destinations(client: PostHogClient) -> tuple[list[Mapping[str, Any]] | None, tuple[str, ...]]:
    """The project's alert destinations, or None and why when they cannot be read."""
    try:
        return list(client.alert_destinations()), ()
    except PermissionDenied:
        why = "the API key lacks the hog_function:read scope"
    except ApiError as exc:
        if exc.status != 404:
            raise
        why = "this PostHog has no hog functions API"
    return None, (f"{NOT_READ}: {why}; destination health was not checked",)
