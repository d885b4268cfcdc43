"""What this checkout of alertsync offers, detected rather than assumed.

Other work adds these while the harness exists, so the harness asks the code itself:

* ``apply --concurrency N`` (bounded concurrency for apply): read from ``apply --help``;
* ``apply --rate-limit N`` (client-side pacing, ``0`` = off): read from ``apply --help``;
* the emulator's ``throttle`` option (PostHog's rate limits): read from ``Emulator``'s
  signature;
* the client's listing page size: ``alertsync.edges.posthog.client.PAGE_SIZE``.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from benchmarks.emulator_process import throttle_supported
from benchmarks.measure import ROOT, alertsync_argv, cli_env

CONCURRENCY_FLAG = "--concurrency"
RATE_LIMIT_FLAG = "--rate-limit"
FALLBACK_PAGE_SIZE = 100


@dataclass(frozen=True)
class Features:
    concurrency_flag: bool
    rate_limit_flag: bool
    throttle: bool
    page_size: int
    page_size_source: str


def _apply_help() -> str:
    env = cli_env("http://127.0.0.1:9", 1, "unused")
    result = subprocess.run(
        alertsync_argv("apply", "--help"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result.stdout


def client_page_size() -> tuple[int, str]:
    from alertsync.edges.posthog import listing

    size = getattr(listing, "PAGE_SIZE", None)
    if isinstance(size, int) and size > 0:
        return size, "alertsync.edges.posthog.listing.PAGE_SIZE"
    return (
        FALLBACK_PAGE_SIZE,
        "PostHog's default limit (alertsync.edges.posthog.listing.PAGE_SIZE not found)",
    )


def has_flag(help_text: str, flag: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_text) is not None


def detect() -> Features:
    help_text = _apply_help()
    size, source = client_page_size()
    return Features(
        concurrency_flag=has_flag(help_text, CONCURRENCY_FLAG),
        rate_limit_flag=has_flag(help_text, RATE_LIMIT_FLAG),
        throttle=throttle_supported(),
        page_size=size,
        page_size_source=source,
    )
