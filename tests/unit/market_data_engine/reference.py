"""Independent references for the candle tests: pandas resampling, and a naive rules model.

Neither shares code with the aggregator: intraday bins come from pandas, trading days from
pandas time zone conversion (the day ends at 17:00 America/Chicago), and the rules model
keeps every trade of every interval in a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from market_data_engine.domain.candles import Candle

Row = tuple[int, int, int, int, int, int, int, int, int]
"""open_time, close_time, open, high, low, close, volume, trade_count, turnover."""

CHICAGO = "America/Chicago"
_UNITS = {"s": 1, "m": 60, "h": 3600}


def row(candle: Candle) -> Row:
    """A candle without its symbol and timeframe, for comparisons."""
    return tuple(candle[2:])  # type: ignore[return-value]


def width_seconds(timeframe: str) -> int:
    return int(timeframe[:-1]) * _UNITS[timeframe[-1]]


def chicago_day(ts: int) -> tuple[int, int]:
    """The CME trading day holding ``ts``: from the previous to the next 17:00 Chicago time."""
    local = pd.Timestamp(ts, unit="ns", tz="UTC").tz_convert(CHICAGO).tz_localize(None)
    return _day_closing_on((local + pd.Timedelta(hours=7)).normalize())


def _day_closing_on(date: pd.Timestamp) -> tuple[int, int]:
    """Wall-clock arithmetic on naive local dates, then localized: 23 or 25 hours at DST."""
    opened = (date - pd.Timedelta(days=1) + pd.Timedelta(hours=17)).tz_localize(CHICAGO)
    closes = (date + pd.Timedelta(hours=17)).tz_localize(CHICAGO)
    return opened.as_unit("ns").value, closes.as_unit("ns").value


def bucket(ts: int, timeframe: str) -> tuple[int, int]:
    if timeframe == "1d":
        return chicago_day(ts)
    width = width_seconds(timeframe) * 1_000_000_000
    start = (ts // width) * width
    return start, start + width


def pandas_candles(
    ts: Sequence[int], price: Sequence[int], size: Sequence[int], timeframe: str
) -> list[Row]:
    """Candles of in-order trades by pandas: resample for intraday, groupby for trading days."""
    frame = pd.DataFrame(
        {"price": price, "qty": size}, index=pd.to_datetime(ts, unit="ns", utc=True)
    )
    frame["turnover"] = frame["price"] * frame["qty"]
    aggregations: dict[str, Any] = {
        "open": ("price", "first"),
        "high": ("price", "max"),
        "low": ("price", "min"),
        "close": ("price", "last"),
        "volume": ("qty", "sum"),
        "count": ("price", "count"),
        "turnover": ("turnover", "sum"),
    }
    if timeframe == "1d":
        local = pd.DatetimeIndex(frame.index).tz_convert(CHICAGO).tz_localize(None)
        closing_date = (local + pd.Timedelta(hours=7)).normalize()  # 17:00 rolls to the next date
        table = frame.groupby(closing_date, sort=True).agg(**aggregations)
        bounds = [_day_closing_on(pd.Timestamp(date)) for date in table.index]
    else:
        width = pd.Timedelta(seconds=width_seconds(timeframe))
        table = frame.resample(width, origin="epoch", label="left", closed="left").agg(
            **aggregations
        )
        table = table[table["count"] > 0]
        starts = pd.DatetimeIndex(table.index).as_unit("ns").asi8.tolist()
        bounds = [(start, start + width.value) for start in starts]
    values = table.astype("int64").itertuples(index=False)
    return [
        cast(Row, (*bound, *map(int, value))) for bound, value in zip(bounds, values, strict=True)
    ]


@dataclass
class _Forming:
    start: int
    end: int
    trades: list[tuple[int, int, int, int]] = field(default_factory=list)  # ts, arrival, px, qty

    def row(self) -> Row:
        first = min(self.trades, key=lambda t: (t[0], t[1]))
        last = max(self.trades, key=lambda t: (t[0], t[1]))
        prices = [t[2] for t in self.trades]
        volume = sum(t[3] for t in self.trades)
        turnover = sum(t[2] * t[3] for t in self.trades)
        return (self.start, self.end, first[2], max(prices), min(prices), last[2], volume,
                len(self.trades), turnover)  # fmt: skip


Event = tuple[str, int, int, int]
"""("trade", ts, price, size) or ("clock", now, 0, 0)."""


def model_candles(events: Sequence[Event], timeframe: str, grace_ns: int) -> tuple[list[Row], int]:
    """The candle rules applied to one timeframe directly, slowly: (closed candles, late count).

    A trade of the forming interval joins it; of a later one closes it and starts the next;
    of an earlier one, or of an interval the clock has closed, is late. The clock closes the
    forming candle once its end plus the grace has passed. Whatever forms at the end closes.
    """
    closed: list[Row] = []
    forming: _Forming | None = None
    floor = -(2**63)  # intervals before this one are final
    late = 0
    for arrival, (kind, ts, price, size) in enumerate(events):
        if kind == "clock":
            horizon = ts - grace_ns
            if forming is not None and forming.end <= horizon:
                closed.append(forming.row())
                floor = max(floor, forming.end)
                forming = None
            if forming is None:
                floor = max(floor, bucket(horizon, timeframe)[0])
            continue
        start, end = bucket(ts, timeframe)
        if forming is not None and start == forming.start:
            forming.trades.append((ts, arrival, price, size))
        elif (forming is not None and start > forming.start) or (
            forming is None and start >= floor
        ):
            if forming is not None:
                closed.append(forming.row())
            forming = _Forming(start, end, [(ts, arrival, price, size)])
            floor = start
        else:
            late += 1
    if forming is not None:
        closed.append(forming.row())
    return closed, late
