"""Real Kafka, Redis and InfluxDB for the candle pipeline: unique topics, database, prefix."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline.runner import LivePipeline
from market_data_engine.pipeline.wiring import Stores, build_live_pipeline
from market_data_engine.settings import MarketDataEngineSettings
from shared.bus import ConsumerOptions, KafkaPublisher, ensure_topics
from shared.cache import Cache
from shared.tsdb import InfluxDB
from tests.infra import Endpoints

FAST = ConsumerOptions(
    session_timeout_ms=6_000,
    heartbeat_interval_ms=300,
    poll_timeout_ms=100,
    request_timeout_ms=10_000,
    lag_interval_s=0.1,
    rebalance_wait_s=3.0,
    max_batch=500,
)


@dataclass
class Rig:
    """One test's stores and names, and pipelines built over them."""

    infra: Endpoints
    trades: str
    bars: str
    group: str
    stores: Stores

    def settings(self, **overrides: Any) -> MarketDataEngineSettings:
        values: dict[str, Any] = {
            "kafka_bootstrap_servers": self.infra.kafka_bootstrap,
            "marketdata_trades_topic": self.trades,
            "marketdata_bars_topic": self.bars,
            "marketdata_consumer_group": self.group,
            "marketdata_live": False,
            "influx_database": self.stores.influx.database,
        }
        return MarketDataEngineSettings(_env_file=None, **{**values, **overrides})

    def pipeline(self, **overrides: Any) -> LivePipeline:
        return build_live_pipeline(
            self.settings(**overrides), self.stores, decoders=TRADE_DECODERS, options=FAST
        )

    async def saved_offsets(self) -> dict[int, int]:
        """Offsets of the partition states saved in Redis, by partition."""
        keys = [k async for k in self.stores.cache.client.scan_iter(match=self._state_keys())]
        found = {}
        for key in keys:
            data = await self.stores.cache.get_json(key.decode())
            found[int(key.decode().rsplit(":", 1)[1])] = data["offset"]
        return found

    def _state_keys(self) -> str:
        return self.stores.cache.key("pipeline", self.group, self.trades, "*")


@pytest.fixture
async def rig(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[Rig]:
    trades, bars = unique("it.md.trades"), unique("it.md.bars")
    created = await ensure_topics(infra.kafka_bootstrap, [(trades, 3), (bars, 3)])
    database, prefix = unique("it_md"), unique("itmd")
    publisher = KafkaPublisher(infra.kafka_bootstrap, linger_ms=1)
    influx = InfluxDB(infra.influx_url, database)
    cache = Cache(infra.redis_url, prefix=prefix)
    for resource in (publisher, influx, cache):
        await resource.start()
    await influx.create_database()
    try:
        yield Rig(infra, trades, bars, unique("it-md-group"), Stores(publisher, influx, cache))
    finally:
        await influx.drop_database(database)
        keys = [key async for key in cache.client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await cache.client.delete(*keys)
        for resource in (publisher, influx, cache):
            await resource.close()
        await delete_topics(infra.kafka_bootstrap, created)


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


async def read_all(bootstrap: str, topic: str, *, idle_s: float = 1.5) -> list[Any]:
    """Every record of a topic, read without a group until nothing came for ``idle_s``."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[Any] = []
    try:
        quiet = 0.0
        while quiet < idle_s:
            batch = await consumer.getmany(timeout_ms=250)
            got = [r for part in batch.values() for r in part]
            found.extend(got)
            quiet = 0.0 if got else quiet + 0.25
    finally:
        await consumer.stop()
    return found


async def eventually(condition: Callable[[], Any], timeout_s: float = 60.0) -> None:
    """Wait until the (async) condition holds; a guard against hanging, not a timing check."""
    async with asyncio.timeout(timeout_s):
        while not await condition():  # noqa: ASYNC110 (polling state kept elsewhere)
            await asyncio.sleep(0.02)
