"""Closed candles as they leave the aggregation core, and their conversion to ``Bar`` messages.

The core works in plain numbers. Fed integer ticks and integer size steps (what ``Scale``
converts to), every field is exact, VWAP included: ``turnover`` is the integer sum of
price x size, and the division happens once, in Decimal, when the candle becomes a ``Bar``.
Floats work too, with float rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from shared.instruments import Instrument
from shared.messages.schemas.marketdata import Bar


class Candle(NamedTuple):
    """An OHLCV candle in the core's units (ticks and size steps when fed integers)."""

    symbol: str
    timeframe: str
    open_time: int
    close_time: int
    open: float
    high: float
    low: float
    close: float
    volume: float
    trade_count: int
    turnover: float  # sum of price x size: the VWAP numerator

    @property
    def vwap(self) -> float:
        """Volume-weighted average price, in the core's units (a float)."""
        return self.turnover / self.volume


def _exact(value: float) -> Decimal:
    # repr gives the shortest decimal that reads back as the same float: 0.1 -> Decimal("0.1")
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


@dataclass(frozen=True, slots=True)
class Scale:
    """How integer ticks and size steps map to decimal prices and quantities."""

    tick_size: Decimal = Decimal(1)
    size_step: Decimal = Decimal(1)

    @classmethod
    def of(cls, instrument: Instrument) -> Scale:
        """The instrument's tick size and quantity step."""
        return cls(instrument.tick_size, instrument.quantity_step)

    def ticks(self, price: Decimal) -> int | None:
        """The price as a whole number of ticks, or None when it is off the tick grid."""
        count, rest = divmod(price, self.tick_size)
        return int(count) if rest == 0 else None

    def steps(self, size: Decimal) -> int | None:
        """The size as a whole number of quantity steps, or None when it is not one."""
        count, rest = divmod(size, self.size_step)
        return int(count) if rest == 0 else None

    def bar(self, candle: Candle) -> Bar:
        """The candle as a ``Bar`` payload with decimal prices, volume and VWAP."""
        tick = self.tick_size
        volume = _exact(candle.volume)
        return Bar(
            symbol=candle.symbol,
            timeframe=candle.timeframe,
            open_time=candle.open_time,
            close_time=candle.close_time,
            open=_exact(candle.open) * tick,
            high=_exact(candle.high) * tick,
            low=_exact(candle.low) * tick,
            close=_exact(candle.close) * tick,
            volume=volume * self.size_step,
            trade_count=candle.trade_count,
            # turnover / volume lies in [low, high] and Decimal rounding is monotonic, so the
            # rounded VWAP stays inside the bar, as Bar's validation demands.
            vwap=_exact(candle.turnover) / volume * tick,
        )
