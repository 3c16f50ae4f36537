"""Market data messages: trades and bars (``marketdata.trades``, ``marketdata.bars``).

Prices may be zero or negative: futures and spreads can trade there (CL settled at -37.63
on 2020-04-20). Whether a price is plausible is the instrument's and the risk check's call.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from shared.messages.envelope import Payload, WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    NonNegativeDecimal,
    PositiveDecimal,
    Symbol,
    Timeframe,
    TimestampNs,
)


class AggressorSide(StrEnum):
    """Which side crossed the spread to make the trade."""

    BUY = "BUY"
    SELL = "SELL"
    NONE = "NONE"


@message
class Trade(Payload):
    """One trade (tick); its time is the envelope's ``ts_event``."""

    TYPE = "Trade"
    VERSION = 1

    symbol: Symbol
    price: WireDecimal
    size: PositiveDecimal
    aggressor_side: AggressorSide = AggressorSide.NONE
    venue_trade_id: str | None = Field(default=None, max_length=64)


@message
class Bar(Payload):
    """A closed OHLCV candle, identified by symbol, timeframe and open time.

    ``close_time`` is the end of the interval (exclusive). ``vwap`` is None only for bars
    imported without one.
    """

    TYPE = "Bar"
    VERSION = 1

    symbol: Symbol
    timeframe: Timeframe
    open_time: TimestampNs
    close_time: TimestampNs
    open: WireDecimal
    high: WireDecimal
    low: WireDecimal
    close: WireDecimal
    volume: NonNegativeDecimal
    trade_count: int = Field(ge=0)
    vwap: WireDecimal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.close_time <= self.open_time:
            raise ValueError("close_time must be after open_time")
        if self.high < max(self.open, self.close):
            raise ValueError("high is below the open or the close")
        if self.low > min(self.open, self.close):
            raise ValueError("low is above the open or the close")
        if self.vwap is not None and not self.low <= self.vwap <= self.high:
            raise ValueError("vwap is outside the bar's low..high range")
        return self
