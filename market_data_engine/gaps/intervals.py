"""The intervals of a timeframe inside a time range, and when a trading session is open.

Intraday intervals are aligned to UTC like the candles; daily ones follow the session's
trading day (``DayBoundary``), so they last 23 or 25 hours across daylight-saving changes.
Session windows come from the session's local open and close times, which is what
``TradingSession.is_open`` answers one instant at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from market_data_engine.domain.timeframes import Timeframe
from market_data_engine.domain.trading_day import DayBoundary
from shared.clock import datetime_to_ns, ns_to_datetime
from shared.instruments import TradingSession

Array = npt.NDArray[Any]


def intervals(
    timeframe: Timeframe, session: TradingSession | None, start_ns: int, end_ns: int
) -> tuple[Array, Array]:
    """(opens, closes) of the timeframe's intervals lying wholly in [start, end)."""
    if end_ns <= start_ns:
        empty = np.zeros(0, np.int64)
        return empty, empty
    if timeframe.daily:
        day = DayBoundary.for_session(session)
        starts = day.starts_between(start_ns, end_ns)
        bounds = np.array([*starts, day.bounds(starts[-1])[1]], dtype=np.int64)
        opens, closes = bounds[:-1], bounds[1:]
    else:
        width = timeframe.width_ns
        first = -(-start_ns // width) * width
        opens = np.arange(first, end_ns - width + 1, width, dtype=np.int64)
        closes = opens + width
    inside = (opens >= start_ns) & (closes <= end_ns)
    return opens[inside], closes[inside]


def count_intervals(timeframe: Timeframe, start_ns: int, end_ns: int) -> int:
    """Roughly how many intervals [start, end) spans (days count as 24 hours)."""
    return max(0, (end_ns - start_ns) // timeframe.width_ns)


def session_windows(
    session: TradingSession | None, start_ns: int, end_ns: int
) -> tuple[Array, Array]:
    """(opens, closes) of the sessions overlapping [start, end), in order; None: always open."""
    if session is None:
        return np.array([start_ns], np.int64), np.array([end_ns], np.int64)
    zone = ZoneInfo(session.timezone)
    first = ns_to_datetime(start_ns).astimezone(zone).date() - timedelta(days=1)
    last = ns_to_datetime(end_ns).astimezone(zone).date() + timedelta(days=1)
    opens: list[int] = []
    closes: list[int] = []
    day = first
    while day <= last:  # ``day`` is the trading day: the day its session closes
        if day.weekday() in session.days:
            opened = day - timedelta(days=1) if session.overnight else day
            open_ns = datetime_to_ns(datetime.combine(opened, session.open, tzinfo=zone))
            close_ns = datetime_to_ns(datetime.combine(day, session.close, tzinfo=zone))
            if open_ns < end_ns and close_ns > start_ns:
                opens.append(open_ns)
                closes.append(close_ns)
        day += timedelta(days=1)
    return np.array(opens, np.int64), np.array(closes, np.int64)
