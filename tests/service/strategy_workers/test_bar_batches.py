"""The bars consumer's handler: partitions load strategies, orders are acked before offsets."""

from __future__ import annotations

from collections.abc import Collection

import pytest
from aiokafka import TopicPartition

from shared.bus.batch_handler import Batch
from shared.bus.dlq import HEADER_REASON
from shared.bus.types import AnyEnvelope, Record
from shared.db.strategies import StrategyStatus
from shared.messages import encode, headers_for
from strategy_workers.handlers import bar_handlers
from strategy_workers.runtime.bars import BarBatches
from strategy_workers.runtime.records import Intake
from tests.service.strategy_workers.fakes import (
    COMMANDS_TOPIC,
    Rig,
    bar_envelope,
    bars,
    definition,
    rig,
)
from tests.service.strategy_workers.test_bars import CLOSES

TOPIC = "marketdata.bars"
TP = TopicPartition(TOPIC, 0)


def handler_for(r: Rig) -> BarBatches:
    intake = Intake(bar_handlers(r.desk), r.outbound, "strategy-workers", r.clock)
    return BarBatches(r.desk, intake, r.outbound)


def records(envelopes: list[AnyEnvelope], start: int = 0) -> list[Record]:
    return [
        Record(TOPIC, 0, start + i, b"ESZ6", encode(e), tuple(headers_for(e)))
        for i, e in enumerate(envelopes)
    ]


def batch(found: list[Record]) -> Batch:
    return Batch({TP: found}, lambda: True, lambda tp: None, frozenset({TP}))


async def loaded(r: Rig) -> BarBatches:
    handler = handler_for(r)
    r.desk.held = set()
    assert await handler.load([TP]) == {TP: None}  # the group's committed offset
    return handler


async def test_assigned_partitions_load_their_strategies_and_revoked_ones_drop_them():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    handler = await loaded(r)
    assert set(r.desk.slots) == {d.strategy_id}
    assert await handler.release([TP]) == {}
    assert r.desk.slots == {}


async def test_a_batch_commits_after_its_orders_are_published():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    handler = await loaded(r)
    offsets = await handler.handle(batch(records([bar_envelope(b) for b in bars(CLOSES)])))
    assert offsets == {TP: len(CLOSES)}
    assert len(r.bus.records(COMMANDS_TOPIC)) == 3


async def test_when_orders_cannot_be_published_no_offset_is_committed():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    handler = await loaded(r)
    r.bus.down = True
    with pytest.raises(ConnectionError):
        await handler.handle(batch(records([bar_envelope(b) for b in bars(CLOSES)])))
    assert r.bus.records(COMMANDS_TOPIC) == []


async def test_an_undecodable_bar_is_dead_lettered_and_the_others_are_handled():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    handler = await loaded(r)
    good = records([bar_envelope(b) for b in bars(CLOSES)], start=1)
    junk = Record(TOPIC, 0, 0, b"ESZ6", b"\x00garbage", ())
    offsets = await handler.handle(batch([junk, *good]))
    assert offsets == {TP: len(CLOSES) + 1}
    (dead,) = r.bus.records(TOPIC + ".dlq")
    assert (dead.value, dict(dead.headers)[HEADER_REASON]) == (b"\x00garbage", b"decode_failed")
    assert len(r.bus.records(COMMANDS_TOPIC)) == 3


async def test_a_partition_new_to_the_group_starts_at_its_end_and_that_is_committed_first():
    r = rig()

    async def at_the_end(partitions: Collection[TopicPartition]) -> dict[TopicPartition, int]:
        return dict.fromkeys(partitions, 7)

    intake = Intake(bar_handlers(r.desk), r.outbound, "strategy-workers", r.clock)
    handler = BarBatches(r.desk, intake, r.outbound, starts=at_the_end)
    assert await handler.load([TP]) == {TP: 7}
    assert await handler.handle(batch([])) == {TP: 7}
    assert await handler.handle(batch([])) == {}
