"""Aborting the pipeline ends it even when an await inside its consumer lost the cancellation."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection

import pytest
from aiokafka import TopicPartition

from market_data_engine.pipeline.runner import LivePipeline
from shared.bus.batch import Batch, BatchConsumer
from tests.integration.market_data_engine.pipeline.conftest import FAST, Rig

pytestmark = pytest.mark.integration


class LosesCancellation:
    """A handler whose first await swallows a cancellation, as Python 3.11's
    ``asyncio.wait_for`` does when it arrives just as the awaited operation ends (redis-py
    sends every command under one)."""

    def __init__(self) -> None:
        self.handling = asyncio.Event()
        self.swallowed = False

    async def load(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, None]:
        return dict.fromkeys(partitions)

    async def handle(self, batch: Batch) -> dict[TopicPartition, int]:
        self.handling.set()
        if not self.swallowed:
            self.swallowed = True
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(60)
        return {}

    async def release(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, int]:
        return {}

    async def close(self) -> None:
        pass


async def test_abort_ends_the_run_although_the_handler_swallowed_the_cancellation(
    rig: Rig,
) -> None:
    handler = LosesCancellation()
    consumer = BatchConsumer(
        bootstrap_servers=rig.infra.kafka_bootstrap,
        group_id=rig.group,
        topics=[rig.trades],
        handler=handler,
        options=FAST,
    )
    pipeline = LivePipeline(lambda: consumer)
    pipeline.start()
    try:
        async with asyncio.timeout(60):
            await handler.handling.wait()
    finally:
        aborting = asyncio.create_task(pipeline.abort())
        done, _ = await asyncio.wait([aborting], timeout=30)
        if not done:  # a second cancellation goes through: the run ends, the test fails
            aborting.cancel()
            await asyncio.wait([aborting])
    assert done, "abort() left the consumer running"
    assert not pipeline.running
