"""Historical candles as numpy columns: one symbol and timeframe per series.

A backtest reads millions of bars; columns keep them compact (a float64 per price, an
int64 per time) and turn into ``Candle`` tuples only as the loop reaches them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat
from typing import cast

import numpy as np
import numpy.typing as npt

from shared.strategy.candles import Candle

CHUNK_ROWS = 4096
"""Rows turned into candles at a time."""

Times = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


class DataError(ValueError):
    """Bad input data; the message names where (file, line or row, column) and what."""


@dataclass(frozen=True, eq=False)
class BarSeries:
    """The closed candles of one symbol and timeframe, oldest first; times in UTC ns.

    ``open_time`` is strictly increasing; ``close_time`` is after it; prices satisfy
    low <= open, close <= high. ``vwap`` is the close where the source has none.
    """

    symbol: str
    timeframe: str
    open_time: Times
    close_time: Times
    open: Floats
    high: Floats
    low: Floats
    close: Floats
    volume: Floats
    vwap: Floats

    def __len__(self) -> int:
        return len(self.open_time)

    def candles(self, start: int = 0) -> Iterator[Candle]:
        """The candles from row ``start`` on, made one by one as they are consumed."""
        chunks = (self._chunk(at) for at in range(start, len(self), CHUNK_ROWS))
        return chain.from_iterable(chunks)

    def _chunk(self, at: int) -> Iterator[Candle]:
        # Columns become Python lists a chunk at a time: lists of a million floats would be
        # walked by every full garbage collection the loop's tuples set off.
        rows = slice(at, at + CHUNK_ROWS)
        columns = (
            self.open_time[rows].tolist(),
            self.close_time[rows].tolist(),
            self.open[rows].tolist(),
            self.high[rows].tolist(),
            self.low[rows].tolist(),
            self.close[rows].tolist(),
            self.volume[rows].tolist(),
            self.vwap[rows].tolist(),
        )
        made = zip(repeat(self.symbol), repeat(self.timeframe), *columns)
        # tuple.__new__ straight from C: half the cost of Candle._make, a Python function.
        return cast(Iterator[Candle], map(tuple.__new__, repeat(Candle), made))

    def between(self, start_ns: int | None = None, end_ns: int | None = None) -> BarSeries:
        """The candles opening in ``[start_ns, end_ns)``."""
        lo = 0 if start_ns is None else int(np.searchsorted(self.open_time, start_ns, "left"))
        hi = len(self) if end_ns is None else int(np.searchsorted(self.open_time, end_ns, "left"))
        return self.rows(slice(lo, hi))

    def rows(self, which: slice | npt.NDArray[np.int64]) -> BarSeries:
        """Some rows: a slice (views, no copy) or increasing row indices (a copy)."""
        return BarSeries(
            self.symbol,
            self.timeframe,
            self.open_time[which],
            self.close_time[which],
            self.open[which],
            self.high[which],
            self.low[which],
            self.close[which],
            self.volume[which],
            self.vwap[which],
        )


def series(  # noqa: PLR0917 -- a candle's columns, in their usual order
    symbol: str,
    timeframe: str,
    open_time: npt.ArrayLike,
    close_time: npt.ArrayLike,
    open: npt.ArrayLike,
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    volume: npt.ArrayLike,
    vwap: npt.ArrayLike | None = None,
    *,
    where: str = "data",
    lines: npt.NDArray[np.int64] | None = None,
) -> BarSeries:
    """A checked ``BarSeries`` from columns; ``DataError`` names the first bad row.

    Rows are counted from 1, or named by their ``lines`` in the source file when given.
    """

    def times(values: npt.ArrayLike) -> Times:
        return np.ascontiguousarray(values, dtype=np.int64)

    def floats(values: npt.ArrayLike) -> Floats:
        return np.ascontiguousarray(values, dtype=np.float64)

    closes = floats(close)
    made = BarSeries(
        symbol,
        timeframe,
        times(open_time),
        times(close_time),
        floats(open),
        floats(high),
        floats(low),
        closes,
        floats(volume),
        closes if vwap is None else floats(vwap),
    )
    check(made, where, lines)
    return made


def check(bars: BarSeries, where: str = "data", lines: npt.NDArray[np.int64] | None = None) -> None:
    """Raise ``DataError`` at the first row that breaks the series' rules."""
    n = len(bars)
    columns = (bars.close_time, bars.open, bars.high, bars.low, bars.close, bars.volume, bars.vwap)
    if any(len(c) != n for c in columns):
        raise DataError(f"{where}: the columns have different lengths")
    named = {"open": bars.open, "high": bars.high, "low": bars.low, "close": bars.close}
    problems: list[tuple[int, str]] = []
    for name, column in (*named.items(), ("volume", bars.volume)):
        _first(problems, ~np.isfinite(column), f"column {name}: not a finite number")
    _first(problems, bars.volume < 0, "column volume: negative")
    _first(problems, bars.high < np.maximum(bars.open, bars.close), "high is below open or close")
    _first(problems, bars.low > np.minimum(bars.open, bars.close), "low is above open or close")
    _first(problems, bars.close_time <= bars.open_time, "close time is not after the open time")
    if n > 1:
        _first(
            problems,
            np.r_[False, bars.open_time[1:] <= bars.open_time[:-1]],
            "timestamp is not after the previous row's (rows must be in time order, no repeats)",
        )
    if problems:
        row, problem = min(problems)
        at = f"row {row + 1}" if lines is None else f"line {int(lines[row])}"
        raise DataError(f"{where}: {at}: {problem}")


def _first(problems: list[tuple[int, str]], bad: npt.NDArray[np.bool_], problem: str) -> None:
    if bad.any():
        problems.append((int(np.argmax(bad)), problem))
