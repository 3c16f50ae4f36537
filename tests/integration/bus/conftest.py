"""Fixtures and helpers of the bus integration tests: topics, publishers, group offsets."""

import asyncio
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient

from shared.bus import ConsumerOptions, KafkaPublisher, ensure_topics
from tests.infra import Endpoints

FAST = ConsumerOptions(
    session_timeout_ms=6_000,
    heartbeat_interval_ms=300,
    poll_timeout_ms=100,
    request_timeout_ms=10_000,
    lag_interval_s=0.1,
    rebalance_wait_s=3.0,
)


@pytest.fixture(scope="session")
def kafka_bootstrap(infra: Endpoints) -> str:
    return infra.kafka_bootstrap


@pytest.fixture
async def publisher(kafka_bootstrap):
    publisher = KafkaPublisher(kafka_bootstrap, client_id="bus-it", linger_ms=1)
    await publisher.start()
    yield publisher
    await publisher.close()


@pytest.fixture
async def new_topic(kafka_bootstrap):
    """Makes uniquely named topics (with DLQ twins); deletes them after the test."""
    created: list[str] = []

    async def make(partitions: int = 1) -> str:
        name = f"it.bus.{uuid.uuid4().hex[:10]}"
        created.extend(await ensure_topics(kafka_bootstrap, [(name, partitions)]))
        return name

    yield make
    await delete_topics(kafka_bootstrap, created)


async def delete_topics(bootstrap: str, names: list[str]) -> None:
    """Delete test topics from the shared broker."""
    if not names:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names)
    finally:
        await admin.close()


def unique_group(label: str) -> str:
    return f"it-bus-{label}-{uuid.uuid4().hex[:8]}"


async def read_topic(bootstrap: str, topic: str, count: int, timeout_s: float = 15.0):
    """The first ``count`` records of a topic, read without a group."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(records) < count:
                batch = await consumer.getmany(timeout_ms=200)
                for part in batch.values():
                    records.extend(part)
    finally:
        await consumer.stop()
    return records


async def committed_offsets(bootstrap: str, group_id: str) -> dict[tuple[str, int], int]:
    """The group's committed offsets by (topic, partition)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group_id)
    finally:
        await admin.close()
    return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()}


async def eventually(condition, timeout_s: float = 15.0) -> None:
    """Wait until ``condition()`` holds; a guard against hanging, not a timing assertion."""
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110 (the condition is state, not an event)
            await asyncio.sleep(0.02)


async def describe(bootstrap: str, topics: list[str]) -> list[dict[str, Any]]:
    """Topic metadata (name, partitions) as the brokers report it."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return list(await admin.describe_topics(topics))
    finally:
        await admin.close()
