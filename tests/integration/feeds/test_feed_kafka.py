"""Feeds against a real Kafka broker: every trade arrives, in order per symbol, keyed by it."""

import asyncio
from collections import defaultdict

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import CollectorRegistry

from market_data_engine.feeds import (
    DEMO_SYMBOLS,
    FeedHealth,
    FeedHealthMonitor,
    FeedMetrics,
    SyntheticMarket,
    run_feed,
    synthetic_feed,
)
from shared.bus import KafkaPublisher, ensure_topics
from shared.instruments import CME_GLOBEX
from shared.messages import decode
from shared.messages.schemas.feeds import FeedState, FeedStatusChanged
from shared.messages.schemas.marketdata import Trade
from shared.messages.topics import MARKETDATA_STATUS, MARKETDATA_TRADES
from tests.infra import Endpoints
from tests.unit.feeds.times import MINUTE, ns

pytestmark = pytest.mark.integration

START = ns("2026-03-02T15:00:00Z")


@pytest.fixture
async def topics(infra: Endpoints, unique):
    """Makes uniquely named topics; deletes them after the test."""
    made: list[str] = []

    async def make(prefix: str, partitions: int) -> str:
        name: str = unique(prefix)
        await ensure_topics(infra.kafka_bootstrap, [(name, partitions)], dlq=False)
        made.append(name)
        return name

    yield make
    admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka_bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(made)
    finally:
        await admin.close()


@pytest.fixture
async def publisher(infra: Endpoints):
    publisher = KafkaPublisher(infra.kafka_bootstrap, client_id="feeds-it")
    await publisher.start()
    yield publisher
    await publisher.close()


async def read_all(bootstrap: str, topic: str, count: int, timeout_s: float = 30.0):
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < count:
                for part in (await consumer.getmany(timeout_ms=200)).values():
                    records.extend(part)
    finally:
        await consumer.stop()
    return records


async def test_a_synthetic_feed_arrives_complete_and_in_order_per_symbol(infra, topics, publisher):
    topic = await topics("it.feeds.trades", MARKETDATA_TRADES.partitions)
    market = SyntheticMarket(DEMO_SYMBOLS, seed=7)
    expected = list(market.trades(START, START + 2 * MINUTE))
    feed = synthetic_feed(market, speed=0, start_ns=START, end_ns=START + 2 * MINUTE)
    report = await run_feed(feed, publisher, batch_size=500, topic=topic)
    assert report.published == len(expected) > 500

    records = await read_all(infra.kafka_bootstrap, topic, len(expected))
    assert len(records) == len(expected)
    received: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for record in records:
        envelope = decode(record.value, list(record.headers))
        trade = envelope.payload
        assert isinstance(trade, Trade)
        assert record.key == trade.symbol.encode()
        received[trade.symbol].append((envelope.ts_event, trade.venue_trade_id))
    wanted: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for sent in expected:
        wanted[sent.symbol].append((sent.ts, sent.trade_id))
    assert received == wanted  # same trades, same order within each symbol's partition


async def test_feed_health_changes_reach_the_status_topic(infra, topics, publisher):
    trades_topic = await topics("it.feeds.trades", 1)
    status_topic = await topics("it.feeds.status", MARKETDATA_STATUS.partitions)
    market = SyntheticMarket(["ESZ6"], seed=3)
    feed = synthetic_feed(market, speed=0, start_ns=START, end_ns=START + MINUTE)
    health = FeedHealth(MINUTE, lambda s: CME_GLOBEX, started_ns=START, symbols=["ESZ6", "NQZ6"])
    monitor = FeedHealthMonitor(
        health,
        publisher,
        FeedMetrics(CollectorRegistry()),
        clock=feed.market_clock,
        producer="market_data_engine.feed.synthetic",
        topic=status_topic,
    )
    await run_feed(feed, publisher, topic=trades_topic, health=monitor)
    [record, other] = sorted(
        await read_all(infra.kafka_bootstrap, status_topic, 2), key=lambda r: r.key
    )
    assert (record.key, other.key) == (b"ESZ6", b"NQZ6")
    status = decode(record.value, list(record.headers)).payload
    assert isinstance(status, FeedStatusChanged) and status.state is FeedState.LIVE
