"""Renderers: plans, apply reports and problems as text, JSON or markdown.

Pure: values in, strings out. The formats a command offers come from the registries in
`formats` (plans, apply and status reports) and `problems` (validate), by the name given to
`--format`; a new format is one more renderer registered there. Importing this package
loads no renderer: each name below loads its module the first time it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alertsync import lazy_exports

if TYPE_CHECKING:
    from alertsync.render.formats import FORMATS, STATUS_FORMATS, Format
    from alertsync.render.problems import PROBLEM_FORMATS
    from alertsync.render.text import Style, plain

_HOMES = {
    "FORMATS": "formats",
    "STATUS_FORMATS": "formats",
    "Format": "formats",
    "PROBLEM_FORMATS": "problems",
    "Style": "text",
    "plain": "text",
}


__getattr__ = lazy_exports(__name__, _HOMES)


__all__ = ["FORMATS", "PROBLEM_FORMATS", "STATUS_FORMATS", "Format", "Style", "plain"]
