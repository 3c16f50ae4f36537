"""Cancel and modify of one working order.

A cancel or modify that cannot be done is answered with ``OrderRejected`` naming the command
(CANCEL, MODIFY) and the reason; the order stays as it was. An order of another account or
user is answered as not found: its existence is not revealed.
"""

from __future__ import annotations

from shared.messages.schemas.common import OrderType
from shared.messages.schemas.order_events import OrderRejected
from shared.messages.schemas.orders import CancelOrder, ModifyOrder, OrderTarget
from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason
from shared.trading import order_events
from shared.trading.events import Event
from shared.trading.lifecycle import cancel
from shared.trading.orders import Order
from shared.trading.risk_gate import check_modify
from shared.trading.state import EngineState

_LIMIT_TYPES = (OrderType.LIMIT, OrderType.STOP_LIMIT)
_STOP_TYPES = (OrderType.STOP, OrderType.STOP_LIMIT)


def find_target(st: EngineState, cmd: OrderTarget) -> Order | None:
    """The order a command names, if it belongs to the command's account and user."""
    order = None
    if cmd.order_id is not None:
        order = st.book.get(cmd.order_id)
    elif cmd.client_order_id is not None:
        order = st.book.by_client(cmd.account_id, cmd.client_order_id)
    if order is None or order.account_id != cmd.account_id or order.user_id != cmd.user_id:
        return None
    if cmd.client_order_id is not None and order.client_order_id != cmd.client_order_id:
        return None
    return order


def _not_found(cmd: OrderTarget, command: RejectedCommand) -> Event:
    name = cmd.order_id or cmd.client_order_id
    return Event(
        OrderRejected,
        {
            "account_id": cmd.account_id,
            "user_id": cmd.user_id,
            "command": command,
            "order_id": cmd.order_id,
            "client_order_id": cmd.client_order_id,
            "reason": RejectReason.ORDER_NOT_FOUND,
            "message": f"no order {name} in account {cmd.account_id}",
        },
    )


def _refuse(order: Order, command: RejectedCommand, reason: RejectReason, text: str) -> Event:
    return order_events.command_rejected(order, command, reason, text)


def cancel_order(st: EngineState, cmd: CancelOrder, now_ns: int) -> list[Event]:
    order = find_target(st, cmd)
    if order is None:
        return [_not_found(cmd, RejectedCommand.CANCEL)]
    if not order.is_working:
        text = f"order {order.client_order_id} is {order.status}, no longer working"
        return [_refuse(order, RejectedCommand.CANCEL, RejectReason.ORDER_NOT_WORKING, text)]
    events: list[Event] = []
    cancel(st, order, CancelReason.REQUESTED, cmd.reason, now_ns, events)
    return events


def _modify_problem(st: EngineState, order: Order, cmd: ModifyOrder) -> str | None:
    if cmd.quantity is not None and cmd.quantity <= order.filled_quantity:
        return f"quantity {cmd.quantity} is not above the {order.filled_quantity} already filled"
    if cmd.limit_price is not None and order.order_type not in _LIMIT_TYPES:
        return f"a {order.order_type} order has no limit price"
    if cmd.stop_price is not None and order.order_type not in _STOP_TYPES:
        return f"a {order.order_type} order has no stop price"
    if cmd.stop_price is not None and order.triggered:
        return "the stop has already triggered"
    if order.parent_order_id is not None and cmd.quantity is not None:
        return "a bracket child's quantity follows its position; change its prices only"
    return None


def modify_order(st: EngineState, cmd: ModifyOrder, now_ns: int) -> list[Event]:
    order = find_target(st, cmd)
    if order is None:
        return [_not_found(cmd, RejectedCommand.MODIFY)]
    if not order.is_working:
        text = f"order {order.client_order_id} is {order.status}, no longer working"
        return [_refuse(order, RejectedCommand.MODIFY, RejectReason.ORDER_NOT_WORKING, text)]
    not_allowed = _modify_problem(st, order, cmd)
    if not_allowed is not None:
        reason = RejectReason.MODIFY_NOT_ALLOWED
        return [_refuse(order, RejectedCommand.MODIFY, reason, not_allowed)]
    problem = check_modify(st, order, cmd, now_ns)
    if problem is not None:
        return [_refuse(order, RejectedCommand.MODIFY, problem[0], problem[1])]
    if cmd.quantity is not None:
        order.quantity = cmd.quantity
    if cmd.limit_price is not None:
        order.limit_price = cmd.limit_price
        order.fresh = True  # a new price is a new arrival: marketable now fills at market
    if cmd.stop_price is not None:
        order.stop_price = cmd.stop_price
    assert order.status is not None
    order.move(order.status, now_ns)
    st.exposure.on_modify(order)
    st.touch(order)
    return [order_events.modified(order)]
