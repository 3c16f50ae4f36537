"""Bracket children and reduce-only upkeep.

An entry with a bracket places its take-profit (a limit) and stop-loss (a stop) when it
first fills, for the quantity filled, and grows them as it fills further. The two children
are reduce-only, GTC, and one OCO group: a fill of one resizes the other to what it has
left, and a full fill cancels it. An entry that fills again after both children are done
places a new pair for the new quantity, with ids of their own (finished orders may have
left memory, and their rows must never be written over). Whenever a position shrinks,
every working reduce-only order of it is cut to the position's size; when it is flat, they
are canceled.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.reasons import CancelReason
from shared.trading import order_events
from shared.trading.events import Event
from shared.trading.ids import derive_id
from shared.trading.lifecycle import cancel, resize
from shared.trading.matching import LimitFill
from shared.trading.orders import Order, OrderStatus
from shared.trading.state import EngineState

_MAX_CLIENT_ID = 64


def _child(
    st: EngineState, entry: Order, kind: str, ts_ns: int, quantity: Decimal, *, pair: object
) -> Order:
    """A child of ``entry``; ``pair`` is None for the first pair, else what tells it apart."""
    if pair is None:
        order_id, oco = derive_id(entry.order_id, kind), derive_id(entry.order_id, "oco")
        client_id = f"{entry.client_order_id[: _MAX_CLIENT_ID - 3]}.{kind}"
    else:
        order_id, oco = (
            derive_id(entry.order_id, kind, pair),
            derive_id(entry.order_id, "oco", pair),
        )
        client_id = f"{kind}.{order_id.hex}"
    if st.book.by_client(entry.account_id, client_id) is not None:
        client_id = f"{kind}.{order_id.hex}"
    take_profit = kind == "tp"
    child = replace(
        entry,
        order_id=order_id,
        client_order_id=client_id,
        side=OrderSide.SELL if entry.side is OrderSide.BUY else OrderSide.BUY,
        order_type=OrderType.LIMIT if take_profit else OrderType.STOP,
        quantity=quantity,
        time_in_force=TimeInForce.GTC,
        created_ns=ts_ns,
        limit_price=entry.take_profit if take_profit else None,
        stop_price=None if take_profit else entry.stop_loss,
        reduce_only=True,
        parent_order_id=entry.order_id,
        oco_group_id=oco,
        take_profit=None,
        stop_loss=None,
        expire_ns=None,
        status=None,
        filled_quantity=Decimal(0),
        notional_filled=Decimal(0),
        triggered=False,
        fresh=True,
        reason=None,
        message="",
        trade_ids=set(),
    )
    child.fresh = _arrives_marketable(st, child)
    return child


def _arrives_marketable(st: EngineState, child: Order) -> bool:
    """Whether a take-profit is marketable at the price the entry just filled at.

    One that is not rests from this point on: the next trade beyond it fills it at its limit,
    as any resting limit. (``fresh`` means nothing to a stop until it triggers.)
    """
    last, limit = st.last_price.get(child.symbol), child.limit_price
    if last is None or limit is None:
        return child.order_type is OrderType.LIMIT
    if st.config.fills.limit_fill is LimitFill.TOUCH:
        return last <= limit if child.side is OrderSide.BUY else last >= limit
    return last < limit if child.side is OrderSide.BUY else last > limit


def grow_children(
    st: EngineState, entry: Order, quantity: Decimal, ts_ns: int, events: list[Event]
) -> None:
    """The entry filled ``quantity`` more: add to its working children, or place a pair."""
    working = [o for o in st.book.working(entry.symbol) if o.parent_order_id == entry.order_id]
    for child in working:
        resize(st, child, child.leaves_quantity + quantity, ts_ns, events)
    if working:
        return
    first = entry.filled_quantity == quantity  # this is the entry's first fill
    pair = None if first else entry.filled_quantity
    for kind, price in (("tp", entry.take_profit), ("sl", entry.stop_loss)):
        if price is None:
            continue
        child = _child(st, entry, kind, ts_ns, quantity, pair=pair)
        child.move(OrderStatus.ACCEPTED, ts_ns)
        st.book.add(child)
        st.exposure.on_accept(child)
        st.touch(child)
        events.append(order_events.accepted(child))


def follow_sibling(st: EngineState, child: Order, ts_ns: int, events: list[Event]) -> None:
    """A bracket child filled: its sibling keeps only what the child has left."""
    for order in st.book.working(child.symbol):
        if order.oco_group_id != child.oco_group_id or order is child:
            continue
        if child.leaves_quantity == 0:
            cancel(st, order, CancelReason.OCO, f"{child.client_order_id} filled", ts_ns, events)
        elif order.leaves_quantity > child.leaves_quantity:
            resize(st, order, child.leaves_quantity, ts_ns, events)


def fit_reduce_only(
    st: EngineState, account_id: object, symbol: str, ts_ns: int, events: list[Event]
) -> None:
    """Cut or cancel the account's working reduce-only orders of ``symbol`` to its position."""
    net = None
    for order in st.book.working(symbol):
        if not order.reduce_only or order.account_id != account_id:
            continue
        if net is None:
            net = st.positions.net_quantity(order.account_id, symbol)
        room = -net * order.sign  # what this order may still reduce
        if room <= 0:
            message = "the position it reduces is closed"
            cancel(st, order, CancelReason.RISK, message, ts_ns, events)
        elif order.leaves_quantity > room:
            resize(st, order, room, ts_ns, events)
