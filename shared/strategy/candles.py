"""The bar a strategy sees: one tuple per closed candle, prices as floats."""

from __future__ import annotations

from typing import NamedTuple

from shared.messages.schemas.marketdata import Bar


class Candle(NamedTuple):
    """A closed candle of ``symbol`` and ``timeframe``; times in UTC nanoseconds.

    Prices are floats: indicators and strategy arithmetic run on floats, and every price
    that reaches an order is rounded to the instrument's tick as a Decimal at that boundary.
    """

    symbol: str
    timeframe: str
    open_time: int
    close_time: int
    open: float
    high: float
    low: float
    close: float
    volume: float
    vwap: float


def candle_of(bar: Bar) -> Candle:
    """The candle of a ``Bar`` message."""
    close = float(bar.close)
    return Candle(
        bar.symbol,
        bar.timeframe,
        bar.open_time,
        bar.close_time,
        float(bar.open),
        float(bar.high),
        float(bar.low),
        close,
        float(bar.volume),
        float(bar.vwap) if bar.vwap is not None else close,
    )
