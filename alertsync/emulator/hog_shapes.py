"""Hog-function read shapes (destinations contract §3.3): the full and the minimal serializer.

Key order follows ``Meta.fields``; write-only fields (``template_id``, ``deleted``,
``base_updated_at``, ``_create_in_folder``) never appear. ``search_match_type`` is
``"exact"`` or ``"similar"`` in a search listing and ``null`` otherwise.
"""

from __future__ import annotations

from typing import Any

from alertsync.emulator.hog_inputs import render_inputs
from alertsync.emulator.hog_stored import HogFunction
from alertsync.emulator.hog_templates import find_template, render_template
from alertsync.emulator.seed import Seed
from alertsync.emulator.shapes import render_user


def render_function(
    function: HogFunction, seed: Seed, *, full: bool = True, match: str | None = None
) -> dict[str, Any]:
    """``HogFunctionSerializer`` (``full``) or ``HogFunctionMinimalSerializer``."""
    created_by = seed.users.get(function.created_by) if function.created_by is not None else None
    head: dict[str, Any] = {
        "id": function.id,
        "type": function.type,
        "name": function.name,
        "description": function.description,
        "created_at": function.created_at,
        "created_by": render_user(created_by),
        "updated_at": function.updated_at,
        "enabled": function.enabled,
        "hog": function.hog,
    }
    template = render_template(find_template(function.template_id))
    if not full:
        return head | {
            "filters": function.filters,
            "icon_url": function.icon_url,
            "template": template,
            "status": function.status,
            "execution_order": function.execution_order,
            "search_match_type": match,
            "draft_updated_at": None,
        }
    inputs = render_inputs(function.inputs, function.inputs_schema, function.encrypted_inputs)
    return head | {
        "bytecode": function.bytecode,
        "transpiled": None,
        "inputs_schema": function.inputs_schema,
        "inputs": inputs,
        "filters": function.filters,
        "masking": function.masking,
        "mappings": function.mappings,
        "icon_url": function.icon_url,
        "template": template,
        "status": function.status,
        "execution_order": function.execution_order,
        "batch_export_id": None,
        "search_match_type": match,
        "version": function.version,
        "draft": None,
        "draft_updated_at": None,
    }
