"""Wiring of the analytics service: its dependencies and routes. Its real work comes later."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from analytics_service.settings import AnalyticsServiceSettings
from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for


def build_app(
    settings: AnalyticsServiceSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The analytics service's app; ``resources`` replaces the real connections in tests."""
    return create_app(
        settings,
        resources_for(settings) if resources is None else resources,
        title="Tickstream analytics service",
    )
