"""What a strategy asks for during a callback; the runner turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.strategy import SignalDirection

Price = float | Decimal
"""A price as a strategy gives it; rounded to the instrument's tick on the way out."""


@dataclass(frozen=True, slots=True)
class OrderIntent:
    """An order to send. Bracket prices are absolute; ticks were converted by the context."""

    symbol: str
    side: OrderSide
    quantity: Decimal
    order_type: OrderType = OrderType.MARKET
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class CancelIntent:
    """Cancel one of the strategy's own working orders, by its client order id."""

    client_order_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SignalIntent:
    """A view on a symbol, published on ``strategy.signals``."""

    symbol: str
    direction: SignalDirection
    strength: Decimal
    reason: str
    price: Decimal | None


Intent = OrderIntent | CancelIntent | SignalIntent


class OrderOptions(TypedDict, total=False):
    """The keywords of ``buy``, ``sell`` and ``reverse``."""

    symbol: str | None
    limit: Price | None
    stop: Price | None
    take_profit: Price | None
    stop_loss: Price | None
    take_profit_ticks: int | None
    stop_loss_ticks: int | None
    time_in_force: TimeInForce
    reduce_only: bool
    tag: str | None


def order_type_of(limit: Decimal | None, stop: Decimal | None) -> OrderType:
    """The order type the prices given make: market, limit, stop or stop-limit."""
    if limit is not None and stop is not None:
        return OrderType.STOP_LIMIT
    if limit is not None:
        return OrderType.LIMIT
    if stop is not None:
        return OrderType.STOP
    return OrderType.MARKET
