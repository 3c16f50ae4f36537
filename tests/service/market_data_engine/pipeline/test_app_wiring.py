"""The engine's app runs the candle pipeline when its stores are real, and survives them down."""

from __future__ import annotations

import asyncio

from market_data_engine.app import build_app, find_stores
from market_data_engine.settings import MarketDataEngineSettings
from shared.bus import KafkaPublisher
from shared.cache import Cache
from shared.tsdb import InfluxDB
from tests.support.asgi import serve_in_process, wait_for_ready_status
from tests.support.fake_resources import FakeResource

CLOSED_PORT = "127.0.0.1:9"  # discard: nothing listens, connecting fails at once


def settings() -> MarketDataEngineSettings:
    return MarketDataEngineSettings(
        _env_file=None,
        dependency_check_interval_s=0.05,
        dependency_check_timeout_s=0.5,
        kafka_bootstrap_servers=CLOSED_PORT,
        marketdata_consumer_group="never-joined",
    )


def unreachable_stores() -> list[KafkaPublisher | Cache | InfluxDB]:
    return [
        KafkaPublisher(CLOSED_PORT, request_timeout_ms=500),
        Cache(f"redis://{CLOSED_PORT}/0", timeout_s=0.2, retries=0),
        InfluxDB(f"http://{CLOSED_PORT}", "tickstream", timeout_s=0.2),
    ]


async def test_with_stand_in_resources_there_is_no_pipeline() -> None:
    fakes = [FakeResource("kafka"), FakeResource("redis"), FakeResource("influxdb")]
    assert find_stores(fakes) is None
    app = build_app(settings(), fakes)
    async with serve_in_process(app) as client:
        await wait_for_ready_status(client, 200)
        assert app.state.pipeline is None


async def test_with_its_stores_down_the_engine_starts_not_ready_and_stops_cleanly() -> None:
    stores = unreachable_stores()
    assert find_stores(stores) is not None
    app = build_app(settings(), stores)
    async with serve_in_process(app) as client:
        response = await wait_for_ready_status(client, 503)
        assert {d["name"] for d in response.json()["dependencies"] if not d["up"]} == {
            "kafka",
            "redis",
            "influxdb",
        }
        await asyncio.sleep(0.3)  # the pipeline waits for the stores meanwhile
        pipeline = app.state.pipeline
        assert pipeline is not None
        assert pipeline.running and not pipeline.consuming and pipeline.failures == 0
    assert not pipeline.running  # stopped with the app
