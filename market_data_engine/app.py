"""Wiring of the market data engine: its dependencies and routes. Its real work comes later."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from market_data_engine.settings import MarketDataEngineSettings
from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for


def build_app(
    settings: MarketDataEngineSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The market data engine's app; ``resources`` replaces the real connections in tests."""
    return create_app(
        settings,
        resources_for(settings) if resources is None else resources,
        title="Tickstream market data engine",
    )
