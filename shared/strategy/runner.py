"""Drives one strategy: feeds it candles and its order events, turns its actions into messages.

Live workers and the backtester both go through this runner, so a strategy fed the same
candles and events emits the same messages, with the same ids. Ids are deterministic:
an order's ``client_order_id`` is made of the strategy, the version, what caused it (the
candle's timeframe and open time, or the order event) and its rank among the actions of
that callback, so a candle handled twice (a replay after a crash) asks for the same order
twice and the order processor answers the second with the first's outcome.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.instruments import InstrumentRegistry
from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import (
    OrderCanceled,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
)
from shared.messages.schemas.reasons import RejectedCommand
from shared.strategy.actions import CancelIntent, OrderIntent
from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.definition import StrategyDefinition, Subscription
from shared.strategy.emit import Emitted, cancel_message, signal_message, submit_message
from shared.trading.ids import derive_id

__all__ = ["NOTHING", "Emitted", "StrategyRunner"]

NOTHING: Sequence[Emitted] = ()


def _ends_order(event: OrderEvent | OrderRejected) -> bool:
    """Canceled, expired, or a refused submit (a refused cancel leaves the order working)."""
    if isinstance(event, OrderRejected):
        return event.command is RejectedCommand.SUBMIT
    return isinstance(event, (OrderCanceled, OrderExpired))


def _event_key(event: OrderEvent | OrderRejected) -> str:
    """The cause of actions taken on an order event: the order and the event's kind."""
    order = event.order_id or derive_id(event.client_order_id or "")
    kind = type(event).__name__[5:8].lower()
    if isinstance(event, OrderRejected):
        kind += event.command.value[:3].lower()
    return f"o{order.hex[:8]}{kind}"


class StrategyRunner:
    """One running strategy version: its context, its strategy object and its ids."""

    def __init__(
        self,
        definition: StrategyDefinition,
        strategy: Strategy,
        instruments: InstrumentRegistry,
        *,
        history_size: int = 500,
    ) -> None:
        self.definition = definition
        self.strategy = strategy
        self.subscriptions: tuple[Subscription, ...] = strategy.subscriptions(
            definition.subscriptions
        )
        self.ctx = StrategyContext(
            definition, strategy.params, instruments, history_size=history_size
        )
        for sub in self.subscriptions:
            self.ctx.history(*sub)
        self._instruments = instruments
        self.hears_order_events = type(strategy).on_order_event is not Strategy.on_order_event
        """False when the strategy keeps ``Strategy.on_order_event`` (a no-op): then an
        order event that neither fills nor ends an order changes nothing here, and a caller
        may leave it out (the backtester does, sparing its payload)."""

    def start(self, now_ns: int, run_key: str = "run") -> Sequence[Emitted]:
        """Call ``on_start``; ``run_key`` names the run in the ids of what it emits."""
        ctx = self.ctx
        ctx.now = now_ns
        ctx.cause = f"s{run_key}"
        self.strategy.on_start(ctx)
        return self._emit() if ctx.intents else NOTHING

    def warm(self, candle: Candle) -> None:
        """Feed a past candle with actions off (indicators and history only)."""
        ctx = self.ctx
        ctx.live = False
        try:
            self.on_bar(candle)
        finally:
            ctx.live = True
            ctx.intents.clear()

    def on_bar(self, candle: Candle) -> Sequence[Emitted]:
        """A closed candle: update history and indicators, then ``on_bar``."""
        ctx = self.ctx
        found = ctx.series.get((candle[0], candle[1]))
        if found is None:
            return NOTHING
        history, feeds = found
        history.append(candle)
        for tracked in feeds:
            tracked.feed(candle)
        ctx.marks[candle[0]] = candle[7]
        ctx.bar = candle
        ctx.now = candle[3]
        ctx.cause = None  # ids name the bar: its timeframe and open time
        self.strategy.on_bar(ctx, candle)
        return self._emit() if ctx.intents else NOTHING

    def on_event(self, event: OrderEvent | OrderRejected) -> Sequence[Emitted]:
        """One of the strategy's order events; fills are booked once (by fill id)."""
        ctx = self.ctx
        if isinstance(event, OrderFilled):
            point_value = self._instruments.get(event.symbol).point_value
            signed = event.quantity if event.side is OrderSide.BUY else -event.quantity
            fresh = ctx.book.filled(
                event.fill_id,
                event.client_order_id,
                event.symbol,
                signed,
                event.price,
                event.commission,
                point_value,
                event.leaves_quantity == 0,
            )
            if not fresh:
                return NOTHING
            ctx.cause = f"f{event.fill_id.hex[:12]}"
            self.strategy.on_fill(ctx, event)
        else:
            if _ends_order(event) and event.client_order_id is not None:
                ctx.book.ended(event.client_order_id)
            ctx.cause = _event_key(event)
            self.strategy.on_order_event(ctx, event)
        return self._emit() if ctx.intents else NOTHING

    def stop(self, now_ns: int, run_key: str = "run") -> Sequence[Emitted]:
        """Call ``on_stop``."""
        ctx = self.ctx
        ctx.now = now_ns
        ctx.cause = f"x{run_key}"
        self.strategy.on_stop(ctx)
        return self._emit() if ctx.intents else NOTHING

    def _emit(self) -> list[Emitted]:
        ctx, d, out = self.ctx, self.definition, []
        cause = ctx.cause_key()
        prefix = f"{ctx.id_prefix}{cause}-"
        intents, ctx.intents = ctx.intents, []
        # Market time, never the wall clock: the close of the last bar the strategy saw.
        decided = ctx.bar.close_time if ctx.bar is not None else 0
        for rank, intent in enumerate(intents, 1):
            if isinstance(intent, OrderIntent):
                out.append(submit_message(d, intent, f"{prefix}{rank}", decided))
            elif isinstance(intent, CancelIntent):
                out.append(cancel_message(d, intent, f"{prefix}{rank}"))
            else:
                out.append(signal_message(d, intent, ctx.bar, cause, rank))
        return out
