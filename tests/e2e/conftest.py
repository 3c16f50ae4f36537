"""The e2e tests talk to a running stack (``tickstream up``) through the gateway.

``TICKSTREAM_E2E_BASE_URL`` points at the gateway (default: the local stack's gateway, port
``TICKSTREAM_API_GATEWAY_PORT`` or 8000). When
nothing answers there the tests fail (``make test`` starts the stack first).
"""

from __future__ import annotations

import os

import httpx
import pytest

from shared.stack import StackSettings


def gateway_url() -> str:
    """Base URL of the running gateway, without a trailing slash."""
    default = StackSettings().service_url("api_gateway")
    return os.environ.get("TICKSTREAM_E2E_BASE_URL", default).rstrip("/")


def require_gateway(url: str) -> None:
    """Fail unless the gateway answers ``/health``."""
    try:
        httpx.get(f"{url}/health", timeout=3.0).raise_for_status()
    except httpx.HTTPError as exc:
        message = f"no gateway at {url} ({exc}); start the stack with `make up`"
        pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def base_url() -> str:
    url = gateway_url()
    require_gateway(url)
    return url
