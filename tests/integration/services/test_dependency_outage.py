"""Services report not-ready while a dependency they need is down, and recover by themselves.

Postgres, Redis and InfluxDB are taken down for the services only, by cutting a TCP proxy
placed in front of the real (shared) server. Kafka clients follow the broker's advertised
address, so a proxy cannot cut them off: Kafka is stopped through the local stack instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from shared.settings import SERVICE_PORTS
from tests.infra import Endpoints, host_port
from tests.integration.conftest import StackControl
from tests.integration.services.process import (
    ServiceProcess,
    declared_dependencies,
    down_dependencies,
    free_port,
    service_env,
)
from tests.integration.services.proxy import TcpProxy

pytestmark = pytest.mark.integration

PROXIED = ("postgres", "redis", "influxdb")
OUTAGE_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def proxies(infra: Endpoints) -> Iterator[dict[str, TcpProxy]]:
    targets = {
        "postgres": host_port(infra.postgres_dsn, 5432),
        "redis": host_port(infra.redis_url, 6379),
        "influxdb": host_port(infra.influx_url, 8086),
    }
    started = {name: TcpProxy(*target) for name, target in targets.items()}
    for proxy in started.values():
        proxy.start()
    yield started
    for proxy in started.values():
        proxy.close()


def through(infra: Endpoints, proxies: dict[str, TcpProxy]) -> Endpoints:
    """The endpoints with Postgres, Redis and InfluxDB reached through the proxies."""
    return replace(
        infra,
        postgres_dsn=_swap_address(infra.postgres_dsn, proxies["postgres"].address),
        redis_url=_swap_address(infra.redis_url, proxies["redis"].address),
        influx_url=_swap_address(infra.influx_url, proxies["influxdb"].address),
    )


def _swap_address(url: str, address: str) -> str:
    scheme, rest = url.split("://", 1)
    credentials, _, tail = rest.rpartition("@")
    _, slash, path = tail.partition("/")
    prefix = f"{credentials}@" if credentials else ""
    return f"{scheme}://{prefix}{address}{slash}{path}"


@pytest.fixture(scope="module")
async def services(
    infra: Endpoints, proxies: dict[str, TcpProxy], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, ServiceProcess]]:
    endpoints = through(infra, proxies)
    workdir = tmp_path_factory.mktemp("services")
    running = {
        package: ServiceProcess(package, service_env(package, free_port(), endpoints), workdir)
        for package in SERVICE_PORTS
    }
    try:
        async with httpx.AsyncClient() as client:
            for service in running.values():
                await service.wait_ready_status(client, 200)
        yield running
    finally:
        codes = await asyncio.gather(
            *(asyncio.to_thread(service.terminate) for service in running.values())
        )
        assert codes == [0] * len(codes)


async def expect_outage(
    services: dict[str, ServiceProcess], dependency: str
) -> dict[str, dict[str, Any]]:
    """Wait until every service needing ``dependency`` is not ready because of it alone."""
    needing = [s for s in services.values() if dependency in declared_dependencies(s.package)]
    assert needing, f"no service needs {dependency}"
    bodies: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient() as client:
        for service in needing:
            body = await service.wait_ready_status(client, 503, OUTAGE_TIMEOUT_S)
            bodies[service.package] = body
    return bodies


async def expect_all_ready(services: dict[str, ServiceProcess]) -> None:
    async with httpx.AsyncClient() as client:
        for service in services.values():
            await service.wait_ready_status(client, 200, OUTAGE_TIMEOUT_S)


@pytest.mark.parametrize("dependency", PROXIED)
async def test_service_is_not_ready_while_a_needed_server_is_down_and_recovers(
    dependency: str, services: dict[str, ServiceProcess], proxies: dict[str, TcpProxy]
) -> None:
    await expect_all_ready(services)
    proxies[dependency].cut()
    try:
        bodies = await expect_outage(services, dependency)
        for package, body in bodies.items():
            assert down_dependencies(body) == [dependency], (package, body)
        async with httpx.AsyncClient() as client:
            for service in services.values():
                if dependency not in declared_dependencies(service.package):
                    status, body = await service.ready(client)
                    assert status == 200, (service.package, body)
    finally:
        proxies[dependency].start()
    await expect_all_ready(services)


async def test_services_are_not_ready_while_kafka_is_stopped_and_recover(
    services: dict[str, ServiceProcess], stack: StackControl
) -> None:
    await expect_all_ready(services)
    await stack.stop("kafka")
    try:
        bodies = await expect_outage(services, "kafka")
        assert set(bodies) == set(SERVICE_PORTS)
        for package, body in bodies.items():
            assert down_dependencies(body) == ["kafka"], (package, body)
    finally:
        await stack.start("kafka")
    await expect_all_ready(services)
