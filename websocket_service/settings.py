"""Settings of the WebSocket service (environment variables ``TICKSTREAM_*``)."""

from __future__ import annotations

from typing import ClassVar

from shared.settings import Dependency, ServiceSettings


class WebsocketServiceSettings(ServiceSettings):
    """The WebSocket service's settings: the common ones plus its name and what it needs."""

    service_name: ClassVar[str] = "websocket_service"
    dependencies: ClassVar[tuple[Dependency, ...]] = (Dependency.KAFKA, Dependency.REDIS)
