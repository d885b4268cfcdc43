"""Alert destinations, assembled: hog functions, integrations, the alert-scoped endpoints,
test delivery and check receipts, with their routes (destinations contract §3.1, §5, §6, §10).

The :class:`~alertsync.emulator.emulator.Emulator` builds one :class:`DestinationWorld` beside
its alerts and hands :meth:`DestinationWorld.routes` and :meth:`DestinationWorld.alert_views`
to the API. Routes (both the ``/api/projects/`` and ``/api/environments/`` prefixes, as
PostHog registers these viewsets on both):

* ``hog_functions/`` list/create and ``hog_functions/{id}/`` retrieve/update/partial_update
  (``hog_function:read`` / ``:write``); DELETE is not a scoped action of the viewset, so a
  scoped key gets 403 ``This action does not support Personal API Key access`` and only a
  legacy unscoped key reaches the 405 with an empty body;
* ``integrations/``, ``integrations/{id}/``, ``integrations/{id}/channels/``
  (``integration:read``; DELETE ``integration:write``);
* ``alerts/{id}/destinations/`` and ``…/destinations/delete/`` (``alert:write``) unless
  ``features.alert_scoped_destinations`` is off, and ``alerts/{id}/test-delivery/``
  (``alert:write``) unless ``features.test_delivery`` is off: off means no route, so 404.
"""

from __future__ import annotations

from collections.abc import Callable

from alertsync.emulator.alert_destinations import AlertDestinationViews
from alertsync.emulator.alert_test_delivery import AlertTestDeliveries
from alertsync.emulator.auth import UNSCOPED_ACTION
from alertsync.emulator.clock import Clock, IdFactory
from alertsync.emulator.hog_service import HogFunctionService
from alertsync.emulator.hog_views import HogFunctionViews
from alertsync.emulator.integration_views import IntegrationViews
from alertsync.emulator.integrations import IntegrationService
from alertsync.emulator.routing import Endpoint, Route, route
from alertsync.emulator.seed import Seed
from alertsync.emulator.service import AlertService
from alertsync.emulator.store import AlertStore
from alertsync.emulator.stored import Alert

PREFIXES = ("/api/projects/{project}", "/api/environments/{project}")


class DestinationWorld:
    def __init__(
        self, seed: Seed, store: AlertStore, alerts: AlertService, clock: Clock, ids: IdFactory
    ) -> None:
        self.seed = seed
        self.alerts = alerts
        self.functions = HogFunctionService(store, clock, ids, seed.features)
        self.integrations = IntegrationService(seed, store, clock)
        self.test_deliveries = AlertTestDeliveries(seed, alerts, self.functions, clock)
        alerts.add_delete_listener(self._alert_deleted)

    def _alert_deleted(self, alert: Alert) -> None:
        """Under the store lock, right after the alert is gone (PostHog's ``pre_delete``)."""
        self.functions.cascade_alert_delete(alert.id)

    def routes(self, base_url: Callable[[], str]) -> list[Route]:
        functions = HogFunctionViews(self.seed, self.functions, base_url)
        integrations = IntegrationViews(self.seed, self.integrations, self.functions, base_url)
        table = {
            "hog_functions/": {
                "GET": Endpoint("list", ("hog_function:read",), functions.list),
                "POST": Endpoint("create", ("hog_function:write",), functions.create),
            },
            "hog_functions/{function}/": {
                "GET": Endpoint("retrieve", ("hog_function:read",), functions.retrieve),
                "PUT": Endpoint("update", ("hog_function:write",), functions.update),
                "PATCH": Endpoint("partial_update", ("hog_function:write",), functions.update),
                "DELETE": Endpoint("destroy", (UNSCOPED_ACTION,), functions.destroy),
            },
            "integrations/": {"GET": Endpoint("list", ("integration:read",), integrations.list)},
            "integrations/{integration}/": {
                "GET": Endpoint("retrieve", ("integration:read",), integrations.retrieve),
                "DELETE": Endpoint("destroy", ("integration:write",), integrations.destroy),
            },
            "integrations/{integration}/channels/": {
                "GET": Endpoint("channels", ("integration:read",), integrations.channels),
            },
        }
        features = self.seed.features
        if features.alert_scoped_destinations:
            destinations = AlertDestinationViews(self.seed, self.alerts, self.functions)
            table["alerts/{alert}/destinations/"] = {
                "POST": Endpoint("create_destination", ("alert:write",), destinations.create)
            }
            table["alerts/{alert}/destinations/delete/"] = {
                "POST": Endpoint("delete_destination", ("alert:write",), destinations.delete)
            }
        if features.test_delivery:
            table["alerts/{alert}/test-delivery/"] = {
                "POST": Endpoint("test_delivery", ("alert:write",), self.test_deliveries.post)
            }
        return [
            route(f"{prefix}/{path}", endpoints)
            for prefix in PREFIXES
            for path, endpoints in table.items()
        ]
