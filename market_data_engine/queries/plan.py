"""Which store answers which part of a candle query: pure planning, no I/O.

The Redis sorted set of a symbol and timeframe holds every closed candle from its oldest
member on (the writer adds each closed candle and trims the oldest), so it answers any part
of a range at or after that member. Whatever lies before it comes from InfluxDB. A query
asks for the newest ``limit`` candles of a range: when the cache alone yields that many, the
older part of the range does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from shared.clock import NANOS_PER_SECOND

MAX_LIMIT = 5000
DEFAULT_LIMIT = 500


@dataclass(frozen=True, slots=True)
class CandleQuery:
    """Candles of one symbol and timeframe whose open time lies in [start, end] (None: open)."""

    symbol: str
    timeframe: str
    start_ns: int | None = None
    end_ns: int | None = None
    limit: int = DEFAULT_LIMIT
    include_forming: bool = False

    def __post_init__(self) -> None:
        if self.start_ns is not None and self.end_ns is not None and self.start_ns > self.end_ns:
            raise ValueError("start is after end")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {self.limit}")

    def contains(self, open_ns: int) -> bool:
        """True if a candle opening at ``open_ns`` belongs to the range."""
        after_start = self.start_ns is None or open_ns >= self.start_ns
        return after_start and (self.end_ns is None or open_ns <= self.end_ns)


class Window(NamedTuple):
    """Open times from ``start_ns`` to ``end_ns`` (inclusive; None: open), newest ``limit``."""

    start_ns: int | None
    end_ns: int | None
    limit: int


def score_bounds(query: CandleQuery) -> tuple[int | str, int | str]:
    """(min, max) sorted-set scores of the range; scores are open times in whole seconds."""
    low: int | str = "-inf" if query.start_ns is None else -(-query.start_ns // NANOS_PER_SECOND)
    high: int | str = "+inf" if query.end_ns is None else query.end_ns // NANOS_PER_SECOND
    return low, high


def history_window(
    query: CandleQuery, oldest_cached_ns: int | None, cached: int, wanted: int
) -> Window | None:
    """The part InfluxDB must answer after the cache gave ``cached`` of ``wanted`` candles.

    ``oldest_cached_ns`` is the open time of the cache's oldest member (None: empty cache).
    None means the cache answers the whole query.
    """
    if cached >= wanted:
        return None
    if oldest_cached_ns is None:
        return Window(query.start_ns, query.end_ns, wanted)
    if query.start_ns is not None and query.start_ns >= oldest_cached_ns:
        return None
    before = oldest_cached_ns - 1
    end = before if query.end_ns is None else min(query.end_ns, before)
    return Window(query.start_ns, end, wanted - cached)


def forming_fits(query: CandleQuery, forming_open_ns: int, newest_closed_ns: int | None) -> bool:
    """True if the forming candle belongs in the answer: in range and after every closed one."""
    newer = newest_closed_ns is None or forming_open_ns > newest_closed_ns
    return query.include_forming and newer and query.contains(forming_open_ns)


def source_of(from_cache: bool, from_history: bool) -> str:
    """``cache``, ``influxdb`` or ``mixed``: where the answer's candles came from."""
    if from_history:
        return "mixed" if from_cache else "influxdb"
    return "cache"
