"""The layout of the bars topic: how many partitions, and which one carries a symbol."""

from __future__ import annotations

from collections.abc import Collection

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2

from strategy_workers.domain.routing import Placement


async def partition_count(bootstrap_servers: str, topic: str) -> int:
    """The topic's partition count, from the cluster's metadata."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    partitions = described.get("partitions") or []
    if described.get("error_code") or not partitions:
        raise RuntimeError(f"topic {topic} is not in the cluster: {described}")
    return len(partitions)


def placement(partitions: int) -> Placement:
    """Where Kafka's default partitioner puts a symbol's key among ``partitions``."""

    def place(symbol: str) -> int:
        return int(murmur2(symbol.encode()) & 0x7FFFFFFF) % partitions

    return place


async def starts(
    bootstrap_servers: str, group_id: str, partitions: Collection[TopicPartition]
) -> dict[TopicPartition, int | None]:
    """Where a bars consumer starts each partition: None (its group's committed offset)
    where the group has one, else the partition's end: a new group trades from now on, it
    does not replay the topic's history as live bars."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group_id, partitions=list(partitions))
    finally:
        await admin.close()
    fresh = [tp for tp in partitions if tp not in committed or committed[tp].offset < 0]
    ends: dict[TopicPartition, int] = {}
    if fresh:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None)
        await consumer.start()
        try:
            ends = await consumer.end_offsets(fresh)
        finally:
            await consumer.stop()
    return {tp: ends.get(tp) for tp in partitions}
