"""`status` for the environments of alertsync.toml: each environment's alerts read from its
own project (reads only), side by side in one report."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from alertsync import flow
from alertsync.core.health import Now
from alertsync.core.status_report import TargetStatus
from alertsync.edges.posthog.ratelimit import SharedLimits
from alertsync.envflow import Setup, load_desired, remote_for, target_of
from alertsync.errors import AlertsyncError
from alertsync.status import read_target


def read_targets(
    setup: Setup,
    remote: flow.Remote,
    now: Callable[[], Now],
    checks: int,
    on_read: Callable[[int, int], None] | None = None,
) -> tuple[TargetStatus, ...]:
    """The status of each chosen environment, in name order; several are read together (at
    most --concurrency at once, one rate budget per key). An environment that cannot be
    read is in the report with its error, and hides no other."""
    desired = load_desired(setup)
    several = len(setup.names) > 1
    tuning = remote.tuning
    limits = SharedLimits(tuning.rate_limit, tuning.concurrency) if several else None

    def one(name: str) -> TargetStatus:
        env_remote = remote_for(remote, setup.environment(name), limits, label=several)
        progress = None if several else on_read
        try:
            found = read_target((), env_remote, now, checks, progress, desired[name])
        except AlertsyncError as exc:
            if not several:
                raise
            env = setup.environment(name)
            return TargetStatus(
                target_of(env), desired[name].prefix, "", (), environment=name, error=str(exc)
            )
        return replace(found, environment=name)

    workers = max(1, min(len(setup.names), tuning.concurrency))
    with ThreadPoolExecutor(workers, thread_name_prefix="environment") as pool:
        return tuple(pool.map(one, setup.names))
