"""The messages a strategy's intents become: SubmitOrder, CancelOrder and Signal, with ids."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.messages.envelope import Payload
from shared.messages.schemas.orders import Bracket, CancelOrder, SubmitOrder
from shared.messages.schemas.strategy import BarRef, Signal
from shared.strategy.actions import CancelIntent, OrderIntent, SignalIntent
from shared.strategy.candles import Candle
from shared.strategy.definition import StrategyDefinition
from shared.trading.ids import derive_id

Emitted = tuple[uuid.UUID, Payload]
"""A message to publish: its (deterministic) message id and payload."""


def submit_message(
    d: StrategyDefinition, intent: OrderIntent, client_order_id: str, not_before_ns: int
) -> Emitted:
    """The order; its message id (the order processor's order id) derives from its client id.

    ``not_before_ns`` is the market time the strategy decided at (the close of the bar it
    was handling): the order fills only on market data from then on, live as in a backtest.
    """
    bracket = None
    if intent.take_profit is not None or intent.stop_loss is not None:
        bracket = Bracket(take_profit_price=intent.take_profit, stop_loss_price=intent.stop_loss)
    payload = SubmitOrder(
        account_id=d.account_id,
        user_id=d.user_id,
        client_order_id=client_order_id,
        symbol=intent.symbol,
        side=intent.side,
        order_type=intent.order_type,
        quantity=intent.quantity,
        limit_price=intent.limit_price,
        stop_price=intent.stop_price,
        time_in_force=intent.time_in_force,
        reduce_only=intent.reduce_only,
        bracket=bracket,
        strategy_id=d.strategy_id,
        strategy_version=d.version,
        tag=intent.tag,
        not_before_ns=not_before_ns,
    )
    return derive_id(d.strategy_id, client_order_id), payload


def cancel_message(d: StrategyDefinition, intent: CancelIntent, action_id: str) -> Emitted:
    """The cancel; ``action_id`` is the id the action would have as an order."""
    payload = CancelOrder(
        account_id=d.account_id,
        user_id=d.user_id,
        client_order_id=intent.client_order_id,
        strategy_id=d.strategy_id,
        reason=intent.reason or "strategy",
    )
    return derive_id(d.strategy_id, "cancel", action_id), payload


def signal_message(
    d: StrategyDefinition, intent: SignalIntent, bar: Candle | None, cause: str, rank: int
) -> Emitted:
    """The signal, naming the bar being handled (or the last one)."""
    ref = None
    if bar is not None:
        ref = BarRef(symbol=bar.symbol, timeframe=bar.timeframe, open_time=bar.open_time)
    payload = Signal(
        account_id=d.account_id,
        user_id=d.user_id,
        strategy_id=d.strategy_id,
        strategy_version=d.version,
        symbol=intent.symbol,
        direction=intent.direction,
        strength=min(Decimal(1), max(Decimal(0), intent.strength)),
        reason=intent.reason,
        price=intent.price,
        bar=ref,
    )
    return derive_id(d.strategy_id, d.version, "signal", cause, rank), payload
