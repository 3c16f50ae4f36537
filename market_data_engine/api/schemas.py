"""The public shapes of the engine's candle and gap answers (documentation and clients)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CandlePublic(BaseModel):
    """One candle: ISO times with Z, decimal strings for prices, volume and VWAP."""

    open_time: str = Field(examples=["2026-03-06T14:30:00.000000000Z"])
    close_time: str = Field(examples=["2026-03-06T14:35:00.000000000Z"])
    open: str = Field(examples=["5012.25"])
    high: str
    low: str
    close: str
    volume: str = Field(examples=["1843"])
    trade_count: int
    vwap: str | None = Field(description="None only for bars imported without one")
    forming: bool = Field(description="True for the candle still forming (not final)")


class CandlesPublic(BaseModel):
    """Candles oldest first; ``source`` says which store answered."""

    symbol: str
    timeframe: str
    data: list[CandlePublic]
    count: int
    source: Literal["cache", "influxdb", "mixed"]


class GapPublic(BaseModel):
    """Consecutive intervals without a candle while the session was open: [start, end)."""

    start: str
    end: str
    missing: int = Field(description="How many intervals of the timeframe the range spans")


class GapsPublic(BaseModel):
    """Missing candles of a symbol and timeframe over [start, end), inside trading sessions."""

    symbol: str
    timeframe: str
    start: str
    end: str
    expected: int = Field(description="Intervals that fall (at least partly) in a session")
    missing: int
    data: list[GapPublic]
    count: int
