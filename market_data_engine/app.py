"""Wiring of the market data engine: its dependencies, routes and the candle pipeline."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI

from market_data_engine.api import candles_router, gaps_router
from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline.wiring import Stores, build_live_pipeline
from market_data_engine.settings import MarketDataEngineSettings
from shared.bus.producer import KafkaPublisher
from shared.cache import Cache
from shared.resources import Resource
from shared.service import create_app
from shared.service.resources import resources_for
from shared.service.work_loop import loop_hooks
from shared.tsdb import InfluxDB


def build_app(
    settings: MarketDataEngineSettings, resources: Sequence[Resource] | None = None
) -> FastAPI:
    """The market data engine's app; ``resources`` replaces the real connections in tests.

    It serves the candle query and gap report routes. The candle pipeline runs when the
    resources are real stores; it starts in the background (waiting for them while they
    are down) and stops with the app.
    """
    resources = resources_for(settings) if resources is None else resources
    stores = find_stores(resources)
    pipeline = None
    if stores is not None:
        pipeline = build_live_pipeline(settings, stores, decoders=TRADE_DECODERS)

    on_start, on_stop = loop_hooks(
        pipeline,
        absent="no candle pipeline: the resources are not Kafka, Redis and InfluxDB",
        state="pipeline",
    )

    return create_app(
        settings,
        resources,
        title="Tickstream market data engine",
        routers=(candles_router, gaps_router),
        on_start=on_start,
        on_stop=on_stop,
    )


def find_stores(resources: Sequence[Resource]) -> Stores | None:
    """The Kafka publisher, InfluxDB and Redis among ``resources``, if all are there."""
    publisher = next((r for r in resources if isinstance(r, KafkaPublisher)), None)
    influx = next((r for r in resources if isinstance(r, InfluxDB)), None)
    cache = next((r for r in resources if isinstance(r, Cache)), None)
    if publisher is None or influx is None or cache is None:
        return None
    return Stores(publisher, influx, cache)
