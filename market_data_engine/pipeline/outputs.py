"""What one batch leaves behind, and its forms for Kafka, InfluxDB and Redis (pure).

A closed candle becomes a ``Bar`` message whose ``message_id`` is derived from the symbol,
timeframe and open time, so a candle emitted again after a restart carries the same id and
consumers drop it as a duplicate. The storage layout is ``adapters.candle_format``'s.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from market_data_engine.adapters.candle_format import (
    CACHE_DEPTH,
    closed_key,
    encode_cached,
    forming_key,
    influx_line,
    score,
)
from shared.clock import Clock
from shared.last_trades import encode_last_trade, last_trade_key
from shared.messages import Envelope, new_envelope
from shared.messages.schemas.marketdata import Bar

BAR_NAMESPACE = uuid.UUID("6f1c1f2e-3b9a-5d57-9c1e-2a7d0c4b8e51")
Command = tuple[Any, ...]
KeyMaker = Callable[..., str]


def bar_message_id(symbol: str, timeframe: str, open_time: int) -> uuid.UUID:
    """The one message id of a candle, whoever emits it and however often."""
    return uuid.uuid5(BAR_NAMESPACE, f"{symbol}/{timeframe}/{open_time}")


@dataclass(frozen=True, slots=True)
class LastTrade:
    """A symbol's newest trade, for ``last:<symbol>``."""

    symbol: str
    ts_event: int
    price: Decimal
    size: Decimal


@dataclass
class Outputs:
    """Everything a batch must make durable before its partitions' states are saved."""

    bars: list[Bar] = field(default_factory=list)
    forming: list[tuple[str, str, Bar | None]] = field(default_factory=list)
    """(symbol, timeframe, forming candle or None when there is none now)."""
    last_trades: list[LastTrade] = field(default_factory=list)
    dead_letters: list[tuple[Any, str, str]] = field(default_factory=list)
    """(Kafka record, reason, detail)."""
    states: dict[str, bytes] = field(default_factory=dict)
    """Saved partition states by Redis key."""

    def __bool__(self) -> bool:
        return bool(
            self.bars or self.forming or self.last_trades or self.dead_letters or self.states
        )


def bar_envelopes(bars: Iterable[Bar], *, clock: Clock, producer: str) -> list[Envelope[Bar]]:
    """The bars as messages with deterministic ids; ``ts_event`` is the candle's close."""
    return [
        new_envelope(
            bar,
            clock=clock,
            producer=producer,
            ts_event=bar.close_time,
            message_id=bar_message_id(bar.symbol, bar.timeframe, bar.open_time),
        )
        for bar in bars
    ]


def influx_lines(bars: Iterable[Bar]) -> list[str]:
    """The bars in line protocol."""
    return [influx_line(bar) for bar in bars]


def redis_commands(
    outputs: Outputs, key: KeyMaker, forming_ttl_ms: Mapping[str, int]
) -> list[Command]:
    """The Redis commands that store the batch's candles, last trades and states, in order.

    Per sorted set, the batch's closed candles replace every member in their span of open
    times (candles close in open-time order, so the span holds no other candle of this
    engine; a re-emitted one is identical anyway), then the set is trimmed to
    ``CACHE_DEPTH``. A forming candle expires after its timeframe's ``forming_ttl_ms``
    unless refreshed, and is deleted when its timeframe has none now. States come last.
    """
    commands: list[Command] = []
    closed: dict[str, list[Bar]] = {}
    for bar in outputs.bars:
        closed.setdefault(key(*closed_key(bar.symbol, bar.timeframe)), []).append(bar)
    for name, bars in closed.items():
        scores = [score(bar.open_time) for bar in bars]
        members = [
            part for bar, at in zip(bars, scores, strict=True) for part in (at, encode_cached(bar))
        ]
        commands.append(("ZREMRANGEBYSCORE", name, min(scores), max(scores)))
        commands.append(("ZADD", name, *members))
        commands.append(("ZREMRANGEBYRANK", name, 0, -CACHE_DEPTH - 1))
    for symbol, timeframe, candle in outputs.forming:
        name = key(*forming_key(symbol, timeframe))
        if candle is None:
            commands.append(("DEL", name))
        else:
            ttl = forming_ttl_ms[timeframe]
            commands.append(("SET", name, encode_cached(candle), "PX", ttl))
    if outputs.last_trades:
        pairs = [
            part
            for trade in outputs.last_trades
            for part in (key(*last_trade_key(trade.symbol)), _last_trade(trade))
        ]
        commands.append(("MSET", *pairs))
    if outputs.states:
        commands.append(("MSET", *(part for item in outputs.states.items() for part in item)))
    return commands


def _last_trade(trade: LastTrade) -> bytes:
    return encode_last_trade(trade.price, trade.size, trade.ts_event)
