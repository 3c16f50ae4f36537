"""The gap report of a symbol and timeframe: stored candles against the session calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from market_data_engine.adapters.candle_format import MEASUREMENT
from market_data_engine.gaps.compute import Gap, find_gaps, in_session
from market_data_engine.gaps.intervals import Array, count_intervals, intervals, session_windows
from market_data_engine.queries.catalog import Catalog
from shared.clock import Clock
from shared.tsdb import InfluxDB, quote_ident

DEFAULT_SPAN_NS = 7 * 86_400 * 1_000_000_000
MAX_INTERVALS = 1_000_000
PAGE_ROWS = 50_000


class RangeTooLarge(ValueError):
    """More intervals than one report examines."""


@dataclass(frozen=True, slots=True)
class GapReport:
    """Missing intervals of [start, end) while the session was open, merged into gaps."""

    symbol: str
    timeframe: str
    start_ns: int
    end_ns: int
    expected: int
    missing: int
    gaps: list[Gap]


class OpenTimes(Protocol):
    """The open times of the stored candles of a symbol and timeframe."""

    async def between(self, symbol: str, timeframe: str, start_ns: int, end_ns: int) -> Array: ...


class InfluxOpenTimes:
    """``OpenTimes`` from the ``candles`` measurement, read in pages of ``PAGE_ROWS``."""

    def __init__(self, influx: InfluxDB, page_rows: int = PAGE_ROWS) -> None:
        self._influx = influx
        self._page_rows = page_rows

    async def between(self, symbol: str, timeframe: str, start_ns: int, end_ns: int) -> Array:
        statement = (
            f'SELECT "trades" FROM {quote_ident(MEASUREMENT)} WHERE "symbol" = $symbol '
            'AND "timeframe" = $timeframe AND time >= $start AND time < $end '
            f"ORDER BY time ASC LIMIT {self._page_rows}"
        )
        params = {"symbol": symbol, "timeframe": timeframe, "start": start_ns, "end": end_ns}
        pages: list[Array] = []
        while True:
            series = await self._influx.query(statement, params=params)
            times = np.array([row[0] for row in series[0].values] if series else [], np.int64)
            pages.append(times)
            if len(times) < self._page_rows:
                return np.concatenate(pages)
            params["start"] = int(times[-1]) + 1


class GapReports:
    """Gap reports over the stored candles; the range defaults to the week before now."""

    def __init__(self, open_times: OpenTimes, catalog: Catalog, clock: Clock) -> None:
        self._open_times = open_times
        self.catalog = catalog
        self._clock = clock

    async def report(
        self, symbol: str, timeframe: str, start_ns: int | None = None, end_ns: int | None = None
    ) -> GapReport:
        """The gaps of [start, end); raises ``UnknownSymbol``, ``UnknownTimeframe``, ValueError."""
        instrument = self.catalog.instrument(symbol)
        tf = self.catalog.timeframe(timeframe)
        end = self._clock.now_ns() if end_ns is None else end_ns
        start = end - DEFAULT_SPAN_NS if start_ns is None else start_ns
        if start > end:
            raise ValueError("start is after end")
        if count_intervals(tf, start, end) > MAX_INTERVALS:
            raise RangeTooLarge(
                f"{start}..{end} spans more than {MAX_INTERVALS:,} {timeframe} intervals; "
                "narrow the range or choose a wider timeframe"
            )
        opens, closes = intervals(tf, instrument.session, start, end)
        if not len(opens):
            return GapReport(symbol, timeframe, start, end, 0, 0, [])
        windows = session_windows(instrument.session, int(opens[0]), int(closes[-1]))
        expected = in_session(opens, closes, *windows)
        present = await self._open_times.between(symbol, timeframe, int(opens[0]), int(closes[-1]))
        counted = find_gaps(opens, closes, expected, present)
        return GapReport(
            symbol, timeframe, start, end, counted.expected, counted.missing, counted.gaps
        )
