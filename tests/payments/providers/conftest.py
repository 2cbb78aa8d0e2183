"""Local Vipps and Nets servers (real sockets), started per test, and providers pointed at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from iktipet.payments.providers.nets import NetsProvider
from iktipet.payments.providers.vipps import VippsProvider, forget_tokens
from support.nets_server import FakeNets
from support.vipps_server import WEBHOOK_SECRET, FakeVipps


@pytest.fixture
def vipps_server() -> Iterator[FakeVipps]:
    forget_tokens()
    server = FakeVipps().start()
    yield server
    server.stop()
    forget_tokens()
    # Every request the client sent and every response the server gave, against the document.
    assert server.contract_errors == []


@pytest.fixture
def make_vipps(vipps_server: FakeVipps) -> Callable[..., VippsProvider]:
    def make(**options: Any) -> VippsProvider:
        defaults: dict[str, Any] = {
            "client_id": vipps_server.client_id,
            "client_secret": vipps_server.client_secret,
            "subscription_key": vipps_server.subscription_key,
            "msn": vipps_server.msn,
            "base_url": vipps_server.url,
            "webhook_secret": WEBHOOK_SECRET,
            "timeout": 2.0,
        }
        return VippsProvider(**{**defaults, **options})

    return make


@pytest.fixture
def nets_server() -> Iterator[FakeNets]:
    server = FakeNets().start()
    yield server
    server.stop()


@pytest.fixture
def make_nets(nets_server: FakeNets) -> Callable[..., NetsProvider]:
    def make(**options: Any) -> NetsProvider:
        defaults: dict[str, Any] = {
            "secret_key": nets_server.secret_key,
            "base_url": nets_server.url,
            "terms_url": "https://iktipet.example/betaling/vilkar/",
            "timeout": 2.0,
        }
        return NetsProvider(**{**defaults, **options})

    return make
