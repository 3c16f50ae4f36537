"""Candles as the live pipeline stores them, and as each store gives them back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from market_data_engine.adapters.candle_format import encode_cached
from shared.messages.schemas.marketdata import Bar

SECOND = 1_000_000_000
MINUTE = 60 * SECOND
T0 = 1_772_000_000 * SECOND - (1_772_000_000 * SECOND) % (60 * MINUTE)  # on the hour


def bar(
    open_time: int,
    *,
    symbol: str = "ESZ6",
    timeframe: str = "1m",
    width: int = MINUTE,
    prices: tuple[str, str, str, str] = ("5000.25", "5001.00", "4999.75", "5000.50"),
    volume: str = "123",
    trades: int = 45,
    vwap: str | None = "5000.123456789012345678901234",
) -> Bar:
    """A closed candle as the engine makes it."""
    o, h, low, c = map(Decimal, prices)
    return Bar(
        symbol=symbol,
        timeframe=timeframe,
        open_time=open_time,
        close_time=open_time + width,
        open=o,
        high=h,
        low=low,
        close=c,
        volume=Decimal(volume),
        trade_count=trades,
        vwap=None if vwap is None else Decimal(vwap),
    )


def bars(count: int, start: int = T0, width: int = MINUTE, **kwargs: Any) -> list[Bar]:
    """``count`` consecutive candles from ``start``."""
    return [bar(start + i * width, width=width, **kwargs) for i in range(count)]


def _json_number(value: float) -> float | int:
    # InfluxDB's JSON gives an integral float as an integer (4384.0 -> 4384).
    return int(value) if value.is_integer() else value


def stored_row(candle: Bar) -> list[Any]:
    """The candle as InfluxDB answers the query: ``time`` then ``HISTORY_FIELDS``."""
    vwap = None if candle.vwap is None else _json_number(float(candle.vwap))
    return [
        candle.open_time,
        *(_json_number(float(v)) for v in (candle.open, candle.high, candle.low, candle.close)),
        _json_number(float(candle.volume)),
        candle.trade_count,
        vwap,
        candle.close_time,
    ]


def member(candle: Bar) -> bytes:
    """The candle's sorted-set member."""
    return encode_cached(candle)


def session_trades(count: int, start_ns: int, seed: int = 3) -> tuple[Any, Any, Any]:
    """Seeded ES trades (ns, ticks, sizes) from ``start_ns``, only while CME Globex is open."""
    import numpy as np

    from shared.instruments import CME_GLOBEX

    rng = np.random.default_rng(seed)
    ts = start_ns + np.cumsum(rng.exponential(2.5 * SECOND, count * 2).astype(np.int64))
    ts = ts[np.array([CME_GLOBEX.is_open(t) for t in ts.tolist()])][:count]
    price = 20_000 + np.cumsum(rng.integers(-2, 3, len(ts)))
    size = rng.geometric(0.3, len(ts)).astype(np.int64)
    return ts, price, size
