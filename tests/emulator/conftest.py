"""Fixtures: a fresh emulator on an ephemeral port and an httpx client bound to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from alertsync.emulator import Emulator
from tests.builders import ALERTS, client_for, valid_body

MakeAlert = Callable[..., dict[str, Any]]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[httpx.Client]:
    with client_for(emu) as http:
        yield http


@pytest.fixture
def make_alert(client: httpx.Client) -> MakeAlert:
    """POST a valid alert (keyword arguments override body keys); returns the 201 body."""

    def make(**overrides: Any) -> dict[str, Any]:
        response = client.post(ALERTS, json=valid_body(**overrides))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return make
