"""Each service, started as ``python -m <package>``, becomes ready and stops on SIGTERM."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from shared.settings import SERVICE_PORTS
from tests.infra import Endpoints
from tests.integration.services.process import (
    ServiceProcess,
    declared_dependencies,
    free_port,
    service_env,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("package", list(SERVICE_PORTS))
async def test_service_becomes_ready_and_stops_cleanly_on_sigterm(
    package: str, infra: Endpoints, tmp_path: Path
) -> None:
    service = ServiceProcess(package, service_env(package, free_port(), infra), tmp_path)
    try:
        async with httpx.AsyncClient() as client:
            body = await service.wait_ready_status(client, 200)
            health = await client.get(f"{service.url}/health")
            metrics = await client.get(f"{service.url}/metrics")
    finally:
        exit_code = await asyncio.to_thread(service.terminate)
    assert body["service"] == package
    assert [d["name"] for d in body["dependencies"]] == declared_dependencies(package)
    assert all(d["up"] for d in body["dependencies"])
    assert health.json() == {"status": "ok", "service": package}
    assert 'tickstream_dependency_up{dependency="kafka"} 1.0' in metrics.text
    assert exit_code == 0, service.log_tail()
