"""The WebSocket service's app: ready exactly while the dependencies it needs answer."""

from __future__ import annotations

from shared.service.resources import resources_for
from shared.settings import SERVICE_PORTS
from tests.support.asgi import serve_in_process, wait_for_ready_status
from tests.support.fake_resources import FakeResource
from websocket_service.app import build_app
from websocket_service.settings import WebsocketServiceSettings

DEPENDENCIES = ["kafka", "redis"]


def settings() -> WebsocketServiceSettings:
    return WebsocketServiceSettings(
        _env_file=None, dependency_check_interval_s=0.01, dependency_check_timeout_s=0.5
    )


def test_declares_the_dependencies_it_needs() -> None:
    assert [resource.name for resource in resources_for(settings())] == DEPENDENCIES


def test_listens_on_its_own_port() -> None:
    assert settings().http_port == SERVICE_PORTS["websocket_service"]


async def test_health_names_the_service() -> None:
    fakes = [FakeResource(name, available=False) for name in DEPENDENCIES]
    async with serve_in_process(build_app(settings(), fakes)) as client:
        response = await client.get("/health")
    assert response.json() == {"status": "ok", "service": "websocket_service"}


async def test_not_ready_while_any_dependency_is_down() -> None:
    fakes = [FakeResource(name) for name in DEPENDENCIES]
    async with serve_in_process(build_app(settings(), fakes)) as client:
        await wait_for_ready_status(client, 200)
        for fake in fakes:
            fake.available = False
            body = (await wait_for_ready_status(client, 503)).json()
            assert [d["name"] for d in body["dependencies"] if not d["up"]] == [fake.name]
            fake.available = True
            await wait_for_ready_status(client, 200)
        metrics = (await client.get("/metrics")).text
    for name in DEPENDENCIES:
        assert f'tickstream_dependency_up{{dependency="{name}"}} 1.0' in metrics
