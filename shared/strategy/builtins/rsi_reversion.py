"""RSI mean reversion: buy a market that has fallen too far, sell one that has risen too far."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.feeds import Tracked
from shared.strategy.params import Param, ParameterError, ParamValue


class RsiReversion(Strategy):
    """Mean reversion on Wilder's RSI of the close.

    Rules, on each closed bar of the first subscription once the RSI has a value and a
    previous value:

    - flat, RSI crosses below ``oversold`` (below now, at or above on the bar before):
      buy;
    - flat, RSI crosses above ``overbought``: sell, unless ``long_only``;
    - long, RSI at or above ``exit_level``: close, or reverse to short if the same bar
      also crosses above ``overbought`` (and not ``long_only``);
    - short, RSI at or below ``exit_level``: close, or reverse to long if the same bar
      also crosses below ``oversold``.

    Entries need the crossing, so a position closed by its bracket is not re-entered
    while the RSI stays in the zone. Market orders sized by the sizing rule; optional
    bracket exits in ticks from the last close.
    """

    NAME: ClassVar[str] = "rsi_reversion"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("period", int, 14, low=2, high=1_000, doc="Bars in the RSI."),
        Param("oversold", float, 30.0, low=0, high=100, doc="Buy as the RSI falls below this."),
        Param("overbought", float, 70.0, low=0, high=100, doc="Sell as the RSI rises above this."),
        Param("exit_level", float, 50.0, low=0, high=100, doc="Exit once the RSI is back at this."),
        Param("long_only", bool, False, doc="Never go short."),
        Param("take_profit_ticks", int, 0, low=0, doc="Bracket take-profit; 0 for none."),
        Param("stop_loss_ticks", int, 0, low=0, doc="Bracket stop-loss; 0 for none."),
    )

    rsi: Tracked

    def __init__(self, params: Mapping[str, ParamValue]) -> None:
        super().__init__(params)
        self.period = int(self.params["period"])
        self.oversold = float(self.params["oversold"])
        self.overbought = float(self.params["overbought"])
        self.exit_level = float(self.params["exit_level"])
        if not self.oversold < self.exit_level < self.overbought:
            problem = (
                f"{self.exit_level:g} must lie between oversold ({self.oversold:g}) "
                f"and overbought ({self.overbought:g})"
            )
            raise ParameterError("exit_level", problem)
        self.long_only = bool(self.params["long_only"])
        self.exits = (
            int(self.params["take_profit_ticks"]) or None,
            int(self.params["stop_loss_ticks"]) or None,
        )

    def on_start(self, ctx: StrategyContext) -> None:
        """The RSI of the first subscription's closes."""
        self.rsi = ctx.indicator("rsi", period=self.period)

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """Enter on a crossing into a zone, exit back at the exit level."""
        value, before = self.rsi.value, self.rsi.previous
        if before is None:
            return
        buy = value < self.oversold <= before
        sell = value > self.overbought >= before and not self.long_only
        held = ctx.intended()
        tp, sl = self.exits
        if held > 0 and value >= self.exit_level:
            if sell:
                ctx.reverse(take_profit_ticks=tp, stop_loss_ticks=sl)
            else:
                ctx.close()
        elif held < 0 and value <= self.exit_level:
            if buy:
                ctx.reverse(take_profit_ticks=tp, stop_loss_ticks=sl)
            else:
                ctx.close()
        elif held == 0 and buy:
            ctx.buy(take_profit_ticks=tp, stop_loss_ticks=sl)
        elif held == 0 and sell:
            ctx.sell(take_profit_ticks=tp, stop_loss_ticks=sl)
