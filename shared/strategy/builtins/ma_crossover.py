"""Moving-average crossover: long when the fast average crosses above the slow one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.feeds import Tracked
from shared.strategy.params import Param, ParameterError, ParamValue


class MovingAverageCrossover(Strategy):
    """Trend following on two moving averages of the close (SMA or EMA).

    Rules, checked on each closed bar of the first subscription once both averages have
    a value and a previous value:

    - the fast average crosses above the slow one (above now, at or below on the bar
      before): flat -> buy; short -> reverse to long (one order of twice the size);
    - it crosses below (below now, at or above before): long -> reverse to short, or
      close when ``long_only``; flat -> sell, unless ``long_only``.

    Decisions use the intended position (fills plus market orders on their way), so an
    entry is never doubled while its fill is pending. Orders are market orders sized by
    the strategy's sizing rule, with optional bracket exits in ticks from the last close.
    """

    NAME: ClassVar[str] = "ma_crossover"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("fast", int, 10, low=1, high=10_000, doc="Bars in the fast average."),
        Param("slow", int, 30, low=2, high=10_000, doc="Bars in the slow average (> fast)."),
        Param("average", str, "sma", choices=("sma", "ema"), doc="Simple or exponential."),
        Param("long_only", bool, False, doc="Go flat instead of short on a cross below."),
        Param("take_profit_ticks", int, 0, low=0, doc="Bracket take-profit; 0 for none."),
        Param("stop_loss_ticks", int, 0, low=0, doc="Bracket stop-loss; 0 for none."),
    )

    fast: Tracked
    slow: Tracked

    def __init__(self, params: Mapping[str, ParamValue]) -> None:
        super().__init__(params)
        self.fast_period = int(self.params["fast"])
        self.slow_period = int(self.params["slow"])
        if self.fast_period >= self.slow_period:
            problem = f"{self.fast_period} must be below slow ({self.slow_period})"
            raise ParameterError("fast", problem)
        self.average = str(self.params["average"])
        self.long_only = bool(self.params["long_only"])
        self.take_profit_ticks = int(self.params["take_profit_ticks"]) or None
        self.stop_loss_ticks = int(self.params["stop_loss_ticks"]) or None

    def on_start(self, ctx: StrategyContext) -> None:
        """Two averages of the first subscription's closes."""
        self.fast = ctx.indicator(self.average, period=self.fast_period)
        self.slow = ctx.indicator(self.average, period=self.slow_period)

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """Act on a cross of the averages (the bar that makes it, never later)."""
        fast, slow = self.fast, self.slow
        fast_before, slow_before = fast.previous, slow.previous
        if fast_before is None or slow_before is None:
            return
        fast_now, slow_now = fast.value, slow.value
        if fast_now > slow_now:
            if fast_before > slow_before:
                return
            held = ctx.intended()
            if held < 0:
                self._enter(ctx, reverse=True, buy=True)
            elif held == 0:
                self._enter(ctx, reverse=False, buy=True)
        elif fast_now < slow_now:
            if fast_before < slow_before:
                return
            held = ctx.intended()
            if held > 0:
                if self.long_only:
                    ctx.close()
                else:
                    self._enter(ctx, reverse=True, buy=False)
            elif held == 0 and not self.long_only:
                self._enter(ctx, reverse=False, buy=False)

    def _enter(self, ctx: StrategyContext, *, reverse: bool, buy: bool) -> None:
        tp, sl = self.take_profit_ticks, self.stop_loss_ticks
        if reverse:
            ctx.reverse(take_profit_ticks=tp, stop_loss_ticks=sl)
        elif buy:
            ctx.buy(take_profit_ticks=tp, stop_loss_ticks=sl)
        else:
            ctx.sell(take_profit_ticks=tp, stop_loss_ticks=sl)
