"""Kafka round trip: bare aiokafka against KafkaPublisher + ConsumerLoop. Prints figures.

    uv run python bench/bus_roundtrip.py [--bootstrap 127.0.0.1:9092] [--messages 2000]

Each run creates its own topics and consumer groups. "publish_many" sends all messages
then waits for every ack; "publish one by one" awaits each ack before the next send.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from shared.bus import ConsumerLoop, ConsumerOptions, KafkaPublisher, ensure_topics
from shared.clock import SystemClock
from shared.messages import Envelope, encode, headers_for, new_envelope
from shared.messages.schemas.marketdata import Trade

Msg = Envelope[Any]
OPTIONS = ConsumerOptions(heartbeat_interval_ms=500, poll_timeout_ms=100, max_batch=500)


def trades(count: int) -> list[Envelope[Any]]:
    clock = SystemClock()
    return [
        new_envelope(
            Trade(symbol=f"S{i % 16}", price=Decimal("100.25"), size=Decimal(1)),
            clock=clock,
            producer="bench",
        )
        for i in range(count)
    ]


async def bare(bootstrap: str, topic: str, messages: Sequence[Msg]) -> tuple[float, float]:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=5)
    await producer.start()
    started = time.perf_counter()
    futures = [
        await producer.send(topic, encode(m), key=m.payload.symbol.encode(), headers=headers_for(m))
        for m in messages
    ]
    await asyncio.gather(*futures)
    produced = time.perf_counter() - started
    await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-bare-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    started = time.perf_counter()
    seen = 0
    while seen < len(messages):
        batch = await consumer.getmany(timeout_ms=100, max_records=500)
        for records in batch.values():
            seen += len(records)
        await consumer.commit()
    consumed = time.perf_counter() - started
    await consumer.stop()
    return produced, consumed


async def ours(bootstrap: str, topic: str, messages: Sequence[Msg]) -> tuple[float, float]:
    publisher = KafkaPublisher(bootstrap, linger_ms=5)
    await publisher.start()
    started = time.perf_counter()
    await publisher.publish_many(messages, topic=topic)
    produced = time.perf_counter() - started

    done = asyncio.Event()
    seen = 0

    async def handle(envelope: Envelope[Any]) -> None:
        nonlocal seen
        seen += 1
        if seen >= len(messages):
            done.set()

    loop = ConsumerLoop(
        bootstrap_servers=bootstrap,
        group_id=f"bench-ours-{uuid.uuid4().hex[:8]}",
        topics=[topic],
        handlers=handle,
        publisher=publisher,
        options=OPTIONS,
    )
    await loop.start()
    started = time.perf_counter()
    task = asyncio.create_task(loop.run())
    await done.wait()
    consumed = time.perf_counter() - started
    await loop.close()
    await task
    await publisher.close()
    return produced, consumed


async def one_by_one(bootstrap: str, topic: str, messages: Sequence[Msg]) -> list[float]:
    publisher = KafkaPublisher(bootstrap, linger_ms=0)
    await publisher.start()
    latencies = []
    for message in messages:
        started = time.perf_counter()
        await publisher.publish(message, topic=topic)
        latencies.append(time.perf_counter() - started)
    await publisher.close()
    return latencies


async def main(bootstrap: str, count: int) -> None:
    run = uuid.uuid4().hex[:8]
    topics = [f"bench.bus.{run}.{name}" for name in ("bare", "ours", "single")]
    await ensure_topics(bootstrap, [(t, 6) for t in topics], dlq=False)
    await asyncio.sleep(2)  # new partitions elect leaders; sends before that are retried
    messages = trades(count)
    bare_p, bare_c = await bare(bootstrap, topics[0], messages)
    ours_p, ours_c = await ours(bootstrap, topics[1], messages)
    single = await one_by_one(bootstrap, topics[2], messages[: min(count, 300)])
    print(f"messages: {count}, partitions: 6, bootstrap: {bootstrap}")
    print(f"{'':28}{'produce msg/s':>15}{'consume msg/s':>15}")
    print(f"{'bare aiokafka':28}{count / bare_p:>15,.0f}{count / bare_c:>15,.0f}")
    print(f"{'KafkaPublisher+ConsumerLoop':28}{count / ours_p:>15,.0f}{count / ours_c:>15,.0f}")
    ms = sorted(x * 1000 for x in single)
    p99 = ms[int(len(ms) * 0.99) - 1]
    print(f"publish one by one ({len(ms)}): p50 {statistics.median(ms):.2f} ms, p99 {p99:.2f} ms")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(topics)
    finally:
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.bootstrap, args.messages))
