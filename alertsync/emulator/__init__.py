"""A local emulator of PostHog's insight-alerts REST API, built from the contract file.

It is a real HTTP server on 127.0.0.1 (``http.server``), so clients are tested over real
sockets: status codes, error bodies, pagination links, keep-alive and dropped connections
behave as they do against PostHog.

    from alertsync.emulator import Emulator

    with Emulator() as emu:                  # built-in seed, ephemeral port
        httpx.get(f"{emu.base_url}/api/projects/{emu.project_id}/alerts/",
                  headers={"Authorization": f"Bearer {emu.api_key}"})

Modules: ``seed`` (the fixed world), ``store`` (alerts + state file), ``rules`` and
``alert_fields`` (validation, §5), ``model`` (write semantics), ``render`` (read shapes),
``routing`` / ``views`` / ``lookups`` (endpoints), ``throttle`` (PostHog's rate limits,
``Emulator(throttle=True)``), ``server`` (HTTP and the :mod:`~alertsync.emulator.faults`
hook; ``Emulator(fault_policy=FaultPlan(FaultSpec(seed=1, fail_rate={"POST": 0.2})))``).

Alert destinations (``posthog-alert-destinations.md``), assembled in ``destination_world``:
hog functions (``hog_rules``, ``hog_inputs``, ``hog_filters``, ``hog_templates``,
``hog_bytecode``, ``hog_stored``, ``hog_service``, ``hog_listing``, ``hog_shapes``,
``hog_views``), integrations and Slack channels (``integrations``, ``integration_views``,
``fuzzy``), the alert-scoped Slack endpoints (``alert_destinations``), test delivery
(``alert_test_delivery``), check receipts (``check_receipts``), the seed's ``integrations``
and ``features`` (``destination_seed``) and the ``Emulator``'s test hooks
(``destination_hooks``).
"""

from alertsync.emulator.alert_test_delivery import RecordedDestination, RecordedTestDelivery
from alertsync.emulator.default_seed import default_seed
from alertsync.emulator.emulator import Emulator
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
from alertsync.emulator.seed import Seed, SeedError, load_seed
from alertsync.emulator.store import StateFileError

__all__ = [
    "DROP",
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
