"""VWAP reversion: fade a stretch away from the session VWAP, take profit back at it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.feeds import Tracked
from shared.strategy.params import Param, ParamValue


class VwapReversion(Strategy):
    """Mean reversion to the session VWAP.

    The VWAP is the session's volume-weighted typical price ((high + low + close) / 3),
    restarting with each trading session of the instrument (each UTC day for one that
    trades around the clock), current bar included. The band is ``band`` ATRs, or
    ``band`` percent of the VWAP. On each closed bar of the first subscription:

    - long and the close is back at or above the VWAP: close; short and at or below: close;
    - flat, close below VWAP - band: buy; above VWAP + band: sell, unless ``long_only``.

    Nothing happens while the session has no volume yet or the ATR is warming up.
    Market orders sized by the sizing rule; an optional bracket stop-loss in ticks.
    """

    NAME: ClassVar[str] = "vwap_reversion"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("band", float, 2.0, low=0.01, high=100, doc="How far from the VWAP to enter."),
        Param(
            "band_unit",
            str,
            "atr",
            choices=("atr", "percent"),
            doc="Unit of the band: ATRs or percent of the VWAP.",
        ),
        Param("atr_period", int, 14, low=1, high=1_000, doc="Bars in the ATR (band_unit atr)."),
        Param("long_only", bool, False, doc="Never go short."),
        Param("stop_loss_ticks", int, 0, low=0, doc="Bracket stop-loss; 0 for none."),
    )

    vwap: Tracked
    atr: Tracked | None

    def __init__(self, params: Mapping[str, ParamValue]) -> None:
        super().__init__(params)
        self.band = float(self.params["band"])
        self.in_atr = self.params["band_unit"] == "atr"
        self.long_only = bool(self.params["long_only"])
        self.stop_loss_ticks = int(self.params["stop_loss_ticks"]) or None

    def on_start(self, ctx: StrategyContext) -> None:
        """The session VWAP, and the ATR when the band is in ATRs."""
        self.vwap = ctx.indicator("vwap")
        period = int(self.params["atr_period"])
        self.atr = ctx.indicator("atr", period=period) if self.in_atr else None

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """Exit at the VWAP; enter beyond the band."""
        vwap = self.vwap.value
        if vwap is None:
            return
        close = bar.close
        held = ctx.intended()
        if held > 0:
            if close >= vwap:
                ctx.close()
            return
        if held < 0:
            if close <= vwap:
                ctx.close()
            return
        width = self._width(vwap)
        if width is None:
            return
        if close < vwap - width:
            ctx.buy(stop_loss_ticks=self.stop_loss_ticks)
        elif close > vwap + width and not self.long_only:
            ctx.sell(stop_loss_ticks=self.stop_loss_ticks)

    def _width(self, vwap: float) -> float | None:
        if self.atr is None:
            return abs(vwap) * self.band / 100
        atr = self.atr.value
        return None if atr is None else atr * self.band
