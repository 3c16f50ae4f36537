"""The strategy API: the callbacks a strategy implements and what it declares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from shared.strategy.definition import Subscription
from shared.strategy.params import Param, ParamValue

if TYPE_CHECKING:
    from shared.messages.schemas.order_events import OrderEvent, OrderFilled, OrderRejected
    from shared.strategy.candles import Candle
    from shared.strategy.context import StrategyContext


class Strategy:
    """Base of every strategy, built-in or declarative; synchronous and free of I/O.

    The same object runs live (strategy workers) and in a backtest, fed the same calls:
    ``on_start`` once, then ``on_bar`` for every closed candle of each subscription (the
    context's indicators are already updated with it), ``on_order_event`` and ``on_fill``
    for the strategy's own orders, and ``on_stop`` at the end. Actions go through the
    context; nothing a strategy does may depend on the wall clock.
    """

    NAME: ClassVar[str] = ""
    PARAMS: ClassVar[tuple[Param, ...]] = ()
    """The parameters the strategy accepts, checked before it starts."""

    def __init__(self, params: Mapping[str, ParamValue]) -> None:
        self.params = dict(params)

    def subscriptions(self, given: Sequence[Subscription]) -> tuple[Subscription, ...]:
        """Every (symbol, timeframe) the strategy needs: the given ones plus its own extras."""
        return tuple(given)

    def on_start(self, ctx: StrategyContext) -> None:
        """Set up indicators and state; called before the first bar (and warm-up)."""

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """A closed candle of one of the subscriptions."""

    def on_order_event(self, ctx: StrategyContext, event: OrderEvent | OrderRejected) -> None:
        """One of the strategy's orders was accepted, rejected, triggered, canceled, expired
        or modified (a rejection may answer a cancel: see its ``command``)."""

    def on_fill(self, ctx: StrategyContext, fill: OrderFilled) -> None:
        """One of the strategy's orders filled (partly or fully); the book already has it."""

    def on_stop(self, ctx: StrategyContext) -> None:
        """The run ends."""
