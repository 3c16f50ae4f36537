"""Candles for a whole time-sorted array of one symbol's trades at once, with numpy.

Same candles as the streaming aggregator for in-order input: the base candles come from
one pass of ``reduceat`` over the trades, every wider timeframe from ``reduceat`` over the
base candles. Integer ticks and sizes keep all fields exact; turnover is summed in int64
while it provably fits, and in Python integers otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from market_data_engine.domain.candles import Candle
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES, base_width_ns, parse_timeframes
from market_data_engine.domain.trading_day import DayBoundary
from shared.instruments import TradingSession

Array = npt.NDArray[Any]
_INT64_MAX = 2**63 - 1


class CandleColumns(NamedTuple):
    """One timeframe's candles as parallel arrays, oldest first."""

    open_time: Array
    close_time: Array
    open: Array
    high: Array
    low: Array
    close: Array
    volume: Array
    trade_count: Array
    turnover: Array

    def candles(self, symbol: str, timeframe: str) -> list[Candle]:
        """The rows as ``Candle`` tuples of plain Python numbers."""
        columns = [column.tolist() for column in self]
        return [Candle(symbol, timeframe, *row) for row in zip(*columns, strict=True)]


def _turnover(price: Array, size: Array) -> Array:
    if price.dtype.kind in "iu" and size.dtype.kind in "iu" and len(price):
        bound = int(np.abs(price).max()) * int(np.abs(size).sum())
        if bound > _INT64_MAX:  # any partial sum could overflow int64: go exact
            exact: Array = price.astype(object) * size.astype(object)
            return exact
    return price * size


def merge_rows(
    groups: Array, columns: CandleColumns, open_time: Array, close_time: Array
) -> CandleColumns:
    """Merge consecutive candles: ``groups`` holds the first row of each merged candle."""
    ends = np.append(groups[1:], len(columns.open)) - 1
    return CandleColumns(
        open_time,
        close_time,
        columns.open[groups],
        np.maximum.reduceat(columns.high, groups),
        np.minimum.reduceat(columns.low, groups),
        columns.close[ends],
        np.add.reduceat(columns.volume, groups),
        np.add.reduceat(columns.trade_count, groups),
        np.add.reduceat(columns.turnover, groups),
    )


def _starts(keys: Array) -> Array:
    """Indexes where a sorted key array changes value, the first included."""
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def aggregate(
    ts_ns: Array,
    price: Array,
    size: Array,
    timeframes: Iterable[str] = DEFAULT_TIMEFRAMES,
    session: TradingSession | None = None,
) -> dict[str, CandleColumns]:
    """Candles per timeframe name for one symbol's trades, which must be sorted by time."""
    tfs = parse_timeframes(timeframes)
    ts = np.asarray(ts_ns, dtype=np.int64)
    if len(ts) > 1 and bool(np.any(ts[1:] < ts[:-1])):
        raise ValueError("trades must be sorted by time")
    base = base_width_ns(tfs)
    base_candles = _base_candles(ts, np.asarray(price), np.asarray(size), base)
    result: dict[str, CandleColumns] = {}
    for tf in tfs:
        if tf.daily:
            result[tf.name] = _daily(base_candles, DayBoundary.for_session(session), base)
            continue
        group_keys = base_candles.open_time // tf.width_ns
        if tf.width_ns == base or not len(group_keys):
            result[tf.name] = base_candles
            continue
        groups = _starts(group_keys)
        start = group_keys[groups] * tf.width_ns
        result[tf.name] = merge_rows(groups, base_candles, start, start + tf.width_ns)
    return result


def _base_candles(ts: Array, price: Array, size: Array, base: int) -> CandleColumns:
    keys = ts // base
    rows = _starts(keys) if len(ts) else np.zeros(0, np.int64)
    ends = np.append(rows[1:], len(ts))
    opens = keys[rows] * base
    if not len(ts):  # reduceat needs at least one row
        return CandleColumns(opens, opens, price, price, price, price, size, opens, opens)
    return CandleColumns(
        opens,
        opens + base,
        price[rows],
        np.maximum.reduceat(price, rows),
        np.minimum.reduceat(price, rows),
        price[ends - 1],
        np.add.reduceat(size, rows),
        ends - rows,
        np.add.reduceat(_turnover(price, size), rows),
    )


def _daily(base_candles: CandleColumns, day: DayBoundary, base: int) -> CandleColumns:
    opens = base_candles.open_time
    if not len(opens):
        return base_candles
    starts = np.array(day.starts_between(int(opens[0]), int(opens[-1])), dtype=np.int64)
    if bool(np.any(starts % base)):
        raise ValueError(f"trading days do not start on {base} ns boundaries")
    day_index = np.searchsorted(starts, opens, side="right") - 1
    groups = _starts(day_index)
    days = day_index[groups]
    ends = np.append(starts, day.bounds(int(starts[-1]))[1])
    return merge_rows(groups, base_candles, starts[days], ends[days + 1])
