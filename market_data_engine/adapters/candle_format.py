"""How candles are laid out in InfluxDB and Redis: the one definition writers and readers share.

InfluxDB: measurement ``candles``, tags ``symbol`` and ``timeframe``, timestamp = the
candle's open time (ns), fields ``open``/``high``/``low``/``close``/``volume``/``vwap``
(floats), ``trades`` (integer) and ``close_time`` (integer ns). Rewriting a candle is
harmless: same series and timestamp, the point is replaced. Prices are floats there
(InfluxQL aggregates them); a tick-grid price reads back exactly through ``repr``, and
readers round to the instrument's tick.

Redis (all keys under the cache prefix):
- ``candles:<symbol>:<timeframe>`` — sorted set of the newest closed candles, score = open
  time in whole seconds (nanoseconds would overflow a double's exact range; candle open times
  are whole seconds), member = the cached form below; trimmed to ``CACHE_DEPTH``;
- ``forming:<symbol>:<timeframe>`` — the forming candle, same cached form, with a TTL;
- ``last:<symbol>`` — the last trade price and time (layout in ``shared.last_trades``).

The cached form is compact JSON: ``[open_time, close_time, open, high, low, close, volume,
trade_count, vwap]`` with decimals as strings, so a cached candle is exact.
"""

from __future__ import annotations

import json
from decimal import Decimal

from shared.messages.schemas.marketdata import Bar
from shared.tsdb import line

MEASUREMENT = "candles"
CACHE_DEPTH = 2000
NANOS_PER_SECOND = 1_000_000_000


def influx_line(bar: Bar) -> str:
    """The bar as one line of line protocol."""
    fields: dict[str, float | int] = {
        "open": float(bar.open),
        "high": float(bar.high),
        "low": float(bar.low),
        "close": float(bar.close),
        "volume": float(bar.volume),
        "trades": bar.trade_count,
        "close_time": bar.close_time,
    }
    if bar.vwap is not None:
        fields["vwap"] = float(bar.vwap)
    return line(
        MEASUREMENT, {"symbol": bar.symbol, "timeframe": bar.timeframe}, fields, bar.open_time
    )


def closed_key(symbol: str, timeframe: str) -> tuple[str, str, str]:
    """Key parts of the sorted set of closed candles (join them with ``Cache.key``)."""
    return ("candles", symbol, timeframe)


def forming_key(symbol: str, timeframe: str) -> tuple[str, str, str]:
    """Key parts of the forming candle."""
    return ("forming", symbol, timeframe)


def score(open_time_ns: int) -> int:
    """The sorted-set score of a candle: its open time in whole seconds."""
    return open_time_ns // NANOS_PER_SECOND


def encode_cached(bar: Bar) -> bytes:
    """The bar's compact cached form."""
    vwap = None if bar.vwap is None else str(bar.vwap)
    row = [
        bar.open_time,
        bar.close_time,
        str(bar.open),
        str(bar.high),
        str(bar.low),
        str(bar.close),
        str(bar.volume),
        bar.trade_count,
        vwap,
    ]
    return json.dumps(row, separators=(",", ":")).encode()


def decode_cached(symbol: str, timeframe: str, data: bytes | str) -> Bar:
    """A cached candle back as a ``Bar``."""
    open_time, close_time, o, h, low, c, v, trades, vwap = json.loads(data)
    return Bar(
        symbol=symbol,
        timeframe=timeframe,
        open_time=open_time,
        close_time=close_time,
        open=Decimal(o),
        high=Decimal(h),
        low=Decimal(low),
        close=Decimal(c),
        volume=Decimal(v),
        trade_count=trades,
        vwap=None if vwap is None else Decimal(vwap),
    )
