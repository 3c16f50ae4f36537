"""The bus against a real Kafka broker: round trip, DLQ, commits, restarts, rebalances."""

import asyncio
import random
import uuid
from decimal import Decimal
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError
from prometheus_client import REGISTRY

from shared.bus import (
    ConsumerLoop,
    Handler,
    Handlers,
    KafkaPublisher,
    Publisher,
    RetryPolicy,
    ensure_topics,
)
from shared.clock import FakeClock
from shared.messages import Envelope, new_envelope
from shared.messages.schemas.marketdata import Trade
from tests.integration.bus.conftest import (
    FAST,
    committed_offsets,
    delete_topics,
    describe,
    eventually,
    read_topic,
    unique_group,
)

pytestmark = pytest.mark.integration

CLOCK = FakeClock(1_700_000_000_000_000_000)
LAG = "tickstream_bus_consumer_lag"
FAST_RETRY = RetryPolicy(max_attempts=3, base_backoff_s=0.01, max_backoff_s=0.05)


def trade(symbol: str = "ESZ5", price: str = "5000.25") -> Envelope[Trade]:
    payload = Trade(symbol=symbol, price=Decimal(price), size=Decimal(2))
    return new_envelope(payload, clock=CLOCK, producer="bus-it")


def make_loop(
    bootstrap: str,
    publisher: Publisher,
    group: str,
    topic: str,
    handler: Handlers,
    **kwargs: Any,
) -> ConsumerLoop:
    return ConsumerLoop(
        bootstrap_servers=bootstrap,
        group_id=group,
        topics=[topic],
        handlers=handler,
        publisher=publisher,
        options=kwargs.pop("options", FAST),
        policy=kwargs.pop("policy", FAST_RETRY),
        rng=random.Random(1),
        **kwargs,
    )


class Running:
    """A started consumer loop running in a task, stopped and closed on exit."""

    def __init__(self, loop: ConsumerLoop) -> None:
        self.loop = loop

    async def __aenter__(self) -> ConsumerLoop:
        await self.loop.start()
        self.task = asyncio.create_task(self.loop.run())
        return self.loop

    async def __aexit__(self, *exc: object) -> None:
        await self.loop.close()
        await self.task


async def test_ensure_topics_creates_dlq_twins_and_is_idempotent(kafka_bootstrap):
    name = f"it.bus.{uuid.uuid4().hex[:10]}"
    created = await ensure_topics(kafka_bootstrap, [(name, 3)])
    try:
        assert created == [name, name + ".dlq"]
        assert await ensure_topics(kafka_bootstrap, [(name, 3)]) == []
        [twin] = await describe(kafka_bootstrap, [name + ".dlq"])
        assert len(twin["partitions"]) == 3
    finally:
        await delete_topics(kafka_bootstrap, created)


async def test_message_round_trips_with_its_envelope_and_headers(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic()
    sent = trade()
    await publisher.publish(sent, topic=topic)

    [raw] = await read_topic(kafka_bootstrap, topic, 1)
    headers = dict(raw.headers)
    assert raw.key == b"ESZ5"
    assert headers["type"] == b"Trade"
    assert headers["version"] == b"1"
    assert headers["message_id"] == str(sent.message_id).encode()

    received = []

    async def handle(envelope):
        received.append(envelope)

    loop = make_loop(kafka_bootstrap, publisher, unique_group("rt"), topic, {"Trade": handle})
    async with Running(loop):
        await eventually(lambda: received)
        await loop.ping()
    assert received == [sent]
    assert received[0].payload.price == Decimal("5000.25")


async def test_poison_message_goes_to_the_dlq_and_the_consumer_carries_on(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic()
    await publisher.publish_raw(topic, b"ESZ5", b"{definitely not json", [("trace", b"t-1")])
    good = trade()
    await publisher.publish(good, topic=topic)
    group = unique_group("poison")
    received = []

    async def handle(envelope):
        received.append(envelope)

    async with Running(make_loop(kafka_bootstrap, publisher, group, topic, handle)):
        await eventually(lambda: received)

    assert received == [good]
    [dead] = await read_topic(kafka_bootstrap, topic + ".dlq", 1)
    headers = dict(dead.headers)
    assert (dead.key, dead.value) == (b"ESZ5", b"{definitely not json")
    assert headers["trace"] == b"t-1"
    assert headers["dlq.reason"] == b"decode_failed"
    assert headers["dlq.detail"].startswith(b"DecodeError: malformed_json")
    assert headers["dlq.source.topic"] == topic.encode()
    assert headers["dlq.source.partition"] == b"0"
    assert headers["dlq.source.offset"] == b"0"
    assert headers["dlq.consumer"] == group.encode()
    assert int(headers["dlq.ts"]) > 0
    assert await committed_offsets(kafka_bootstrap, group) == {(topic, 0): 2}


async def test_offsets_are_not_committed_for_work_that_failed(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic()
    messages = [trade("ES"), trade("NQ"), trade("CL")]
    await publisher.publish_many(messages, topic=topic)
    group = unique_group("fail")
    handled, attempts = [], []

    async def database_down_for_nq(envelope):
        if envelope.payload.symbol == "NQ":
            attempts.append(envelope.message_id)
            raise ConnectionRefusedError("postgres is down")
        handled.append(envelope.message_id)

    loop = make_loop(kafka_bootstrap, publisher, group, topic, database_down_for_nq)
    lag_labels = {"group": group, "topic": topic, "partition": "0"}
    async with Running(loop):
        await eventually(lambda: len(attempts) >= 5)
        # NQ and CL are not done while the outage lasts; the lag says so.
        await eventually(lambda: REGISTRY.get_sample_value(LAG, lag_labels) == 2)
    assert REGISTRY.get_sample_value(LAG, lag_labels) is None
    assert handled == [messages[0].message_id]
    assert await committed_offsets(kafka_bootstrap, group) == {(topic, 0): 1}

    redelivered = []

    async def database_back(envelope):
        redelivered.append(envelope.message_id)

    async with Running(make_loop(kafka_bootstrap, publisher, group, topic, database_back)):
        await eventually(lambda: len(redelivered) >= 2)
    assert redelivered == [messages[1].message_id, messages[2].message_id]
    assert await committed_offsets(kafka_bootstrap, group) == {(topic, 0): 3}
    empty = await read_topic(kafka_bootstrap, topic + ".dlq", 0)
    assert empty == []


async def test_restarted_consumer_resumes_without_loss_or_duplicates(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic(3)
    rng = random.Random(42)
    symbols = ["ES", "NQ", "CL", "GC", "ZN", "6E"]
    messages = [trade(rng.choice(symbols), str(rng.randint(100, 200))) for _ in range(40)]
    await publisher.publish_many(messages, topic=topic)
    group = unique_group("restart")
    first: list[uuid.UUID] = []
    second: list[uuid.UUID] = []
    enough = asyncio.Event()

    def recorder(seen: list[uuid.UUID]) -> Handler:
        async def handle(envelope):
            seen.append(envelope.message_id)
            if len(first) >= 15:
                enough.set()
            await asyncio.sleep(0.005)

        return handle

    async with Running(make_loop(kafka_bootstrap, publisher, group, topic, recorder(first))):
        await asyncio.wait_for(enough.wait(), 20)
    committed = await committed_offsets(kafka_bootstrap, group)
    assert sum(committed.values()) == len(first)

    async with Running(make_loop(kafka_bootstrap, publisher, group, topic, recorder(second))):
        await eventually(lambda: len(first) + len(second) >= len(messages))

    assert 15 <= len(first) < len(messages)
    assert set(first).isdisjoint(second)
    assert sorted(first + second) == sorted(m.message_id for m in messages)
    assert sum((await committed_offsets(kafka_bootstrap, group)).values()) == len(messages)


async def test_a_member_joining_midway_takes_over_partitions_without_loss_or_duplicates(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic(4)
    messages = [trade(f"S{i % 8}") for i in range(80)]
    await publisher.publish_many(messages, topic=topic)
    group = unique_group("rebalance")
    seen: dict[str, list[uuid.UUID]] = {"a": [], "b": []}

    def recorder(name: str) -> Handler:
        async def handle(envelope):
            seen[name].append(envelope.message_id)
            await asyncio.sleep(0.02)

        return handle

    def total() -> int:
        return len(seen["a"]) + len(seen["b"])

    async with Running(make_loop(kafka_bootstrap, publisher, group, topic, recorder("a"))):
        await eventually(lambda: total() >= 10)
        async with Running(make_loop(kafka_bootstrap, publisher, group, topic, recorder("b"))):
            await eventually(lambda: len(set(seen["a"] + seen["b"])) >= len(messages), 25)

    assert seen["b"], "the second member never got a partition"
    # What a member had done was committed before its partitions moved: nothing twice.
    assert sorted(seen["a"] + seen["b"]) == sorted(m.message_id for m in messages)
    assert sum((await committed_offsets(kafka_bootstrap, group)).values()) == len(messages)


async def test_publisher_and_consumer_ping_kafka_and_refuse_an_unreachable_one(
    kafka_bootstrap, publisher, new_topic
):
    await publisher.ping()
    nowhere = KafkaPublisher("127.0.0.1:1", request_timeout_ms=2_000)
    with pytest.raises(KafkaConnectionError):
        await nowhere.start()
    with pytest.raises(RuntimeError):
        await nowhere.ping()
    await nowhere.close()

    loop = make_loop(kafka_bootstrap, publisher, unique_group("ping"), await new_topic(), {})
    await loop.start()
    await loop.ping()
    await loop.close()
    with pytest.raises(RuntimeError):
        await loop.ping()


async def test_batched_publish_keeps_keys_on_the_partitions_send_would_choose(
    kafka_bootstrap, publisher, new_topic
):
    topic = await new_topic(partitions=6)
    symbols = [f"SYM{i}" for i in range(12)]
    batched = [trade(symbol) for symbol in symbols for _ in range(3)]
    await publisher.publish_many(batched, topic=topic)
    for symbol in symbols:  # the producer's own partitioner, one record at a time
        await publisher.publish_raw(topic, symbol.encode(), b"raw", [])
    records = await read_topic(kafka_bootstrap, topic, len(batched) + len(symbols))
    partitions_of: dict[bytes, set[int]] = {}
    for record in records:
        partitions_of.setdefault(record.key, set()).add(record.partition)
    assert all(len(found) == 1 for found in partitions_of.values()), partitions_of
    assert len({p for found in partitions_of.values() for p in found}) > 1
    order = [
        r.value for r in sorted(records, key=lambda r: (r.partition, r.offset)) if r.key == b"SYM0"
    ]
    assert order[-1] == b"raw" and len(order) == 4
