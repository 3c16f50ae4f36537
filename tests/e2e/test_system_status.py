"""Through the gateway of the running stack: every service is ready, the API is documented."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from shared.settings import SERVICE_PORTS

pytestmark = pytest.mark.e2e

SETTLE_TIMEOUT_S = 60.0


def system_status(base_url: str) -> dict[str, Any]:
    """The status once every service is ready, or the last one seen after the timeout."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        response = httpx.get(f"{base_url}/api/v1/system/status", timeout=10.0)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        if body["ready"] or time.monotonic() > deadline:
            return body
        time.sleep(1.0)


def test_system_status_reports_all_six_services_ready(base_url: str) -> None:
    body = system_status(base_url)
    not_ready = {s["service"]: s for s in body["services"] if not s["ready"]}
    assert not_ready == {}
    assert body["ready"] is True
    assert [s["service"] for s in body["services"]] == list(SERVICE_PORTS)
    for service in body["services"]:
        assert service["dependencies"], service
        assert all(dependency["up"] for dependency in service["dependencies"])


def test_api_docs_load_without_external_assets(base_url: str) -> None:
    page = httpx.get(f"{base_url}/docs", timeout=10.0)
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text
    bundle = httpx.get(f"{base_url}/docs-assets/swagger-ui-bundle.js", timeout=10.0)
    assert bundle.status_code == 200
    assert "SwaggerUIBundle" in bundle.text


def test_openapi_document_describes_the_api(base_url: str) -> None:
    schema = httpx.get(f"{base_url}/openapi.json", timeout=10.0).json()
    assert schema["info"]["title"] == "Tickstream API"
    assert "/api/v1/system/status" in schema["paths"]


def test_unknown_route_is_a_problem_document(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/no-such-thing", timeout=10.0)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/api/v1/no-such-thing"
