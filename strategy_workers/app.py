"""Wiring of the strategy workers: their dependencies, routes and the work loop."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from shared.service.work_loop import loop_hooks
from strategy_workers.api import router
from strategy_workers.settings import StrategyWorkersSettings
from strategy_workers.wiring import build_runner, find


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

    on_start, on_stop = loop_hooks(
        runner, absent="no live strategies: the resources are not Kafka, Postgres and InfluxDB"
    )

    return create_app(
        settings,
        resources,
        title="Tickstream strategy workers",
        routers=[router],
        on_start=on_start,
        on_stop=on_stop,
    )
