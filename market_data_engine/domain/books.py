"""One forming candle as mutable slots: the aggregator's unit of state.

Out-of-order trades inside the interval: the open is the trade with the earliest event time
and the close the one with the latest; on equal times the first to arrive opens and the last
to arrive closes, which is what a time-ordered stream gives.
"""

from __future__ import annotations

from market_data_engine.domain.candles import Candle

BookState = tuple[int, int, float, float, float, float, float, int, float, int, int]
"""A book as plain data: start, end, open, high, low, close, volume, count, turnover,
first_ts, last_ts."""

BEFORE_ALL = -(2**63)
"""An interval start earlier than any trade: a fresh book accepts the first trade it sees."""


class Book:
    """The forming candle of one interval [start, end); empty while ``count`` is 0."""

    __slots__ = (
        "close",
        "count",
        "end",
        "first_ts",
        "high",
        "last_ts",
        "low",
        "open",
        "start",
        "turnover",
        "volume",
    )

    def __init__(self, start: int = BEFORE_ALL, end: int = BEFORE_ALL) -> None:
        self.start = start
        self.end = end
        self.open = self.high = self.low = self.close = 0.0
        self.volume = 0.0
        self.turnover = 0.0
        self.count = 0
        self.first_ts = self.last_ts = 0

    def reset(self, start: int, end: int) -> None:
        """Empty the book and point it at a new interval."""
        self.start = start
        self.end = end
        self.count = 0

    def begin(self, ts: int, price: float, size: float) -> None:
        """Make the book hold exactly one trade."""
        self.open = self.high = self.low = self.close = price
        self.volume = size
        self.turnover = price * size
        self.count = 1
        self.first_ts = self.last_ts = ts

    def add(self, ts: int, price: float, size: float) -> None:
        """Fold one trade in, in any order of arrival."""
        if not self.count:
            self.begin(ts, price, size)
            return
        if price > self.high:
            self.high = price
        elif price < self.low:
            self.low = price
        if ts >= self.last_ts:
            self.close = price
            self.last_ts = ts
        elif ts < self.first_ts:
            self.open = price
            self.first_ts = ts
        self.volume += size
        self.count += 1
        self.turnover += price * size

    def merge(self, other: Book) -> None:
        """Fold in a candle of the same or a narrower interval, closed after this one's trades."""
        if not other.count:
            return
        if not self.count:
            start, end = self.start, self.end
            self.restore(other.state())
            self.start, self.end = start, end
            return
        self.high = max(self.high, other.high)
        self.low = min(self.low, other.low)
        if other.first_ts < self.first_ts:
            self.open = other.open
            self.first_ts = other.first_ts
        if other.last_ts >= self.last_ts:
            self.close = other.close
            self.last_ts = other.last_ts
        self.volume += other.volume
        self.count += other.count
        self.turnover += other.turnover

    def candle(self, symbol: str, timeframe: str) -> Candle:
        """The book as an immutable candle."""
        return Candle(
            symbol,
            timeframe,
            self.start,
            self.end,
            self.open,
            self.high,
            self.low,
            self.close,
            self.volume,
            self.count,
            self.turnover,
        )

    def state(self) -> BookState:
        """The book as plain data, for snapshots."""
        return (
            self.start,
            self.end,
            self.open,
            self.high,
            self.low,
            self.close,
            self.volume,
            self.count,
            self.turnover,
            self.first_ts,
            self.last_ts,
        )

    def restore(self, state: BookState) -> None:
        """Load what ``state`` returned."""
        (
            self.start,
            self.end,
            self.open,
            self.high,
            self.low,
            self.close,
            self.volume,
            self.count,
            self.turnover,
            self.first_ts,
            self.last_ts,
        ) = state
