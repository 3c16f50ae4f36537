"""Wiring of the API gateway: dependencies, the system status API and the status page."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from fastapi import FastAPI

from api_gateway.adapters.service_status import ServiceStatusReader
from api_gateway.api import pages, system
from api_gateway.settings import ApiGatewaySettings
from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from shared.settings import SERVICE_PORTS


def build_app(
    settings: ApiGatewaySettings,
    resources: Sequence[Resource] | None = None,
    *,
    status_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The gateway's app; tests replace ``resources`` and the HTTP transport."""

    async def on_start(app: FastAPI) -> None:
        # The services are reached directly; a proxy from the environment must not apply.
        client = httpx.AsyncClient(
            timeout=settings.status_timeout_s, transport=status_transport, trust_env=False
        )
        urls = {name: settings.service_url(name) for name in SERVICE_PORTS}
        app.state.status_client = client
        app.state.status_reader = ServiceStatusReader(client, urls)

    async def on_stop(app: FastAPI) -> None:
        client: httpx.AsyncClient | None = getattr(app.state, "status_client", None)
        if client is not None:
            await client.aclose()

    return create_app(
        settings,
        resources_for(settings) if resources is None else resources,
        title="Tickstream API",
        routers=(system.router, pages.router),
        on_start=on_start,
        on_stop=on_stop,
    )
