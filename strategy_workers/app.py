"""Wiring of the strategy workers: their dependencies, routes and the work loop."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI

from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from strategy_workers.api import router
from strategy_workers.settings import StrategyWorkersSettings
from strategy_workers.wiring import build_runner, find

log = logging.getLogger(__name__)


def build_app(
    settings: StrategyWorkersSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The strategy workers' app; ``resources`` replaces the real connections in tests.

    The work loop runs when the resources are a real Kafka publisher, Postgres pool and
    InfluxDB; it waits for them while they are down and stops with the app.
    """
    resources = resources_for(settings) if resources is None else resources
    found = find(resources)
    runner = build_runner(settings, *found) if found is not None else None

    async def on_start(app: FastAPI) -> None:
        app.state.runner = runner
        if runner is not None:
            runner.start()
        else:
            log.info("no live strategies: the resources are not Kafka, Postgres and InfluxDB")

    async def on_stop(app: FastAPI) -> None:
        if runner is not None:
            await runner.stop()

    return create_app(
        settings,
        resources,
        title="Tickstream strategy workers",
        routers=[router],
        on_start=on_start,
        on_stop=on_stop,
    )
