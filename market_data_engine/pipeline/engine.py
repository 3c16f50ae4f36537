"""Trades to candles, partition by partition: the ``BatchHandler`` the batch consumer feeds.

Per batch: decode and aggregate each partition's records (bad ones become dead letters),
advance caught-up partitions by the clock in live mode, encode the states due for saving,
then write the closed candles, forming candles, last trades, dead letters and those states
(see ``writer``). One batch's write is in flight while the next batch is aggregated, so
waiting on Kafka, InfluxDB and Redis overlaps with decoding; writes still happen one after
another, in batch order. ``handle`` returns the offsets of the write that just ended, for
Kafka to commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass

from aiokafka import TopicPartition

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.timeframes import base_width_ns, parse_timeframes
from market_data_engine.pipeline import metrics
from market_data_engine.pipeline.collect import collect
from market_data_engine.pipeline.config import PipelineConfig
from market_data_engine.pipeline.decoding import BadTrade, TradeDecoder
from market_data_engine.pipeline.outputs import Outputs
from market_data_engine.pipeline.partition import PartitionState
from market_data_engine.pipeline.snapshots import SnapshotStore, decode_state, encode_state
from market_data_engine.pipeline.symbols import SymbolDirectory
from market_data_engine.pipeline.writer import OutputWriter
from shared.bus.batch import Batch
from shared.bus.retry import Abandoned
from shared.clock import Clock
from shared.messages.schemas.marketdata import Bar

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Flight:
    """A batch's write under way: what becomes durable when it ends."""

    task: asyncio.Task[None]
    offsets: dict[TopicPartition, int]
    bars: list[Bar]


class CandlePipeline:
    """Per-partition aggregation with durable outputs and saved states."""

    def __init__(
        self,
        config: PipelineConfig,
        *,
        decoder: TradeDecoder,
        symbols: SymbolDirectory,
        writer: OutputWriter,
        snapshots: SnapshotStore,
        clock: Clock,
    ) -> None:
        self.config = config
        self._decoder = decoder
        self._symbols = symbols
        self._writer = writer
        self._snapshots = snapshots
        self._clock = clock
        self._timeframes = [tf.name for tf in parse_timeframes(config.timeframes)]
        self._base_ns = base_width_ns(parse_timeframes(config.timeframes))
        self.states: dict[TopicPartition, PartitionState] = {}
        self._in_flight: Flight | None = None

    async def load(
        self, partitions: Collection[TopicPartition]
    ) -> dict[TopicPartition, int | None]:
        """Restore each partition's saved state (or start empty); where to read from."""
        saved = await self._snapshots.load(partitions)
        for tp in partitions:
            data = saved.get(tp)
            self.states[tp] = self._restore(data) if data is not None else self._empty()
            log.info("%s: resuming at offset %s", tp, self.states[tp].next_offset)
        return {tp: self.states[tp].next_offset for tp in partitions}

    async def handle(self, batch: Batch) -> dict[TopicPartition, int] | None:
        """Aggregate the batch and start writing it; the offsets of the previous batch's
        write, now durable (None: that write was abandoned, every state is dropped)."""
        for tp in [tp for tp in self.states if tp not in batch.partitions]:
            del self.states[tp]  # revoked while a batch was stuck; its next owner has it
        if not batch.partitions <= self.states.keys():
            await self._abandon()  # a state was dropped: reload them all
            return None
        rejected: list[tuple[object, BadTrade]] = []
        applied = 0
        for tp, records in batch.records.items():
            applied += self.states[tp].apply(records, self._decoder, rejected)
        metrics.TRADES.inc(applied)
        now = self._clock.now_ns()
        if self.config.live:
            for tp, state in self.states.items():
                highwater = batch.highwater(tp)
                if highwater is not None and (state.next_offset or 0) >= highwater:
                    state.advance_to(now)
        outputs = collect(self.states.values(), rejected, self._timeframes)
        saving = self._save(outputs, now)
        offsets = await self._finish()
        if offsets is None:
            await self._abandon()
            return None
        if outputs:
            write = self._writer.write(outputs, batch.keep_going, batch.sleep)
            self._in_flight = Flight(asyncio.create_task(write), saving, outputs.bars)
        return offsets

    async def release(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, int]:
        """Finish the write in flight, save the partitions' states if they moved, forget
        them; the offsets now durable."""
        offsets = await self._finish()
        if offsets is None:
            self.states.clear()  # the next batch finds its states gone and reloads them
            return {}
        leaving = {tp: self.states.pop(tp) for tp in partitions if tp in self.states}
        changed = {tp: s for tp, s in leaving.items() if s.changed and s.next_offset is not None}
        outputs = Outputs(
            states={self._snapshots.key(tp): encode_state(s) for tp, s in changed.items()}
        )
        if outputs:
            await self._writer.write(outputs, lambda: True, asyncio.sleep)
        saved = {tp: s.next_offset for tp, s in changed.items() if s.next_offset is not None}
        return {**offsets, **saved}

    async def close(self) -> None:
        """Drop the write in flight, if any (after a failure: it must not outlive us)."""
        flight, self._in_flight = self._in_flight, None
        if flight is not None and not flight.task.done():
            flight.task.cancel()
            with contextlib.suppress(BaseException):
                await flight.task

    async def _finish(self) -> dict[TopicPartition, int] | None:
        """Wait for the write in flight; its offsets (None: abandoned)."""
        flight, self._in_flight = self._in_flight, None
        if flight is None:
            return {}
        try:
            await flight.task
        except Abandoned:
            return None
        for bar in flight.bars:
            metrics.CANDLES.labels(bar.timeframe).inc()
        return flight.offsets

    async def _abandon(self) -> None:
        await self.close()
        log.warning("batch abandoned; partitions restart from their saved states")
        self.states.clear()

    def _save(self, outputs: Outputs, now: int) -> dict[TopicPartition, int]:
        """Add the states due for saving to ``outputs``; the offsets they cover."""
        interval = self.config.snapshot_interval_ns
        offsets: dict[TopicPartition, int] = {}
        for tp, state in self.states.items():
            due = not interval or now - state.saved_at_ns >= interval
            if state.changed and state.next_offset is not None and due:
                outputs.states[self._snapshots.key(tp)] = encode_state(state)
                state.changed = False
                state.saved_at_ns = now
                offsets[tp] = state.next_offset
        return offsets

    def _empty(self) -> PartitionState:
        aggregator = Aggregator(self._timeframes, grace_ns=self.config.grace_ns)
        return PartitionState(aggregator, [], base_ns=self._base_ns, live=self.config.live)

    def _restore(self, data: bytes) -> PartitionState:
        return decode_state(
            data,
            symbols=self._symbols,
            timeframes=self._timeframes,
            grace_ns=self.config.grace_ns,
            base_ns=self._base_ns,
            live=self.config.live,
        )
