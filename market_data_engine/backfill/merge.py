"""Wider candles from 1-minute bars, and candles stitched across chunk boundaries (pure).

Merging follows the aggregation core exactly: open of the first bar, close of the last,
highest high, lowest low, summed volume, trade count and turnover (VWAP x volume), so the
VWAP of a merged candle is its volume-weighted turnover. Daily candles follow the
session's trading day, intraday ones are aligned to UTC.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from market_data_engine.backfill.arrow import Array
from market_data_engine.backfill.decode import MINUTE_NS
from market_data_engine.domain.batch import CandleColumns, merge_rows
from market_data_engine.domain.timeframes import parse_timeframes
from market_data_engine.domain.trading_day import DayBoundary
from shared.instruments import TradingSession


def _starts(keys: Array) -> Array:
    """Indexes where a sorted key array changes value, the first included."""
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def merge_bars(
    bars: CandleColumns, timeframes: Iterable[str], session: TradingSession | None = None
) -> dict[str, CandleColumns]:
    """Every timeframe's candles from time-sorted 1-minute bars (none may be missing a field)."""
    result: dict[str, CandleColumns] = {}
    opens = bars.open_time
    for tf in parse_timeframes(timeframes):
        if not tf.daily and tf.width_ns % MINUTE_NS:
            raise ValueError(f"timeframe {tf.name} cannot be made from 1-minute bars")
        if not len(opens) or (not tf.daily and tf.width_ns == MINUTE_NS):
            result[tf.name] = bars
            continue
        if tf.daily:
            day = DayBoundary.for_session(session)
            starts = np.array(day.starts_between(int(opens[0]), int(opens[-1])), dtype=np.int64)
            index = np.searchsorted(starts, opens, side="right") - 1
            groups = _starts(index)
            bounds = np.append(starts, day.bounds(int(starts[-1]))[1])
            days = index[groups]
            result[tf.name] = merge_rows(groups, bars, bounds[days], bounds[days + 1])
            continue
        keys = opens // tf.width_ns
        groups = _starts(keys)
        start = keys[groups] * tf.width_ns
        result[tf.name] = merge_rows(groups, bars, start, start + tf.width_ns)
    return result


def combine(columns: CandleColumns) -> CandleColumns:
    """Rows with the same open time (one candle read in two chunks) merged into one."""
    if len(columns.open_time) < 2:
        return columns
    groups = _starts(columns.open_time)
    if len(groups) == len(columns.open_time):
        return columns
    return merge_rows(groups, columns, columns.open_time[groups], columns.close_time[groups])


def _row(columns: CandleColumns, index: slice) -> CandleColumns:
    return CandleColumns(*(column[index] for column in columns))


class Stitcher:
    """Holds back the newest candle of each symbol and timeframe until the input moves past it.

    Input read in chunks may continue a candle in the next chunk; ``take`` returns only the
    candles that are complete, ``flush`` the held ones at the end. ``snapshot``/``restore``
    carry the held candles across a restart.
    """

    def __init__(self) -> None:
        self.held: dict[tuple[str, str], CandleColumns] = {}

    def take(self, symbol: str, timeframe: str, columns: CandleColumns) -> CandleColumns:
        """The complete candles, given the next (time-sorted) candles of a chunk."""
        key = (symbol, timeframe)
        held = self.held.pop(key, None)
        if held is not None:
            columns = combine(
                CandleColumns(*(np.concatenate((a, b)) for a, b in zip(held, columns, strict=True)))
            )
        if not len(columns.open_time):
            return columns
        self.held[key] = _row(columns, slice(-1, None))
        return _row(columns, slice(None, -1))

    def flush(self) -> list[tuple[str, str, CandleColumns]]:
        """The held candles (the input has ended), and nothing held any more."""
        held, self.held = self.held, {}
        return [(symbol, timeframe, columns) for (symbol, timeframe), columns in held.items()]

    def snapshot(self) -> list[list[Any]]:
        """The held candles as JSON-safe data."""
        return [
            [symbol, timeframe, [_plain(column[0]) for column in columns]]
            for (symbol, timeframe), columns in self.held.items()
        ]

    @classmethod
    def restore(cls, data: list[list[Any]]) -> Stitcher:
        """A stitcher holding what ``snapshot`` saved."""
        stitcher = cls()
        for symbol, timeframe, values in data:
            columns = [np.array([_value(v)]) for v in values]
            stitcher.held[(symbol, timeframe)] = CandleColumns(*columns)
        return stitcher


def _plain(value: Any) -> Any:
    """A numpy scalar as JSON: ints stay exact, a missing turnover (NaN) becomes None."""
    item = value.item() if hasattr(value, "item") else value
    return None if isinstance(item, float) and math.isnan(item) else item


def _value(value: Any) -> Any:
    return float("nan") if value is None else value
