"""Partition states saved in Redis: the aggregator's snapshot and the offset it covers.

One key per consumer group, topic and partition: ``<prefix>:pipeline:<group>:<topic>:<n>``.
The value is JSON ``{"version": 1, "offset", "clock_ns", "scales", "aggregator"}``, where
``scales`` holds each symbol's tick size and quantity step, so a restore can tell when an
instrument's spec changed under its saved candles.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import pydantic_core
from aiokafka import TopicPartition

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.timeframes import parse_timeframes
from market_data_engine.pipeline.partition import PartitionState
from market_data_engine.pipeline.symbols import SymbolDirectory, SymbolSpec
from shared.cache import Cache

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


class SnapshotError(Exception):
    """A saved state that cannot be restored as it is (an operator must look)."""


class SnapshotStore:
    """Where the partition states of one consumer group live."""

    def __init__(self, cache: Cache, group_id: str) -> None:
        self._cache = cache
        self._group = group_id

    def key(self, tp: TopicPartition) -> str:
        """The Redis key of a partition's state."""
        return self._cache.key("pipeline", self._group, tp.topic, tp.partition)

    async def load(self, partitions: Collection[TopicPartition]) -> dict[TopicPartition, bytes]:
        """The saved states of those partitions that have one (one round trip)."""
        wanted = sorted(partitions)
        values = await self._cache.client.mget([self.key(tp) for tp in wanted])
        found = zip(wanted, values, strict=True)
        return {tp: _bytes(value) for tp, value in found if value is not None}


def encode_state(state: PartitionState) -> bytes:
    """A partition state as JSON bytes."""
    scales = {s.symbol: [str(s.scale.tick_size), str(s.scale.size_step)] for s in state.specs}
    return pydantic_core.to_json(
        {
            "version": FORMAT_VERSION,
            "offset": state.next_offset,
            "clock_ns": state.clock_ns,
            "scales": scales,
            "aggregator": state.aggregator.snapshot(),
        }
    )


def decode_state(
    data: bytes,
    *,
    symbols: SymbolDirectory,
    timeframes: Collection[str],
    grace_ns: int,
    base_ns: int,
    live: bool,
) -> PartitionState:
    """The state ``encode_state`` saved, under the current timeframes and grace."""
    saved: dict[str, Any] = pydantic_core.from_json(data)
    if saved.get("version") != FORMAT_VERSION:
        raise SnapshotError(f"saved state has format {saved.get('version')}, not {FORMAT_VERSION}")
    offset, clock_ns = saved["offset"], saved["clock_ns"]
    wanted = [tf.name for tf in parse_timeframes(timeframes)]
    if saved["aggregator"]["timeframes"] != wanted:
        # The candles forming at the switch miss their earlier trades; nothing else changes.
        log.warning("timeframes changed from %s to %s", saved["aggregator"]["timeframes"], wanted)
        fresh = Aggregator(wanted, grace_ns=grace_ns)
        return PartitionState(
            fresh, [], base_ns=base_ns, live=live, next_offset=offset, clock_ns=clock_ns
        )
    aggregator = Aggregator.from_snapshot(saved["aggregator"])
    aggregator.grace_ns = grace_ns
    specs = [_spec(symbols, symbol, scale) for symbol, scale in saved["scales"].items()]
    specs.sort(key=lambda spec: aggregator.index_of(spec.symbol))
    return PartitionState(
        aggregator, specs, base_ns=base_ns, live=live, next_offset=offset, clock_ns=clock_ns
    )


def _spec(symbols: SymbolDirectory, symbol: str, scale: list[str]) -> SymbolSpec:
    spec = symbols.get(symbol)
    if spec is None:
        raise SnapshotError(f"saved candles of {symbol} but the instrument is no longer known")
    if (spec.scale.tick_size, spec.scale.size_step) != (Decimal(scale[0]), Decimal(scale[1])):
        raise SnapshotError(f"{symbol}: tick size or quantity step changed under saved candles")
    return spec


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value
