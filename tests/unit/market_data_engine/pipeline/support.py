"""Trades as the pipeline receives them (Kafka records), and the batch reference to check it."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from aiokafka.structs import ConsumerRecord

from market_data_engine.domain.batch import aggregate
from market_data_engine.domain.candles import Scale
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.clock import FakeClock
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, encode, headers_for, new_envelope
from shared.messages.schemas.marketdata import Bar, Trade

REGISTRY = InstrumentRegistry.with_standard_futures()
START_NS = 1_767_600_000_000_000_000  # 2026-01-05 08:00 UTC, a Monday
SECOND = 1_000_000_000
MINUTE = 60 * SECOND


def trade(
    symbol: str, ts: int, price: str, size: str = "1", *, producer: str = "test"
) -> Envelope[Any]:
    """One trade envelope at event time ``ts``."""
    payload = Trade(symbol=symbol, price=Decimal(price), size=Decimal(size))
    return new_envelope(payload, clock=FakeClock(ts), producer=producer)


def random_trades(
    count: int, symbols: Sequence[str] = ("ESZ6", "NQZ6"), *, seed: int = 1, step_s: int = 7
) -> list[Envelope[Any]]:
    """Seeded trades in time order on each symbol's tick grid, a few seconds apart."""
    rng = random.Random(seed)
    ts, trades = START_NS, []
    level = dict.fromkeys(symbols, 20_000)
    for _ in range(count):
        ts += rng.randint(0, step_s * SECOND)
        symbol = rng.choice(symbols)
        level[symbol] += rng.randint(-3, 3)
        price = level[symbol] * REGISTRY.get(symbol).tick_size
        trades.append(trade(symbol, ts, str(price), str(rng.randint(1, 9))))
    return trades


def record(
    value: bytes | None,
    offset: int,
    *,
    headers: Iterable[tuple[str, bytes]] = (),
    topic: str = "trades",
    partition: int = 0,
    key: bytes | None = None,
    timestamp_ms: int = 0,
) -> ConsumerRecord[bytes, bytes]:
    """A Kafka record as aiokafka hands it over."""
    size = len(value or b"")
    return ConsumerRecord(
        topic, partition, offset, timestamp_ms, 0, key, value, None, 0, size, tuple(headers)
    )


def records(
    envelopes: Iterable[Envelope[Any]], *, first_offset: int = 0, partition: int = 0
) -> list[ConsumerRecord[bytes, bytes]]:
    """Envelopes as consecutive records of one partition, stamped with their event time."""
    return [
        record(
            encode(envelope),
            first_offset + n,
            headers=headers_for(envelope),
            partition=partition,
            key=envelope.payload.symbol.encode(),
            timestamp_ms=envelope.ts_event // 1_000_000,
        )
        for n, envelope in enumerate(envelopes)
    ]


def reference_bars(
    trades: Sequence[Envelope[Trade]], timeframes: Sequence[str] = DEFAULT_TIMEFRAMES
) -> dict[tuple[str, str, int], Bar]:
    """Every candle of the trades, from the batch aggregator: (symbol, timeframe, open) -> bar."""
    bars: dict[tuple[str, str, int], Bar] = {}
    for symbol in sorted({t.payload.symbol for t in trades}):
        mine = [t for t in trades if t.payload.symbol == symbol]
        instrument = REGISTRY.get(symbol)
        scale = Scale.of(instrument)
        ts = np.array([t.ts_event for t in mine], dtype=np.int64)
        ticks = np.array([scale.ticks(t.payload.price) for t in mine], dtype=np.int64)
        steps = np.array([scale.steps(t.payload.size) for t in mine], dtype=np.int64)
        columns = aggregate(ts, ticks, steps, timeframes, instrument.session)
        for timeframe, candles in columns.items():
            for candle in candles.candles(symbol, timeframe):
                bars[(symbol, timeframe, candle.open_time)] = scale.bar(candle)
    return bars


def closed_reference(
    trades: Sequence[Envelope[Trade]], timeframes: Sequence[str] = DEFAULT_TIMEFRAMES
) -> dict[tuple[str, str, int], Bar]:
    """The reference candles that a later trade has closed: all but each series' newest."""
    bars = reference_bars(trades, timeframes)
    newest: dict[tuple[str, str], int] = {}
    for symbol, timeframe, open_time in bars:
        key = (symbol, timeframe)
        newest[key] = max(newest.get(key, open_time), open_time)
    return {k: bar for k, bar in bars.items() if newest[(k[0], k[1])] != k[2]}
