"""Wiring of the WebSocket service: its dependencies and routes. Its real work comes later."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from websocket_service.settings import WebsocketServiceSettings


def build_app(
    settings: WebsocketServiceSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The WebSocket service's app; ``resources`` replaces the real connections in tests."""
    return create_app(
        settings,
        resources_for(settings) if resources is None else resources,
        title="Tickstream WebSocket service",
    )
