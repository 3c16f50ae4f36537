"""What a strategy sees and does: its bars, indicators, position, parameters and actions."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any

from shared.instruments import InstrumentRegistry
from shared.strategy.actions import Intent
from shared.strategy.book import StrategyBook
from shared.strategy.candles import Candle
from shared.strategy.definition import StrategyDefinition, Subscription
from shared.strategy.feeds import Tracked, track
from shared.strategy.orders import OrderActions
from shared.strategy.params import ParamValue
from shared.strategy.sessions import SessionKeys

ZERO = Decimal(0)


class StrategyContext(OrderActions):
    """The strategy's window on the market and its account (one per running strategy).

    ``symbol`` and ``timeframe`` arguments default to the bar being handled, else to the
    first subscription. Prices given to actions may be floats; they are rounded to the
    instrument's tick. The actions (buy, sell, close, reverse, cancel, cancel_all, signal)
    come from ``shared.strategy.orders.OrderActions``.
    """

    def __init__(
        self,
        definition: StrategyDefinition,
        params: Mapping[str, ParamValue],
        instruments: InstrumentRegistry,
        *,
        history_size: int = 500,
    ) -> None:
        self.definition = definition
        self.params = params
        self.instruments = instruments
        self.book = StrategyBook()
        self.bar: Candle | None = None
        self.now = 0
        self.live = True
        """False while warming up: actions are then ignored."""
        self.intents: list[Intent] = []
        self.id_prefix = f"{definition.strategy_id.hex[:12]}-{definition.version}-"
        self.cause: str | None = None
        """What caused the current callback, for ids; None while handling ``bar``."""
        self.history_size = history_size
        self.histories: dict[Subscription, deque[Candle]] = {}
        self.feeds: dict[Subscription, list[Tracked]] = {}
        self.series: dict[tuple[str, str], tuple[deque[Candle], list[Tracked]]] = {}
        """Both of the above by (symbol, timeframe): one lookup per bar for the runner."""
        self.marks: dict[str, float] = {}
        for sub in definition.subscriptions:
            self._series(sub)

    # -- data ---------------------------------------------------------------------------

    def _series(self, sub: Subscription) -> deque[Candle]:
        found = self.histories.get(sub)
        if found is None:
            found = self.histories[sub] = deque(maxlen=self.history_size)
            feeds = self.feeds[sub] = []
            self.series[sub] = (found, feeds)
        return found

    def _sub(self, symbol: str | None, timeframe: str | None) -> Subscription:
        bar = self.bar
        default = (bar.symbol, bar.timeframe) if bar else self.definition.subscriptions[0]
        return Subscription(symbol or default[0], timeframe or default[1])

    def _symbol(self, symbol: str | None) -> str:
        if symbol:
            return symbol
        bar = self.bar
        return bar.symbol if bar is not None else self.definition.subscriptions[0].symbol

    def history(self, symbol: str | None = None, timeframe: str | None = None) -> deque[Candle]:
        """The closed candles so far, oldest first (up to ``history_size``)."""
        return self._series(self._sub(symbol, timeframe))

    def indicator(
        self,
        name: str,
        *,
        symbol: str | None = None,
        timeframe: str | None = None,
        source: str = "close",
        **params: Any,
    ) -> Tracked:
        """A streaming indicator fed from every candle of (symbol, timeframe) from now on.

        Single-input indicators read ``source`` (open, high, low, close, volume or vwap).
        Read ``.value`` and ``.previous`` (None during warm-up) in ``on_bar``. Session
        indicators (``vwap``) restart with each trading session of the instrument (each
        UTC day for one without a session).
        """
        sub = self._sub(symbol, timeframe)
        self._series(sub)
        tracked = track(name, source, params)
        if hasattr(tracked.indicator, "start_session"):
            tracked.session = SessionKeys(self.instruments.get(sub.symbol).session)
        self.feeds[sub].append(tracked)
        return tracked

    def position(self, symbol: str | None = None) -> Decimal:
        """The strategy's filled position: positive long, negative short."""
        return self.book.position(self._symbol(symbol))

    def intended(self, symbol: str | None = None) -> Decimal:
        """The filled position plus the strategy's market orders still on their way."""
        return self.book.intended(self._symbol(symbol))

    def average_price(self, symbol: str | None = None) -> Decimal:
        """The average entry price of the open position (0 when flat)."""
        found = self.book.holdings.get(self._symbol(symbol))
        return found.average_price if found is not None else ZERO

    def working_orders(self, symbol: str | None = None) -> list[str]:
        """Client order ids of the strategy's orders not yet done."""
        return [k for k, p in self.book.pending.items() if symbol in (None, p.symbol)]

    def equity(self) -> Decimal:
        """Capital plus realized P&L (after commissions) plus unrealized at the last closes."""
        total = self.definition.capital + self.book.realized()
        for symbol, holding in self.book.holdings.items():
            mark = self.marks.get(symbol)
            if holding.quantity and mark is not None:
                point_value = self.instruments.get(symbol).point_value
                move = self.price(mark, symbol) - holding.average_price
                total += move * holding.quantity * point_value
        return total

    def price(self, value: float | Decimal, symbol: str | None = None) -> Decimal:
        """``value`` as a Decimal on the instrument's tick grid (nearest tick)."""
        tick = self.instruments.get(self._symbol(symbol)).tick_size
        exact = value if isinstance(value, Decimal) else Decimal(repr(value))
        return (exact / tick).to_integral_value(ROUND_HALF_EVEN) * tick

    def size(self, price: float | Decimal | None = None, symbol: str | None = None) -> Decimal:
        """The quantity the sizing rule gives at ``price`` (the last close by default).

        ``equity`` sizing: whole contracts whose notional is at most ``fraction`` of
        ``equity()``; 0 before the first price.
        """
        sizing = self.definition.sizing
        if sizing.mode == "fixed":
            return sizing.quantity
        symbol = self._symbol(symbol)
        ref = price if price is not None else self.marks.get(symbol)
        if ref is None:
            return ZERO
        notional = abs(self.price(ref, symbol)) * self.instruments.get(symbol).point_value
        if not notional:
            return ZERO
        return (self.equity() * sizing.fraction / notional).to_integral_value(ROUND_FLOOR)
