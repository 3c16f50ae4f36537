"""The workers' adapters against the real servers: stored candles and where bars start."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from market_data_engine.adapters.candle_format import influx_line
from shared.bus import KafkaPublisher, ensure_topics
from shared.clock import SystemClock
from shared.messages.envelope import new_envelope
from shared.messages.schemas.marketdata import Trade
from shared.strategy.candles import candle_of
from shared.tsdb import InfluxDB
from strategy_workers.adapters.candles import InfluxCandleHistory
from strategy_workers.adapters.partitions import partition_count, starts
from tests.infra import Endpoints
from tests.integration.strategy_workers.market import MINUTE, minute_bars

pytestmark = pytest.mark.integration


async def test_stored_candles_come_back_as_written_newest_last(
    infra: Endpoints, unique: Callable[[str], str]
) -> None:
    influx = InfluxDB(infra.influx_url, unique("it_sw_candles"))
    await influx.start()
    await influx.create_database()
    try:
        bars = minute_bars("ESZ6", [5000, 5000.25, 4999.75, 5001.5, 5002])
        await influx.write_lines([influx_line(b) for b in bars])
        history = InfluxCandleHistory(influx)
        found = await history.before("ESZ6", "1m", bars[4].close_time, limit=3)
        assert found == [candle_of(b) for b in bars[2:5]]
        assert await history.before("ESZ6", "1m", bars[2].open_time, 10) == [
            candle_of(b) for b in bars[:2]
        ]
        assert await history.before("ESZ6", "5m", bars[4].close_time + MINUTE, 10) == []
    finally:
        await influx.drop_database(influx.database)
        await influx.close()


async def test_a_new_group_starts_at_the_end_and_a_known_one_where_it_committed(
    infra: Endpoints, unique: Callable[[str], str]
) -> None:
    topic, group = unique("it.sw.start"), unique("it-sw-start")
    await ensure_topics(infra.kafka_bootstrap, [(topic, 2)], dlq=False)
    publisher = KafkaPublisher(infra.kafka_bootstrap)
    await publisher.start()
    try:
        trade = Trade(symbol="ESZ6", price=5000, size=1)
        envelopes = [new_envelope(trade, clock=SystemClock(), producer="it") for _ in range(3)]
        await publisher.publish_many(envelopes, topic=topic)
    finally:
        await publisher.close()
    assert await partition_count(infra.kafka_bootstrap, topic) == 2
    tps = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
    fresh = await starts(infra.kafka_bootstrap, group, tps)
    assert sum(start or 0 for start in fresh.values()) == 3  # every partition at its end
    assert None not in fresh.values()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=infra.kafka_bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        async with asyncio.timeout(60):
            while len(consumer.assignment()) < 2:  # joined the group with both partitions
                await consumer.getmany(timeout_ms=200)
        await consumer.commit({tps[0]: 0, tps[1]: 0})
    finally:
        await consumer.stop()
    assert await starts(infra.kafka_bootstrap, group, tps) == {tps[0]: None, tps[1]: None}
