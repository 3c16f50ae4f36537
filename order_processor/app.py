"""Wiring of the order processor: its dependencies, routes and the work loop."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from order_processor.api import ROUTERS
from order_processor.settings import OrderProcessorSettings
from order_processor.wiring import build_runner, find
from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from shared.service.work_loop import loop_hooks


def build_app(
    settings: OrderProcessorSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The order processor's app; ``resources`` replaces the real connections in tests.

    The work loop runs when the resources are a real Kafka publisher and Postgres pool; it
    waits for them while they are down and stops with the app.
    """
    resources = resources_for(settings) if resources is None else resources
    found = find(resources)
    runner = build_runner(settings, *found) if found is not None else None

    on_start, on_stop = loop_hooks(
        runner, absent="no order processing: the resources are not Kafka and Postgres"
    )

    return create_app(
        settings,
        resources,
        title="Tickstream order processor",
        routers=ROUTERS,
        on_start=on_start,
        on_stop=on_stop,
    )
