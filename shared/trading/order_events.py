"""Order events built from an order's current state: one place that knows the field names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderModified,
    OrderRejected,
    OrderTriggered,
)
from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason
from shared.trading.events import Event
from shared.trading.fills import Fill
from shared.trading.orders import Order


def _ref(order: Order) -> dict[str, Any]:
    return {
        "account_id": order.account_id,
        "user_id": order.user_id,
        "order_id": order.order_id,
        "client_order_id": order.client_order_id,
        "symbol": order.symbol,
        "strategy_id": order.strategy_id,
        "strategy_version": order.strategy_version,
    }


def accepted(order: Order) -> Event:
    fields = _ref(order)
    fields.update(
        side=order.side,
        order_type=order.order_type,
        quantity=order.quantity,
        limit_price=order.limit_price,
        stop_price=order.stop_price,
        time_in_force=order.time_in_force,
        reduce_only=order.reduce_only,
        parent_order_id=order.parent_order_id,
        oco_group_id=order.oco_group_id,
    )
    if order.take_profit is not None or order.stop_loss is not None:
        fields["bracket"] = {
            "take_profit_price": order.take_profit,
            "stop_loss_price": order.stop_loss,
        }
    return Event(OrderAccepted, fields)


def rejected(order: Order) -> Event:
    """The refusal of a submit: the order is REJECTED with ``order.reason``."""
    fields = _ref(order)
    fields.update(reason=order.reason, message=order.message)
    return Event(OrderRejected, fields)


def command_rejected(
    order: Order, command: RejectedCommand, reason: RejectReason, message: str
) -> Event:
    """The refusal of a cancel or modify of a known order, which stays as it was."""
    fields = _ref(order)
    fields.update(command=command, reason=reason, message=message)
    return Event(OrderRejected, fields)


def triggered(order: Order, price: Decimal) -> Event:
    fields = _ref(order)
    fields["trigger_price"] = price
    return Event(OrderTriggered, fields)


def filled(order: Order, fill: Fill) -> Event:
    fields = _ref(order)
    fields.update(
        fill_id=fill.fill_id,
        venue_trade_id=fill.venue_trade_id,
        side=fill.side,
        price=fill.price,
        quantity=fill.quantity,
        commission=fill.commission,
        commission_currency=fill.currency,
        cum_quantity=order.filled_quantity,
        leaves_quantity=order.quantity - order.filled_quantity,
    )
    return Event(OrderFilled, fields)


def canceled(order: Order, leaves: Decimal, reason: CancelReason, message: str = "") -> Event:
    fields = _ref(order)
    fields.update(
        cum_quantity=order.filled_quantity, leaves_quantity=leaves, reason=reason, message=message
    )
    return Event(OrderCanceled, fields)


def expired(order: Order, leaves: Decimal, message: str) -> Event:
    fields = _ref(order)
    fields.update(cum_quantity=order.filled_quantity, leaves_quantity=leaves, message=message)
    return Event(OrderExpired, fields)


def modified(order: Order) -> Event:
    fields = _ref(order)
    fields.update(
        quantity=order.quantity,
        limit_price=order.limit_price,
        stop_price=order.stop_price,
        leaves_quantity=order.leaves_quantity,
    )
    return Event(OrderModified, fields)
