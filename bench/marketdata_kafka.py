"""Trades through Kafka: the candle pipeline against a bare aiokafka consumer. Prints figures.

    uv run python bench/marketdata_kafka.py [--trades 1000000] [--symbols 8] [--partitions 6]
        [--span-hours 1] [--bootstrap 127.0.0.1:9092] [--redis redis://127.0.0.1:6379/0]
        [--influx http://127.0.0.1:8086]

Pre-fills a fresh topic with Trade messages (a random walk on the tick grid per symbol,
spread over ``--span-hours`` of market time: the longer, the more candles per trade; 1M
trades in 1 hour is a busy live market, in 24 hours a catch-up after downtime), then
measures (a) a bare aiokafka consumer reading the whole topic without decoding, and (b) the
engine's pipeline consuming it end to end: decode, aggregate six timeframes, publish the
bars, write InfluxDB and Redis, save the partition states, commit. Each rate counts from
the first record received to the last one done (for (b): saved and committed). Topics, the
InfluxDB database and the Redis keys are removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline import metrics
from market_data_engine.pipeline.wiring import LINGER_MS, Stores, build_handler
from market_data_engine.settings import MarketDataEngineSettings
from shared.bus import ConsumerOptions, KafkaPublisher, ensure_topics
from shared.bus.batch import Batch, BatchConsumer
from shared.cache import Cache
from shared.clock import FakeClock
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, encode, headers_for, new_envelope
from shared.messages.schemas.marketdata import Trade
from shared.tsdb import InfluxDB

START_NS = 1_767_600_000_000_000_000  # 2026-01-05 08:00 UTC, a Monday
HOUR_NS = 3_600_000_000_000
ROOTS = ("ES", "NQ", "MES", "MNQ", "YM", "RTY", "CL", "GC")
START_PRICE = {"ES": 5000, "NQ": 18000, "MES": 5000, "MNQ": 18000, "YM": 39000, "RTY": 2000}


def symbols(count: int) -> list[str]:
    months = "HMUZ"
    return [f"{ROOTS[i % len(ROOTS)]}{months[i // len(ROOTS) % 4]}6" for i in range(count)]


def trade_messages(
    count: int, names: list[str], span_ns: int, seed: int = 7
) -> list[tuple[bytes, bytes, Any]]:
    """(key, value, headers) of ``count`` trades in time order over about ``span_ns``."""
    rng = random.Random(seed)
    registry = InstrumentRegistry.with_standard_futures()
    ticks = {s: registry.get(s).tick_size for s in names}
    level = {s: int(START_PRICE.get(registry.get(s).root, 80) / ticks[s]) for s in names}
    clock = FakeClock(START_NS)
    step = span_ns // count
    messages = []
    for _ in range(count):
        clock.advance(rng.randint(0, 2 * step))
        symbol = rng.choice(names)
        level[symbol] = max(1, level[symbol] + rng.randint(-2, 2))
        payload = Trade(
            symbol=symbol,
            price=Decimal(level[symbol]) * ticks[symbol],
            size=Decimal(rng.randint(1, 20)),
        )
        envelope: Envelope[Any] = new_envelope(payload, clock=clock, producer="bench")
        messages.append((symbol.encode(), encode(envelope), headers_for(envelope)))
    return messages


async def prefill(bootstrap: str, topic: str, messages: list[tuple[bytes, bytes, Any]]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=1024 * 1024, acks=1
    )
    await producer.start()
    try:
        futures = [
            await producer.send(topic, value, key=key, headers=headers)
            for key, value, headers in messages
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def bare(bootstrap: str, topic: str, total: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=1024 * 1024,
    )
    await consumer.start()
    started, seen = 0.0, 0
    try:
        while seen < total:
            batch = await consumer.getmany(timeout_ms=200, max_records=5000)
            if batch and not started:
                started = time.perf_counter()
            seen += sum(len(records) for records in batch.values())
        return total / (time.perf_counter() - started)
    finally:
        await consumer.stop()


class Timed:
    """Wraps the pipeline handler: notes the first batch and when every record is done."""

    def __init__(self, handler: Any, total: int) -> None:
        self.handler = handler
        self.total = total
        self.started = 0.0
        self.batches = 0
        self.done = 0
        self.committed: dict[Any, int] = {}
        self.finished = asyncio.Event()

    async def load(self, partitions: Any) -> Any:
        return await self.handler.load(partitions)

    async def release(self, partitions: Any) -> Any:
        return await self.handler.release(partitions)

    async def close(self) -> None:
        await self.handler.close()

    async def handle(self, batch: Batch) -> Any:
        if batch.records and not self.started:
            self.started = time.perf_counter()
        self.batches += bool(batch.records)
        offsets = await self.handler.handle(batch)
        self.done += sum((offsets or {}).values()) - sum(
            self.committed.get(tp, 0) for tp in (offsets or {})
        )
        self.committed.update(offsets or {})
        if self.done >= self.total:
            self.finished.set()
        return offsets


async def engine(args: argparse.Namespace, topic: str, total: int, cleanup: list[Any]) -> float:
    tag = uuid.uuid4().hex[:8]
    bars, database, prefix = f"bench.bars.{tag}", f"bench_{tag}", f"bench{tag}"
    cleanup.append(await ensure_topics(args.bootstrap, [(bars, args.partitions)]))
    settings = MarketDataEngineSettings(
        _env_file=None,
        marketdata_trades_topic=topic,
        marketdata_bars_topic=bars,
        marketdata_consumer_group=f"bench-engine-{tag}",
        marketdata_live=False,
        influx_database=database,
    )
    publisher = KafkaPublisher(args.bootstrap, linger_ms=5, max_batch_size=512 * 1024)
    influx = InfluxDB(args.influx, database)
    cache = Cache(args.redis, prefix=prefix)
    for resource in (publisher, influx, cache):
        await resource.start()
    await influx.create_database()
    stores = Stores(publisher, influx, cache)
    timed = Timed(build_handler(settings, stores, decoders=TRADE_DECODERS), total)
    options = ConsumerOptions(max_batch=settings.marketdata_batch_max_records, poll_timeout_ms=200)
    consumer = BatchConsumer(
        bootstrap_servers=args.bootstrap,
        group_id=settings.marketdata_consumer_group,
        topics=[topic],
        handler=timed,
        options=options,
        linger_ms=LINGER_MS,
    )
    bars_before = candles_written()
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    try:
        await timed.finished.wait()
        rate = total / (time.perf_counter() - timed.started)
        written = candles_written() - bars_before
        per_batch = total / max(1, timed.batches)
        print(f"    {timed.batches} batches of {per_batch:,.0f} trades, {written} bars")
    finally:
        await consumer.close()
        await task
        await influx.drop_database(database)
        keys = [key async for key in cache.client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await cache.client.delete(*keys)
        for resource in (publisher, influx, cache):
            await resource.close()
    return rate


def candles_written() -> int:
    return int(
        sum(
            s.value
            for m in metrics.CANDLES.collect()
            for s in m.samples
            if s.name.endswith("_total")
        )
    )


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


async def timed_step(label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = await step()
    print(f"{label}: {time.perf_counter() - started:.1f} s")
    return result


async def main(args: argparse.Namespace) -> None:
    topic = f"bench.trades.{uuid.uuid4().hex[:8]}"
    created: list[list[str]] = [await ensure_topics(args.bootstrap, [(topic, args.partitions)])]
    try:
        names = symbols(args.symbols)
        started = time.perf_counter()
        messages = trade_messages(args.trades, names, int(args.span_hours * HOUR_NS))
        print(
            f"N = {args.trades} trades, {len(names)} symbols, {args.partitions} partitions, "
            f"over {args.span_hours} h of market time"
        )
        print(f"encoding: {time.perf_counter() - started:.1f} s")
        await timed_step("pre-fill", lambda: prefill(args.bootstrap, topic, messages))
        messages.clear()
        gc.collect()
        gc.freeze()  # as the service does when its pipeline starts (see LivePipeline.start)
        bare_rate = await bare(args.bootstrap, topic, args.trades)
        print(f"(a) bare aiokafka consumer: {bare_rate:,.0f} trades/s")
        engine_rate = await engine(args, topic, args.trades, created)
        print(f"(b) candle pipeline end to end: {engine_rate:,.0f} trades/s")
        print(f"ratio (b)/(a): {engine_rate / bare_rate:.2f}")
    finally:
        await delete_topics(args.bootstrap, [name for names in created for name in names])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, default=1_000_000)
    parser.add_argument("--symbols", type=int, default=8)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--span-hours", type=float, default=1.0)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--influx", default="http://127.0.0.1:8086")
    asyncio.run(main(parser.parse_args()))
