"""The batch consumer's partition hand-over: paused until loaded, sought, released, committed."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from typing import Any

import pytest
from aiokafka import TopicPartition

from shared.bus.batch_partitions import Partitions, merge
from shared.bus.errors import classify_error

A, B, C = (TopicPartition("t", n) for n in range(3))


class FakeConsumer:
    def __init__(self, assigned: set[TopicPartition], committed: dict[TopicPartition, int]) -> None:
        self.assigned = assigned
        self.committed_offsets = committed
        self.paused: set[TopicPartition] = set()
        self.positions: dict[TopicPartition, int | str] = {}

    def assignment(self) -> set[TopicPartition]:
        return set(self.assigned)

    def pause(self, *tps: TopicPartition) -> None:
        self.paused |= set(tps)

    def resume(self, *tps: TopicPartition) -> None:
        self.paused -= set(tps)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.positions[tp] = offset

    async def committed(self, tp: TopicPartition) -> int | None:
        return self.committed_offsets.get(tp)

    async def seek_to_beginning(self, tp: TopicPartition) -> None:
        self.positions[tp] = "beginning"


class FakeHandler:
    def __init__(self, starts: Mapping[TopicPartition, int | None]) -> None:
        self.starts = dict(starts)
        self.released: list[set[TopicPartition]] = []
        self.fail: Exception | None = None

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> dict[TopicPartition, int | None]:
        if self.fail is not None:
            raise self.fail
        return {tp: self.starts.get(tp) for tp in partitions}

    async def release(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, int]:
        self.released.append(set(partitions))
        return {tp: 100 + tp.partition for tp in partitions}


def rig(
    starts: Mapping[TopicPartition, int | None],
    committed: dict[TopicPartition, int] | None = None,
    wait_s: float = 0.2,
) -> tuple[Partitions, FakeConsumer, FakeHandler, list[Any]]:
    handler = FakeHandler(starts)
    commits: list[Any] = []

    async def commit(offsets: Any) -> None:
        commits.append(dict(offsets))

    parts = Partitions(handler, classify_error, commit, rebalance_wait_s=wait_s)
    consumer = FakeConsumer({A, B, C}, committed or {})
    parts.consumer = consumer
    return parts, consumer, handler, commits


async def test_assigned_partitions_wait_paused_then_start_where_the_handler_says() -> None:
    parts, consumer, _, _ = rig({A: 7, B: None, C: None}, committed={B: 3})
    parts.assign({A, B, C})
    assert consumer.paused == {A, B, C} and parts.pending == {A, B, C}
    assert await parts.load(consumer) == 0.0
    assert consumer.positions == {A: 7, B: 3, C: "beginning"}
    assert consumer.paused == set() and parts.loaded == {A, B, C} and not parts.pending


async def test_a_load_failing_on_an_outage_stays_pending_and_asks_for_a_pause() -> None:
    parts, consumer, handler, _ = rig({A: 1})
    handler.fail = ConnectionError("redis down")
    parts.assign({A})
    assert await parts.load(consumer) > 0
    assert parts.pending == {A} and consumer.paused == {A} and not parts.loaded
    handler.fail = ValueError("corrupt state")
    with pytest.raises(ValueError, match="corrupt"):
        await parts.load(consumer)


async def test_revoked_partitions_are_released_and_their_offsets_committed() -> None:
    parts, consumer, handler, commits = rig({A: 1, B: 2})
    parts.assign({A, B})
    await parts.load(consumer)
    epoch = parts.epoch
    await parts.revoke({A, C})
    assert handler.released == [{A}]
    assert commits == [{A: 100}]
    assert parts.loaded == {B} and parts.epoch == epoch + 1


async def test_a_revocation_waits_for_the_batch_in_hand_then_gives_up_on_it() -> None:
    parts, consumer, handler, commits = rig({A: 1})
    parts.assign({A})
    await parts.load(consumer)
    async with parts.lock:  # a batch stuck longer than the rebalance wait
        await parts.revoke({A})
    assert handler.released == [] and commits == []
    assert parts.loaded == set()


async def test_after_a_failure_nothing_is_released() -> None:
    parts, consumer, handler, commits = rig({A: 1})
    parts.assign({A})
    await parts.load(consumer)
    parts.broken = True
    await parts.revoke({A})
    assert handler.released == [] and commits == []


async def test_reloading_pauses_every_assigned_partition_until_loaded_again() -> None:
    parts, consumer, _, _ = rig({A: 5, B: 6, C: 7})
    parts.assign({A, B, C})
    await parts.load(consumer)
    consumer.positions.clear()
    parts.reload_all(consumer)
    assert consumer.paused == {A, B, C} and parts.loaded == set()
    await parts.load(consumer)
    assert consumer.positions == {A: 5, B: 6, C: 7}


def test_polls_are_merged_partition_by_partition() -> None:
    into: dict[TopicPartition, list[int]] = {A: [1]}
    assert merge(into, {A: [2, 3], B: [4]}) == 3
    assert into == {A: [1, 2, 3], B: [4]}


async def test_the_lock_keeps_a_revocation_from_overlapping_a_batch() -> None:
    parts, consumer, handler, _ = rig({A: 1}, wait_s=5.0)
    parts.assign({A})
    await parts.load(consumer)
    order: list[str] = []

    async def batch() -> None:
        async with parts.lock:
            await asyncio.sleep(0.05)
            order.append("batch done")

    task = asyncio.create_task(batch())
    await asyncio.sleep(0)
    await parts.revoke({A})
    order.append("released")
    await task
    assert order == ["batch done", "released"] and handler.released == [{A}]
