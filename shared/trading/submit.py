"""Submitting an order: checks of the order itself, pre-trade risk, then acceptance.

A submit always has an outcome event: ``OrderAccepted``, or ``OrderRejected`` with a reason
code. A rejected order is kept too (status REJECTED), so a repeated ``client_order_id``
answers with the original outcome, whatever it was, and changes nothing; only a command
naming an account that is unknown or another user's leaves nothing behind.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shared.clock import datetime_to_ns, ns_to_datetime
from shared.instruments import Instrument, TradingSession
from shared.messages.schemas.common import TimeInForce
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.schemas.reasons import RejectReason
from shared.trading import order_events
from shared.trading.events import Event
from shared.trading.exposure import scopes_of
from shared.trading.orders import Order, OrderStatus
from shared.trading.risk_gate import check_risk
from shared.trading.state import EngineState


def outcome(order: Order) -> Event:
    """The event that answered an order's submit."""
    if order.status is OrderStatus.REJECTED:
        return order_events.rejected(order)
    return order_events.accepted(order)


def _new_order(cmd: SubmitOrder, order_id: uuid.UUID, now_ns: int) -> Order:
    bracket = cmd.bracket
    return Order(
        order_id=order_id,
        account_id=cmd.account_id,
        user_id=cmd.user_id,
        client_order_id=cmd.client_order_id,
        symbol=cmd.symbol,
        side=cmd.side,
        order_type=cmd.order_type,
        quantity=cmd.quantity,
        time_in_force=cmd.time_in_force,
        created_ns=now_ns,
        updated_ns=now_ns,
        limit_price=cmd.limit_price,
        stop_price=cmd.stop_price,
        reduce_only=cmd.reduce_only,
        strategy_id=cmd.strategy_id,
        strategy_version=cmd.strategy_version,
        take_profit=bracket.take_profit_price if bracket else None,
        stop_loss=bracket.stop_loss_price if bracket else None,
        tag=cmd.tag,
        not_before_ns=cmd.not_before_ns or 0,
    )


def _prices(order: Order) -> tuple[Decimal | None, ...]:
    return (order.limit_price, order.stop_price, order.take_profit, order.stop_loss)


def _foreign(st: EngineState, cmd: SubmitOrder) -> tuple[RejectReason, str] | None:
    """Why the command may not act on its account at all, if so."""
    account = st.accounts.get(cmd.account_id)
    if account is None:
        return RejectReason.UNKNOWN_ACCOUNT, f"account {cmd.account_id} does not exist"
    if account.user_id != cmd.user_id:
        return RejectReason.NOT_AUTHORIZED, f"account {cmd.account_id} is not this user's"
    return None


def _check_order(order: Order, instrument: Instrument | None) -> tuple[RejectReason, str] | None:
    """What is wrong with the order itself, if anything."""
    if instrument is None:
        return RejectReason.UNKNOWN_INSTRUMENT, f"unknown instrument {order.symbol!r}"
    for price in _prices(order):
        if price is not None and not instrument.is_on_tick(price):
            tick = instrument.tick_size
            return RejectReason.INVALID_PRICE_TICK, f"price {price} is not on the {tick} tick"
    if not instrument.is_valid_quantity(order.quantity):
        step = instrument.quantity_step
        return (
            RejectReason.INVALID_QUANTITY,
            f"quantity {order.quantity} is not a multiple of {step}",
        )
    return None


_CLOSES: dict[int, tuple[TradingSession, int, int]] = {}
"""id(session) -> (the session, a time, the close after it): a memo of ``next_close_ns``,
which is the same for every time from the one asked up to that close, and costs a time
zone conversion. Keyed by identity: a session's own hash walks all its fields."""


def _next_close(session: TradingSession, now_ns: int) -> int:
    known = _CLOSES.get(id(session))
    if known is not None and known[0] is session and known[1] <= now_ns < known[2]:
        return known[2]
    close = session.next_close_ns(now_ns)
    _CLOSES[id(session)] = (session, now_ns, close)
    return close


def expiry_of(instrument: Instrument, tif: TimeInForce, now_ns: int) -> int | None:
    """When a DAY order expires: its session's close, or the next UTC midnight without one."""
    if tif is not TimeInForce.DAY:
        return None
    if instrument.session is not None:
        return _next_close(instrument.session, now_ns)
    today = ns_to_datetime(now_ns).astimezone(UTC).date()
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return datetime_to_ns(midnight)


def submit(st: EngineState, cmd: SubmitOrder, order_id: uuid.UUID, now_ns: int) -> list[Event]:
    """Accept or reject a new order; a known ``client_order_id`` repeats its first outcome.

    A command for an account that is unknown or not the user's is refused without keeping
    the order: it is not the account's, and must not take one of its client order ids.
    """
    foreign = _foreign(st, cmd)
    if foreign is not None:
        order = _new_order(cmd, order_id, now_ns)
        order.move(OrderStatus.REJECTED, now_ns)
        order.reason, order.message = foreign[0].value, foreign[1]
        return [order_events.rejected(order)]
    known = st.book.by_client(cmd.account_id, cmd.client_order_id)
    if known is not None:
        return [outcome(known)]
    order = _new_order(cmd, order_id, now_ns)
    instrument = st.instruments.find(order.symbol)
    problem = _check_order(order, instrument)
    if problem is None and instrument is not None:
        problem = check_risk(st, order, instrument, now_ns)
    st.book.add(order)
    st.touch(order)
    if problem is not None:
        order.move(OrderStatus.REJECTED, now_ns)
        order.reason, order.message = problem[0].value, problem[1]
        return [order_events.rejected(order)]
    assert instrument is not None
    order.expire_ns = expiry_of(instrument, order.time_in_force, now_ns)
    order.move(OrderStatus.ACCEPTED, now_ns)
    st.book.join(order)  # now working: joins its symbol's queue
    st.exposure.on_accept(order)
    for scope in scopes_of(order.account_id, order.strategy_id):
        st.exposure.on_order_sent(scope, now_ns)
    return [order_events.accepted(order)]
