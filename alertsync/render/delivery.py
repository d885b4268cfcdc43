"""The `test-delivery` report: per alert, where the test went and what failed."""

from __future__ import annotations

import json
from typing import Any

from alertsync.model import Delivery
from alertsync.render.text import Style, plain


def render_deliveries(deliveries: list[Delivery], style: Style = plain) -> str:
    lines: list[str] = []
    for d in deliveries:
        if d.error:
            lines.append(style(f"FAILED: {d.name!r}: {d.error}", "warn"))
            continue
        head = (
            f"{d.name!r}: test sent to {d.scheduled_destinations} destination(s) and "
            f"{d.scheduled_emails} email recipient(s)"
        )
        lines.append(style(head, "create" if d.ok else "warn"))
        lines += [f"    {where}" for where in d.destinations]
        lines += [f"    email {email}" for email in d.emails]
        for channel in d.failed_channels:
            what = "destinations" if channel == "destination" else channel
            lines.append(style(f"    FAILED: PostHog could not schedule the {what}", "warn"))
    failed = sum(1 for d in deliveries if not d.ok)
    lines.append("")
    lines.append(
        f"Test delivery: {len(deliveries) - failed} sent, {failed} failed. Check each "
        "channel for PostHog's [TEST] message."
    )
    return "\n".join(lines) + "\n"


def render_deliveries_json(deliveries: list[Delivery]) -> str:
    document: dict[str, Any] = {
        "format_version": 1,
        "deliveries": [
            {
                "name": d.name,
                "alert_id": d.alert_id,
                "ok": d.ok,
                "destinations": list(d.destinations),
                "emails": list(d.emails),
                "scheduled": {
                    "destinations": d.scheduled_destinations,
                    "emails": d.scheduled_emails,
                },
                "failed_channels": list(d.failed_channels),
                "error": d.error or None,
            }
            for d in deliveries
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
