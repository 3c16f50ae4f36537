"""The actions of a strategy's context: orders, brackets, cancels and signals.

Each action becomes an intent the runner turns into a message after the callback. Order
actions return the order's client order id (deterministic: strategy, version, what caused
the callback, rank among its actions), so a strategy can cancel that order later; they
return None when nothing is sent (warming up, or a size of zero).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Unpack

from shared.instruments import InstrumentRegistry
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.strategy import SignalDirection
from shared.strategy.actions import (
    CancelIntent,
    Intent,
    OrderIntent,
    OrderOptions,
    Price,
    SignalIntent,
    order_type_of,
)
from shared.strategy.book import Pending, StrategyBook
from shared.strategy.candles import Candle


class OrderActions:
    """Buy, sell, close, reverse, cancel and signal; mixed into ``StrategyContext``."""

    instruments: InstrumentRegistry
    book: StrategyBook
    bar: Candle | None
    live: bool
    intents: list[Intent]
    marks: dict[str, float]
    id_prefix: str
    cause: str | None

    if TYPE_CHECKING:  # provided by StrategyContext

        def price(self, value: Price, symbol: str | None = None) -> Decimal: ...

        def size(self, price: Price | None = None, symbol: str | None = None) -> Decimal: ...

        def _symbol(self, symbol: str | None) -> str: ...

    def next_client_order_id(self) -> str:
        """The id the next action of this callback gets: strategy, version, cause, rank."""
        return f"{self.id_prefix}{self.cause_key()}-{len(self.intents) + 1}"

    def cause_key(self) -> str:
        """What caused the current callback, as it appears in ids (a bar: timeframe+open s)."""
        if self.cause is not None:
            return self.cause
        bar = self.bar
        if bar is None:
            raise ValueError("no cause set for this callback")
        return f"{bar.timeframe}{bar.open_time // 1_000_000_000}"

    def buy(
        self, quantity: Decimal | int | None = None, **options: Unpack[OrderOptions]
    ) -> str | None:
        """Buy: market by default, ``limit=``/``stop=`` (or both) for the other types.

        Without ``quantity`` the sizing rule decides. Keywords: symbol, limit, stop,
        take_profit / stop_loss (prices) or take_profit_ticks / stop_loss_ticks (away from
        the limit, else the stop, else the last close), time_in_force, reduce_only, tag.
        Returns the client order id, or None when nothing was sent.
        """
        return self._order(OrderSide.BUY, quantity, options)

    def sell(
        self, quantity: Decimal | int | None = None, **options: Unpack[OrderOptions]
    ) -> str | None:
        """Sell; the same keywords and result as ``buy``."""
        return self._order(OrderSide.SELL, quantity, options)

    def close(self, symbol: str | None = None, tag: str | None = "close") -> str | None:
        """Flatten the intended position with a reduce-only market order (None when flat)."""
        symbol = self._symbol(symbol)
        held = self.book.intended(symbol)
        if not held:
            return None
        side = OrderSide.SELL if held > 0 else OrderSide.BUY
        return self._order(side, abs(held), {"symbol": symbol, "reduce_only": True, "tag": tag})

    def reverse(
        self, quantity: Decimal | int | None = None, **options: Unpack[OrderOptions]
    ) -> str | None:
        """One order closing the intended position and opening ``quantity`` (the sizing
        rule's when None) the other way; flat, it buys. The keywords of ``buy``."""
        symbol = self._symbol(options.get("symbol"))
        held = self.book.intended(symbol)
        size = Decimal(quantity) if quantity is not None else self.size(symbol=symbol)
        side = OrderSide.SELL if held > 0 else OrderSide.BUY
        return self._order(side, abs(held) + size, {**options, "symbol": symbol})

    def cancel(self, client_order_id: str, reason: str = "") -> None:
        """Cancel one of the strategy's working orders (ignored when it is not working)."""
        if self.live and client_order_id in self.book.pending:
            self.intents.append(CancelIntent(client_order_id, reason))

    def cancel_all(self, symbol: str | None = None) -> None:
        """Cancel every working order of the strategy (of ``symbol`` if given)."""
        for client_order_id, pending in self.book.pending.items():
            if symbol in (None, pending.symbol):
                self.cancel(client_order_id, "cancel_all")

    def signal(
        self,
        direction: SignalDirection | str,
        strength: float | Decimal = 1,
        reason: str = "",
        symbol: str | None = None,
    ) -> None:
        """Publish a view on a symbol (no order); strength is clamped to 0..1."""
        if not self.live:
            return
        symbol = self._symbol(symbol)
        mark = self.marks.get(symbol)
        price = self.price(mark, symbol) if mark is not None else None
        self.intents.append(
            SignalIntent(symbol, SignalDirection(direction), Decimal(str(strength)), reason, price)
        )

    def _order(
        self, side: OrderSide, quantity: Decimal | int | None, options: OrderOptions
    ) -> str | None:
        if not self.live:
            return None
        symbol = self._symbol(options.get("symbol"))
        limit, stop = options.get("limit"), options.get("stop")
        limit_price = self.price(limit, symbol) if limit is not None else None
        stop_price = self.price(stop, symbol) if stop is not None else None
        entry = limit_price if limit_price is not None else stop_price
        size = Decimal(quantity) if quantity is not None else self.size(entry, symbol)
        if size <= 0:
            return None
        take_profit, stop_loss = self._bracket(side, symbol, entry, options)
        client_order_id = self.next_client_order_id()
        order_type = order_type_of(limit_price, stop_price)
        reduce_only = bool(options.get("reduce_only"))
        self.intents.append(
            OrderIntent(
                symbol,
                side,
                size,
                order_type,
                limit_price,
                stop_price,
                take_profit,
                stop_loss,
                options.get("time_in_force") or TimeInForce.GTC,
                reduce_only,
                options.get("tag"),
            )
        )
        # Out from now on: later actions of this callback see it in ``intended``.
        signed = size if side is OrderSide.BUY else -size
        market = order_type is OrderType.MARKET
        self.book.sent(client_order_id, Pending(symbol, signed, market, reduce_only))
        return client_order_id

    def _bracket(
        self, side: OrderSide, symbol: str, entry: Decimal | None, options: OrderOptions
    ) -> tuple[Decimal | None, Decimal | None]:
        """Absolute take-profit and stop-loss prices, from prices or ticks (ticks win)."""
        tp_price, sl_price = options.get("take_profit"), options.get("stop_loss")
        tp = self.price(tp_price, symbol) if tp_price is not None else None
        sl = self.price(sl_price, symbol) if sl_price is not None else None
        tp_ticks, sl_ticks = options.get("take_profit_ticks"), options.get("stop_loss_ticks")
        if tp_ticks is None and sl_ticks is None:
            return tp, sl
        ref = entry if entry is not None else self._last(symbol)
        step = self.instruments.get(symbol).tick_size * (1 if side is OrderSide.BUY else -1)
        if tp_ticks is not None:
            tp = ref + tp_ticks * step
        if sl_ticks is not None:
            sl = ref - sl_ticks * step
        return tp, sl

    def _last(self, symbol: str) -> Decimal:
        mark = self.marks.get(symbol)
        if mark is None:
            raise ValueError(f"no price of {symbol} yet: give a limit or stop price")
        return self.price(mark, symbol)
