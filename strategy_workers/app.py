"""Wiring of the strategy workers: its dependencies and routes. Its real work comes later."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from strategy_workers.settings import StrategyWorkersSettings


def build_app(
    settings: StrategyWorkersSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The strategy workers's app; ``resources`` replaces the real connections in tests."""
    return create_app(
        settings,
        resources_for(settings) if resources is None else resources,
        title="Tickstream strategy workers",
    )
