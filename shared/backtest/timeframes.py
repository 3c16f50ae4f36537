"""Timeframes of historical candles, and higher timeframes made from finer candles.

Intraday timeframes (``30s``, ``1m``, ``5m``, ``4h``) are aligned on UTC multiples of
their width, as the market data engine aligns them. ``1d`` is the trading day: for an
instrument with an overnight session (CME Globex) it starts at the session's open in the
session's time zone, otherwise at midnight there (UTC without a session). A candle's open
time is the start of its interval and its close time the end.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from shared.backtest.bars import BarSeries, Times
from shared.clock import datetime_to_ns, ns_to_datetime
from shared.instruments import TradingSession

_UNITS = {"s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_PATTERN = re.compile(r"^([1-9][0-9]{0,3})([smhd])$")
DAY_NS = 86_400_000_000_000


def width_ns(timeframe: str) -> int:
    """The nominal width of a timeframe (``1d``: 24 hours); ValueError for others."""
    match = _PATTERN.match(timeframe)
    if match is None or (match[2] == "d" and match[1] != "1"):
        raise ValueError(
            f"timeframe {timeframe!r}: expected a count and a unit among s, m, h (e.g. 1m, "
            "15m, 4h) or 1d"
        )
    return DAY_NS if match[2] == "d" else int(match[1]) * _UNITS[match[2]]


def day_starts(first_ns: int, last_ns: int, session: TradingSession | None) -> Times:
    """The starts of every trading day from the one holding ``first_ns`` to past ``last_ns``."""
    zone = ZoneInfo(session.timezone if session else "UTC")
    at = session.open if session is not None and session.overnight else time(0)
    day = ns_to_datetime(first_ns).astimezone(zone).date() - timedelta(days=1)
    starts: list[int] = []
    while True:
        start = datetime_to_ns(datetime.combine(day, at, tzinfo=zone))
        if start > last_ns:
            starts.append(start)
            return np.array(starts, dtype=np.int64)
        starts.append(start)
        day += timedelta(days=1)


def aggregate(bars: BarSeries, timeframe: str, session: TradingSession | None = None) -> BarSeries:
    """Candles of ``timeframe`` made from ``bars`` (a finer timeframe that divides it).

    Open: the first bar's; high/low: the extremes; close: the last bar's; volume: the sum;
    vwap: volume-weighted (the close where no volume traded). The last candle is left out
    when the data ends before its interval does: it has not closed.
    """
    width = width_ns(timeframe)
    base = width_ns(bars.timeframe)
    if width <= base or (width != DAY_NS and width % base) or (width == DAY_NS and DAY_NS % base):
        raise ValueError(f"cannot make {timeframe} candles from {bars.timeframe} candles")
    if not len(bars):
        return replace(bars, timeframe=timeframe)
    opens = bars.open_time
    if width == DAY_NS:
        edges = day_starts(int(opens[0]), int(bars.close_time[-1]), session)
        group = np.searchsorted(edges, opens, "right") - 1
        starts_of_group, ends_of_group = edges[group], edges[group + 1]
    else:
        group = opens // width
        starts_of_group = group * width
        ends_of_group = starts_of_group + width
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    last = np.r_[first[1:] - 1, len(bars) - 1]
    volume = np.add.reduceat(bars.volume, first)
    traded = np.add.reduceat(bars.vwap * bars.volume, first)
    close = bars.close[last]
    with np.errstate(invalid="ignore", divide="ignore"):
        vwap = np.where(volume > 0, traded / np.where(volume > 0, volume, 1), close)
    made = BarSeries(
        bars.symbol,
        timeframe,
        starts_of_group[first],
        ends_of_group[first],
        bars.open[first],
        np.maximum.reduceat(bars.high, first),
        np.minimum.reduceat(bars.low, first),
        close,
        volume,
        vwap,
    )
    if made.close_time[-1] > bars.close_time[-1]:
        made = made.rows(slice(0, len(made) - 1))
    return made
