"""Ending and resizing working orders, with their events and ledger bookkeeping."""

from __future__ import annotations

from decimal import Decimal

from shared.messages.schemas.reasons import CancelReason
from shared.trading import order_events
from shared.trading.events import Event
from shared.trading.orders import Order, OrderStatus
from shared.trading.state import EngineState

DAY_EXPIRED = "DAY order expired at the session close"


def cancel(  # noqa: PLR0917 -- the order, why, when, and where its events go
    st: EngineState,
    order: Order,
    reason: CancelReason,
    message: str,
    ts_ns: int,
    events: list[Event],
) -> None:
    """Cancel what is left of a working order."""
    leaves = order.leaves_quantity
    st.exposure.on_done(order)
    order.move(OrderStatus.CANCELED, ts_ns)
    order.reason, order.message = reason.value, message
    st.book.done(order)
    st.touch(order)
    events.append(order_events.canceled(order, leaves, reason, message))


def expire(st: EngineState, order: Order, message: str, ts_ns: int, events: list[Event]) -> None:
    """A DAY order reached its session close."""
    leaves = order.leaves_quantity
    st.exposure.on_done(order)
    order.move(OrderStatus.EXPIRED, ts_ns)
    order.message = message
    st.book.done(order)
    st.touch(order)
    events.append(order_events.expired(order, leaves, message))


def resize(st: EngineState, order: Order, leaves: Decimal, ts_ns: int, events: list[Event]) -> None:
    """Set what is left of a working order to ``leaves`` (> 0); the total follows."""
    order.quantity = order.filled_quantity + leaves
    order.move(order.status or OrderStatus.ACCEPTED, ts_ns)
    st.exposure.on_modify(order)
    st.touch(order)
    events.append(order_events.modified(order))


def expire_due(st: EngineState, now_ns: int) -> list[Event]:
    """Expire every working order whose time in force ran out by ``now_ns``."""
    events: list[Event] = []
    for order in list(st.book.all_working()):
        if order.expire_ns is not None and order.expire_ns <= now_ns:
            expire(st, order, DAY_EXPIRED, now_ns, events)
    return events
