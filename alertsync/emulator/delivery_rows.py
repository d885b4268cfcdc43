"""What a firing check records for each destination that accepted its notification
(destinations contract §8; alerts contract §2.8 ``deliveries``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.hog_templates import DESTINATION_KINDS

_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*://\S*[^\s'\".,;:!?)\]}>]")


def destination_row(function: HogFunction, at: datetime) -> dict[str, Any]:
    """``AlertDelivery`` for a destination that accepted a send."""
    return {
        "channel": "hog_function",
        "target": _display_name(function.name),
        "target_id": function.id,
        "template": DESTINATION_KINDS.get(function.template_id or ""),
        "status": "accepted",
        "at": at.isoformat(),
    }


def _display_name(name: str | None) -> str:
    if not name:
        return "Destination"
    _, _, tail = name.rpartition(" → ")
    return _URL.sub(lambda match: urlsplit(match.group(0)).hostname or "", tail or name)
