"""The gateway reports every service's readiness, as JSON and as a status page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from api_gateway.app import build_app
from api_gateway.settings import ApiGatewaySettings
from shared.settings import SERVICE_PORTS
from tests.support.asgi import serve_in_process
from tests.support.fake_resources import FakeResource


def ready_body(service: str, *, down: str | None = None) -> dict[str, object]:
    dependencies = [
        {"name": "kafka", "up": down != "kafka", "since": "2025-01-01T00:00:00.000000000Z"},
    ]
    for dependency in dependencies:
        dependency["last_error"] = None if dependency["up"] else "ConnectionRefusedError"
    return {
        "status": "not_ready" if down else "ready",
        "service": service,
        "dependencies": dependencies,
    }


def fake_services(request: httpx.Request) -> httpx.Response:
    """Every service ready except the analytics service (Kafka down); strategy workers off."""
    port = request.url.port
    service = next(name for name, p in SERVICE_PORTS.items() if p == port)
    if service == "strategy_workers":
        raise httpx.ConnectError("connection refused", request=request)
    if service == "analytics_service":
        return httpx.Response(503, json=ready_body(service, down="kafka"))
    return httpx.Response(200, json=ready_body(service))


def gateway_settings() -> ApiGatewaySettings:
    return ApiGatewaySettings(_env_file=None, dependency_check_interval_s=0.01)


def gateway(handler: Callable[[httpx.Request], httpx.Response]) -> FastAPI:
    """The gateway with fake dependencies, reaching the other services through ``handler``."""
    fakes = [FakeResource(name) for name in ("kafka", "postgres", "redis")]
    return build_app(gateway_settings(), fakes, status_transport=httpx.MockTransport(handler))


async def test_status_reports_each_service_and_why_it_is_not_ready() -> None:
    app = gateway(fake_services)
    async with serve_in_process(app) as client:
        response = await client.get("/api/v1/system/status")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is False
    by_name = {s["service"]: s for s in body["services"]}
    assert list(by_name) == list(SERVICE_PORTS)
    assert by_name["order_processor"]["ready"] is True
    assert by_name["order_processor"]["url"] == "http://127.0.0.1:8003"
    assert by_name["analytics_service"]["ready"] is False
    assert by_name["analytics_service"]["dependencies"][0]["up"] is False
    assert by_name["strategy_workers"]["ready"] is False
    assert "ConnectError" in by_name["strategy_workers"]["error"]


async def test_all_ready_when_every_service_is() -> None:
    def all_ready(request: httpx.Request) -> httpx.Response:
        service = next(n for n, p in SERVICE_PORTS.items() if p == request.url.port)
        return httpx.Response(200, json=ready_body(service))

    app = gateway(all_ready)
    async with serve_in_process(app) as client:
        body = (await client.get("/api/v1/system/status")).json()
    assert body["ready"] is True
    assert all(service["ready"] for service in body["services"])


async def test_garbled_ready_answer_counts_as_not_ready() -> None:
    app = gateway(lambda r: httpx.Response(200, text="hello"))
    async with serve_in_process(app) as client:
        body = (await client.get("/api/v1/system/status")).json()
    assert not any(service["ready"] for service in body["services"])
    assert body["services"][0]["error"] == "unexpected answer from /ready: HTTP 200"


async def test_status_page_is_self_contained_html() -> None:
    app = gateway(fake_services)
    async with serve_in_process(app) as client:
        page = await client.get("/")
        schema = (await client.get("/openapi.json")).json()
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/api/v1/system/status" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert "/api/v1/system/status" in schema["paths"]
    assert schema["info"]["title"] == "Tickstream API"


def test_placeholder_secret_outside_development_refuses_to_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKSTREAM_")}
    env.update(TICKSTREAM_ENVIRONMENT="production", TICKSTREAM_JWT_SECRET="change-me")
    result = subprocess.run(
        [sys.executable, "-m", "api_gateway"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "TICKSTREAM_JWT_SECRET is a placeholder" in result.stderr
    assert "Traceback" not in result.stderr
