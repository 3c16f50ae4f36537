"""Asks each service's ``/ready`` over HTTP, all at once, with a short timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import httpx
from pydantic import BaseModel, ValidationError

from shared.observability.health import DependencyStatus, Readiness


class ServiceStatus(BaseModel):
    """Readiness of one service as seen from the gateway."""

    service: str
    url: str
    ready: bool
    dependencies: list[DependencyStatus]
    error: str | None = None


class SystemStatus(BaseModel):
    """Readiness of every service; ``ready`` when all of them are."""

    ready: bool
    services: list[ServiceStatus]


class ServiceStatusReader:
    """Reads the readiness of the services at ``urls`` (service name -> base URL)."""

    def __init__(self, client: httpx.AsyncClient, urls: Mapping[str, str]) -> None:
        self._client = client
        self._urls = dict(urls)

    async def read_all(self) -> SystemStatus:
        """Every service's readiness, asked in parallel."""
        services = await asyncio.gather(*(self.read(name, url) for name, url in self._urls.items()))
        return SystemStatus(ready=all(s.ready for s in services), services=list(services))

    async def read(self, service: str, url: str) -> ServiceStatus:
        """One service's readiness; an unreachable service is simply not ready."""
        try:
            response = await self._client.get(f"{url}/ready")
        except httpx.HTTPError as exc:
            return ServiceStatus(
                service=service, url=url, ready=False, dependencies=[], error=_describe(exc)
            )
        try:
            report = Readiness.model_validate_json(response.content)
        except ValidationError:
            return ServiceStatus(
                service=service,
                url=url,
                ready=False,
                dependencies=[],
                error=f"unexpected answer from /ready: HTTP {response.status_code}",
            )
        return ServiceStatus(
            service=service,
            url=url,
            ready=response.status_code == 200 and report.status == "ready",
            dependencies=report.dependencies,
        )


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
