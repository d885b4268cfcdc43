"""A local emulator of PostHog's insight-alerts REST API, built from the contract file.

It is a real HTTP server on 127.0.0.1 (``http.server``), so clients are tested over real
sockets: status codes, error bodies, pagination links, keep-alive and dropped connections
behave as they do against PostHog.

    from alertsync.emulator import Emulator

    with Emulator() as emu:                  # built-in seed, ephemeral port
        httpx.get(f"{emu.base_url}/api/projects/{emu.project_id}/alerts/",
                  headers={"Authorization": f"Bearer {emu.api_key}"})

Modules, by what they hold:

* the world: ``seed`` (its format and values), ``seed_loader``, ``default_seed``;
* validation (§5), in PostHog's order: ``rules`` drives ``alert_fields`` (the serializer's
  fields, with ``drf`` coercions), ``insight_gates`` (viewer access, kind gate and flags,
  metrics scope), ``ongoing_default`` (§2.5.5), ``alert_config`` (``validate_alert_config``
  with ``config_models``, ``queries`` and ``pydantic_models``), ``detectors`` (§2.6),
  ``schedule`` (quiet hours, §2.7) and ``entitlements`` (plan, 15-minute and real-time);
* state: ``stored`` (alerts and write semantics), ``checks`` (check rows and their window),
  ``scheduling`` (next_check_at), ``relative_dates``, ``store`` (memory and state file),
  ``evaluator`` (what a check leaves behind: the test hooks' engine);
* reading: ``alert_filters`` and ``trigram`` (list filters and search, §3.2), ``shapes``;
* endpoints: ``routing`` / ``dispatch`` / ``views`` / ``lookups``, ``simulate`` with its
  stand-in maths ``simulation`` and ``sql_columns``;
* plumbing: ``server`` (HTTP and the :mod:`~alertsync.emulator.faults` hook;
  ``Emulator(fault_policy=FaultPlan(FaultSpec(seed=1, fail_rate={"POST": 0.2})))``),
  ``throttle`` (PostHog's rate limits, ``Emulator(throttle=True)``), ``clock``, ``wire``,
  ``refusals``, ``requestlog``, ``pagination``, ``datafile``, ``cli``.

Test hooks on :class:`Emulator`: ``record_check``, ``set_check_times``, ``set_alert_state``,
``alerts``, ``checks`` (and a seed's ``alerts[].checks`` / ``snooze`` / ``last_checked_at`` /
``next_check_at``).

Alert destinations (``posthog-alert-destinations.md``), assembled in ``destination_world``:
hog functions (``hog_rules``, ``hog_inputs``, ``hog_filters``, ``hog_templates``,
``hog_bytecode``, ``hog_stored``, ``hog_service``, ``hog_listing``, ``hog_search``,
``hog_shapes``, ``hog_views``), integrations and Slack channels (``integrations``,
``integration_views``, ``fuzzy``), the alert-scoped Slack endpoints
(``alert_destinations``), test delivery (``alert_test_delivery``), delivery receipts
(``delivery_rows``, written onto check rows by ``record_alert_check``), the seed's
``integrations`` and ``features`` (``destination_seed``) and the ``Emulator``'s test hooks
(``destination_hooks``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Bound at once: the submodule of the same name would otherwise shadow the function once
# anything imported the submodule itself.
from alertsync.emulator.default_seed import default_seed

if TYPE_CHECKING:  # the names, for type checkers; at run time they load on first use
    from alertsync.emulator.alert_test_delivery import RecordedDestination, RecordedTestDelivery
    from alertsync.emulator.emulator import Emulator
    from alertsync.emulator.evaluator import CheckSpec
    from alertsync.emulator.faults import (
        DROP,
        CutBody,
        DropConnection,
        FaultConfigError,
        FaultPlan,
        FaultPolicy,
        FaultSpec,
        NoFaults,
    )
    from alertsync.emulator.requestlog import RecordedRequest
    from alertsync.emulator.seed import Seed, SeedError
    from alertsync.emulator.seed_loader import load_seed
    from alertsync.emulator.store import StateFileError

# Where each public name lives. Importing the package (as `alertsync emulator`'s command
# module does, at every start of the CLI) loads none of them: a name loads its module the
# first time it is used, so `alertsync validate` never pays for the emulator.
_HOMES = {
    "RecordedDestination": "alert_test_delivery",
    "RecordedTestDelivery": "alert_test_delivery",
    "Emulator": "emulator",
    "CheckSpec": "evaluator",
    "DROP": "faults",
    "CutBody": "faults",
    "DropConnection": "faults",
    "FaultConfigError": "faults",
    "FaultPlan": "faults",
    "FaultPolicy": "faults",
    "FaultSpec": "faults",
    "NoFaults": "faults",
    "RecordedRequest": "requestlog",
    "Seed": "seed",
    "SeedError": "seed",
    "load_seed": "seed_loader",
    "StateFileError": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "DROP",
    "CheckSpec",
    "CutBody",
    "DropConnection",
    "Emulator",
    "FaultConfigError",
    "FaultPlan",
    "FaultPolicy",
    "FaultSpec",
    "NoFaults",
    "RecordedDestination",
    "RecordedRequest",
    "RecordedTestDelivery",
    "Seed",
    "SeedError",
    "StateFileError",
    "default_seed",
    "load_seed",
]
