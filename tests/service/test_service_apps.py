"""Each service's app: its name, its port, and ready exactly while its dependencies answer."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from fastapi import FastAPI

from shared.resources import Resource
from shared.service.resources import resources_for
from shared.settings import SERVICE_PORTS, ServiceSettings
from tests.support.asgi import serve_in_process, wait_for_ready_status
from tests.support.fake_resources import FakeResource


@dataclass(frozen=True)
class Service:
    package: str
    settings_class: str
    dependencies: tuple[str, ...]

    def settings(self) -> ServiceSettings:
        module = importlib.import_module(f"{self.package}.settings")
        cls: type[ServiceSettings] = getattr(module, self.settings_class)
        return cls(
            _env_file=None,  # type: ignore[call-arg]
            dependency_check_interval_s=0.01,
            dependency_check_timeout_s=0.5,
        )

    def build_app(self) -> Callable[[ServiceSettings, Sequence[Resource]], FastAPI]:
        build: Callable[[ServiceSettings, Sequence[Resource]], FastAPI]
        build = importlib.import_module(f"{self.package}.app").build_app
        return build


SERVICES = [
    Service("api_gateway", "ApiGatewaySettings", ("kafka", "postgres", "redis")),
    Service("websocket_service", "WebsocketServiceSettings", ("kafka", "redis")),
    Service("market_data_engine", "MarketDataEngineSettings", ("kafka", "redis", "influxdb")),
    Service("order_processor", "OrderProcessorSettings", ("kafka", "postgres", "redis")),
    Service("analytics_service", "AnalyticsServiceSettings", ("kafka", "postgres")),
    Service("strategy_workers", "StrategyWorkersSettings", ("kafka", "postgres", "influxdb")),
]
by_package = pytest.mark.parametrize("service", SERVICES, ids=[s.package for s in SERVICES])


def test_every_service_package_is_covered() -> None:
    assert {s.package for s in SERVICES} == set(SERVICE_PORTS)


@by_package
def test_declares_the_dependencies_it_needs(service: Service) -> None:
    names = [resource.name for resource in resources_for(service.settings())]
    assert names == list(service.dependencies)


@by_package
def test_listens_on_its_own_port(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(f"TICKSTREAM_{service.package.upper()}_PORT", raising=False)
    assert service.settings().http_port == SERVICE_PORTS[service.package]


@by_package
async def test_health_names_the_service(service: Service) -> None:
    fakes = [FakeResource(name, available=False) for name in service.dependencies]
    async with serve_in_process(service.build_app()(service.settings(), fakes)) as client:
        response = await client.get("/health")
    assert response.json() == {"status": "ok", "service": service.package}


@by_package
async def test_not_ready_while_any_dependency_is_down(service: Service) -> None:
    fakes = [FakeResource(name) for name in service.dependencies]
    async with serve_in_process(service.build_app()(service.settings(), fakes)) as client:
        await wait_for_ready_status(client, 200)
        for fake in fakes:
            fake.available = False
            body = (await wait_for_ready_status(client, 503)).json()
            assert [d["name"] for d in body["dependencies"] if not d["up"]] == [fake.name]
            fake.available = True
            await wait_for_ready_status(client, 200)
        metrics = (await client.get("/metrics")).text
    for name in service.dependencies:
        assert f'tickstream_dependency_up{{dependency="{name}"}} 1.0' in metrics
