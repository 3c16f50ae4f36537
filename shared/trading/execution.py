"""The paper exchange at work: market data meets working orders, fills become positions."""

from __future__ import annotations

from decimal import Decimal

from shared.instruments import Instrument
from shared.messages.schemas.common import TimeInForce
from shared.messages.schemas.reasons import CancelReason
from shared.trading import order_events
from shared.trading.brackets import fit_reduce_only, follow_sibling, grow_children
from shared.trading.events import Event
from shared.trading.exposure import scopes_of
from shared.trading.fills import Fill
from shared.trading.ids import derive_id
from shared.trading.lifecycle import DAY_EXPIRED, cancel, expire
from shared.trading.matching import MarketPoint, match
from shared.trading.orders import Order, OrderStatus
from shared.trading.state import EngineState

ZERO = Decimal(0)
_ONE_LOOK = {TimeInForce.IOC: CancelReason.IOC_UNFILLED, TimeInForce.FOK: CancelReason.FOK_UNFILLED}


def work_point(st: EngineState, symbol: str, point: MarketPoint, events: list[Event]) -> None:
    """Show one market point (a trade, or a step of a bar's path) to the symbol's orders."""
    prev = st.last_price.get(symbol)
    st.last_price[symbol] = point.price
    orders = st.book.working(symbol)
    if orders:
        instrument = st.instruments.get(symbol)
        ts = point.ts_ns
        for order in orders:
            # A bar's last point stands at its close time but belongs to that bar: an order
            # made on the bar fills from the next point on (a trade at the close, or the
            # next bar's open), never from the bar it was made on.
            if order.is_working and (
                ts > order.not_before_ns or (ts == order.not_before_ns and not point.continuous)
            ):
                _work_order(st, order, instrument, point, prev, events)
    st.positions.mark(symbol, point.price)


def _work_order(  # noqa: PLR0917 -- the order, what it meets, and where events go
    st: EngineState,
    order: Order,
    instrument: Instrument,
    point: MarketPoint,
    prev: Decimal | None,
    events: list[Event],
) -> None:
    if order.expire_ns is not None and order.expire_ns <= point.ts_ns:
        # Past its session close: market data can run ahead of the next ``on_time``.
        expire(st, order, DAY_EXPIRED, point.ts_ns, events)
        return
    result = match(order, point, prev, instrument.tick_size, st.config.fills)
    first_look = order.fresh
    if first_look:
        order.fresh = False
        st.touch(order)
    if result is not None:
        if result.triggered and not order.triggered:
            order.triggered = True
            if order.status is OrderStatus.ACCEPTED:
                order.move(OrderStatus.TRIGGERED, point.ts_ns)
            st.touch(order)
            events.append(order_events.triggered(order, point.price))
        if result.price is not None and result.quantity > 0:
            if order.time_in_force is TimeInForce.FOK and result.quantity < order.leaves_quantity:
                pass  # all or nothing: the one look below cancels it
            else:
                fill(st, order, instrument, result.price, result.quantity, point, events)
    one_look = _ONE_LOOK.get(order.time_in_force)
    if first_look and one_look is not None and order.is_working:
        cancel(st, order, one_look, "not filled on arrival", point.ts_ns, events)


def fill(  # noqa: PLR0917 -- the order, its fill, the point, and where events go
    st: EngineState,
    order: Order,
    instrument: Instrument,
    price: Decimal,
    quantity: Decimal,
    point: MarketPoint,
    events: list[Event],
) -> None:
    """Book a fill of ``order``: the order, the fill, the position, risk, brackets."""
    ts_ns = point.ts_ns
    if order.reduce_only:
        room = -st.positions.net_quantity(order.account_id, order.symbol) * order.sign
        if room <= 0:
            cancel(st, order, CancelReason.RISK, "the position it reduces is closed", ts_ns, events)
            return
        quantity = min(quantity, room)
    execution = Fill(
        fill_id=derive_id(order.order_id, point.trade_id),
        order_id=order.order_id,
        account_id=order.account_id,
        user_id=order.user_id,
        symbol=order.symbol,
        side=order.side,
        price=price,
        quantity=quantity,
        commission=_commission(instrument, price, quantity),
        currency=instrument.currency,
        ts_ns=ts_ns,
        venue_trade_id=point.trade_id,
        strategy_id=order.strategy_id,
        strategy_version=order.strategy_version,
    )
    order.record_fill(point.trade_id, price, quantity, ts_ns)
    st.touch(order)
    st.changes.fills.append(execution)
    if not order.is_working:
        st.book.done(order)
    events.append(order_events.filled(order, execution))
    st.exposure.on_fill(order, quantity)
    _book_position(st, execution, instrument, events)
    if order.has_bracket:
        grow_children(st, order, quantity, ts_ns, events)
    if order.oco_group_id is not None:
        follow_sibling(st, order, ts_ns, events)
    fit_reduce_only(st, order.account_id, order.symbol, ts_ns, events)


def _commission(instrument: Instrument, price: Decimal, quantity: Decimal) -> Decimal:
    """``instrument.commission(quantity, price).amount``, the same operations in the same
    order, without the two ``Money`` objects (each checks its currency) made on the way."""
    per_unit = instrument.commission_per_contract * quantity
    return per_unit + instrument.commission_rate * (abs(price) * quantity * instrument.point_value)


def _book_position(
    st: EngineState, execution: Fill, instrument: Instrument, events: list[Event]
) -> None:
    existing = st.positions.get(execution.account_id, execution.symbol)
    before = existing.realized_pnl if existing is not None else ZERO
    position_events, touched = st.positions.apply(execution, instrument.point_value)
    events.extend(position_events)
    positions = st.changes.positions
    after = ZERO
    for position in touched:
        positions[position.position_id] = position
        after += position.realized_pnl
    realized, daily, changed = after - before, st.daily, st.changes.daily
    for scope in scopes_of(execution.account_id, execution.strategy_id):
        daily.add_realized(scope, realized, execution.ts_ns)
        changed.add(scope)
