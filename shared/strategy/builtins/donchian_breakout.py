"""Donchian breakout: trade the break of the recent range, protected by an ATR stop."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import OrderEvent, OrderFilled, OrderRejected
from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.feeds import Tracked
from shared.strategy.params import Param, ParameterError, ParamValue


class DonchianBreakout(Strategy):
    """Breakout of the Donchian channel (turtle style), with a protective ATR stop.

    Channels are those of the bars *before* the current one. On each closed bar of the
    first subscription:

    - long, close below the lowest low of the last ``exit_bars`` bars: close, and cancel
      the protective stop; short, close above their highest high: the same;
    - flat (or just closed), close above the highest high of the last ``entry_bars``
      bars: buy; below their lowest low: sell, unless ``long_only``.

    When an entry fills, a reduce-only stop order goes in at the fill price minus
    ``atr_stop`` x ATR (plus, for a short), the ATR being the one of the bar that
    decided the entry; ``atr_stop`` 0 places none. With ``trail_stop`` the stop follows
    each close at the same distance (current ATR) when that tightens it (on the tick
    grid): cancel, then a new stop. Entries wait for the ATR when a stop is asked for.
    """

    NAME: ClassVar[str] = "donchian_breakout"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("entry_bars", int, 20, low=2, high=10_000, doc="Bars in the entry channel."),
        Param("exit_bars", int, 10, low=1, high=10_000, doc="Bars in the exit channel."),
        Param("atr_period", int, 14, low=1, high=1_000, doc="Bars in the ATR of the stop."),
        Param("atr_stop", float, 2.0, low=0, high=100, doc="Stop distance in ATRs; 0: none."),
        Param("trail_stop", bool, False, doc="Move the stop with the close as price moves on."),
        Param("long_only", bool, False, doc="Never go short."),
    )

    entry: Tracked
    exit: Tracked
    atr: Tracked

    def __init__(self, params: Mapping[str, ParamValue]) -> None:
        super().__init__(params)
        self.entry_bars = int(self.params["entry_bars"])
        self.exit_bars = int(self.params["exit_bars"])
        if self.exit_bars > self.entry_bars:
            problem = f"{self.exit_bars} must not exceed entry_bars ({self.entry_bars})"
            raise ParameterError("exit_bars", problem)
        self.atr_stop = float(self.params["atr_stop"])
        self.trail = bool(self.params["trail_stop"])
        self.long_only = bool(self.params["long_only"])
        self.distance: float | None = None
        self.stops: dict[str, Decimal] = {}
        """Working protective stops: client order id -> stop price."""

    def on_start(self, ctx: StrategyContext) -> None:
        """The entry and exit channels and the ATR of the first subscription."""
        self.entry = ctx.indicator("donchian", period=self.entry_bars)
        self.exit = ctx.indicator("donchian", period=self.exit_bars)
        self.atr = ctx.indicator("atr", period=int(self.params["atr_period"]))

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """Exit on the exit channel, enter on the entry channel, trail the stop."""
        entry, exit_ = self.entry.previous, self.exit.previous
        if entry is None or exit_ is None:
            return
        close = bar.close
        held = ctx.intended()
        if (held > 0 and close < exit_.lower) or (held < 0 and close > exit_.upper):
            self._exit(ctx)
            held = Decimal(0)
        if held == 0:
            if close > entry.upper:
                self._enter(ctx, OrderSide.BUY)
            elif close < entry.lower and not self.long_only:
                self._enter(ctx, OrderSide.SELL)
        elif self.trail and self.stops:
            self._trail(ctx, close, held)

    def on_fill(self, ctx: StrategyContext, fill: OrderFilled) -> None:
        """An opening fill gets its protective stop; stops that are done are forgotten."""
        self._forget_done(ctx)
        held = ctx.position(fill.symbol)
        long = fill.side is OrderSide.BUY
        if not self.atr_stop or held == 0 or (held > 0) != long:
            return  # no stops asked for, or the fill reduced the position
        distance = self.distance if self.distance is not None else self._distance()
        if not distance:
            return  # no ATR yet, or a market so quiet its ATR is 0: no sensible stop
        price = float(fill.price) + (-distance if long else distance)
        self._place_stop(ctx, min(fill.quantity, abs(held)), price, long)

    def on_order_event(self, ctx: StrategyContext, event: OrderEvent | OrderRejected) -> None:
        """A stop canceled, expired or refused is no longer ours to manage."""
        self._forget_done(ctx)

    def _distance(self) -> float | None:
        atr = self.atr.value
        return None if atr is None else self.atr_stop * atr

    def _enter(self, ctx: StrategyContext, side: OrderSide) -> None:
        distance = self._distance()
        if self.atr_stop and distance is None:
            return  # the stop needs the ATR: wait for it
        self.distance = distance
        if side is OrderSide.BUY:
            ctx.buy(tag="entry")
        else:
            ctx.sell(tag="entry")

    def _exit(self, ctx: StrategyContext) -> None:
        # Every resting reduce-only order of the symbol is a protective stop, including
        # those a restarted worker restored from the ledger without their prices.
        symbol = ctx.bar.symbol if ctx.bar else None
        for client_order_id, order in ctx.book.pending.items():
            if order.reduce_only and not order.market and order.symbol == symbol:
                ctx.cancel(client_order_id, "exit")
        self.stops.clear()
        ctx.close(tag="exit")

    def _trail(self, ctx: StrategyContext, close: float, held: Decimal) -> None:
        distance = self._distance()
        if not distance:
            return
        long = held > 0
        level = ctx.price(close - distance if long else close + distance)
        worst = min(self.stops.values()) if long else max(self.stops.values())
        if (level <= worst) if long else (level >= worst):
            return  # a stop only ever tightens
        for client_order_id in self.stops:
            ctx.cancel(client_order_id, "trail")
        self.stops.clear()
        self._place_stop(ctx, abs(ctx.position()), level, long)

    def _place_stop(
        self, ctx: StrategyContext, quantity: Decimal, price: float | Decimal, long: bool
    ) -> None:
        if quantity <= 0:
            return
        stop = ctx.price(price)
        act = ctx.sell if long else ctx.buy
        client_order_id = act(quantity, stop=stop, reduce_only=True, tag="stop")
        if client_order_id is not None:
            self.stops[client_order_id] = stop

    def _forget_done(self, ctx: StrategyContext) -> None:
        pending = ctx.book.pending
        for client_order_id in [k for k in self.stops if k not in pending]:
            del self.stops[client_order_id]
