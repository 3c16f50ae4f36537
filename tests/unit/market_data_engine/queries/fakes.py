"""In-memory candle stores that answer like Redis and InfluxDB do, and count their calls."""

from __future__ import annotations

from typing import Any

import numpy as np

from market_data_engine.adapters.candle_format import CACHE_DEPTH, encode_cached, score
from market_data_engine.gaps.intervals import Array
from market_data_engine.queries.plan import CandleQuery, Window, score_bounds
from market_data_engine.queries.stores import CacheAnswer
from shared.messages.schemas.marketdata import Bar
from tests.unit.market_data_engine.queries.support import stored_row


def _key(candle: Bar) -> tuple[str, str]:
    return candle.symbol, candle.timeframe


class FakeCandleCache:
    """The sorted sets (trimmed to ``depth``) and forming candles, by symbol and timeframe."""

    def __init__(self, depth: int = CACHE_DEPTH) -> None:
        self.depth = depth
        self.closed: dict[tuple[str, str], list[Bar]] = {}
        self.forming: dict[tuple[str, str], Bar] = {}
        self.reads = 0

    def add(self, *candles: Bar) -> None:
        for candle in candles:
            held = self.closed.setdefault(_key(candle), [])
            held[:] = sorted({c.open_time: c for c in [*held, candle]}.values(), key=_open)
            del held[: max(0, len(held) - self.depth)]

    def set_forming(self, candle: Bar) -> None:
        self.forming[_key(candle)] = candle

    async def read(self, query: CandleQuery) -> CacheAnswer:
        self.reads += 1
        held = self.closed.get((query.symbol, query.timeframe), [])
        low, high = score_bounds(query)
        inside = [
            c
            for c in held
            if (low == "-inf" or score(c.open_time) >= int(low))
            and (high == "+inf" or score(c.open_time) <= int(high))
        ]
        newest = [encode_cached(c) for c in reversed(inside)][: query.limit]
        forming = self.forming.get((query.symbol, query.timeframe))
        encoded = encode_cached(forming) if forming and query.include_forming else None
        return CacheAnswer(held[0].open_time if held else None, newest, encoded)


def _open(candle: Bar) -> int:
    return candle.open_time


class FakeCandleHistory:
    """Every stored candle; answers windows newest first, as the InfluxQL query does."""

    def __init__(self) -> None:
        self.candles: dict[tuple[str, str], dict[int, Bar]] = {}
        self.windows: list[Window] = []

    def add(self, *candles: Bar) -> None:
        for candle in candles:
            self.candles.setdefault(_key(candle), {})[candle.open_time] = candle

    async def read(self, symbol: str, timeframe: str, window: Window) -> list[list[Any]]:
        self.windows.append(window)
        held = sorted(self.candles.get((symbol, timeframe), {}).values(), key=_open, reverse=True)
        inside = [
            c
            for c in held
            if (window.start_ns is None or c.open_time >= window.start_ns)
            and (window.end_ns is None or c.open_time <= window.end_ns)
        ]
        return [stored_row(c) for c in inside[: window.limit]]

    async def between(self, symbol: str, timeframe: str, start_ns: int, end_ns: int) -> Array:
        """``OpenTimes`` for gap reports."""
        held = self.candles.get((symbol, timeframe), {})
        return np.array(sorted(t for t in held if start_ns <= t < end_ns), np.int64)
