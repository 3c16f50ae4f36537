"""Orders and positions by the scope: cancel all, flatten all, and the daily-loss breach.

A scope is one account, one strategy of an account, or (no account) the whole platform.
Flattening sends reduce-only market orders that bypass pre-trade risk: they can only
shrink a position, and they must work while the scope is HALTED.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.order_events import OrderRejected
from shared.messages.schemas.orders import Sweep
from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason
from shared.messages.schemas.risk import StateScope, TradingState
from shared.trading import order_events
from shared.trading.events import Event
from shared.trading.exposure import Scope
from shared.trading.ids import derive_id
from shared.trading.lifecycle import cancel
from shared.trading.orders import Order, OrderStatus
from shared.trading.risk_breach import daily_loss_breached, daily_loss_event
from shared.trading.state import EngineState


def _in_scope(order: Order, account_id: uuid.UUID | None, strategy_id: uuid.UUID | None) -> bool:
    if account_id is not None and order.account_id != account_id:
        return False
    return strategy_id is None or order.strategy_id == strategy_id


def cancel_scope(  # noqa: PLR0917 -- a sweep's scope, why, when, where events go
    st: EngineState,
    account_id: uuid.UUID | None,
    strategy_id: uuid.UUID | None,
    symbol: str | None,
    reason: CancelReason,
    message: str,
    now_ns: int,
    events: list[Event],
) -> None:
    """Cancel every working order of the scope (and symbol)."""
    for order in list(st.book.all_working()):
        if _in_scope(order, account_id, strategy_id) and symbol in (None, order.symbol):
            cancel(st, order, reason, message, now_ns, events)


def _targets(
    st: EngineState, account_id: uuid.UUID | None, strategy_id: uuid.UUID | None
) -> Iterator[tuple[uuid.UUID, uuid.UUID, str, Decimal]]:
    """(account, user, symbol, signed quantity to close) of each open position in scope."""
    for position in st.positions.open_positions(account_id):
        net = position.signed_quantity
        if strategy_id is not None:
            own = st.exposure.net((position.account_id, strategy_id), position.symbol)
            net = (own if abs(own) <= abs(net) else net) if own * net > 0 else Decimal(0)
        if net:
            yield position.account_id, position.user_id, position.symbol, net


def flatten_scope(  # noqa: PLR0917 -- a sweep's scope, its cause, when, events
    st: EngineState,
    account_id: uuid.UUID | None,
    strategy_id: uuid.UUID | None,
    symbol: str | None,
    cause: uuid.UUID,
    now_ns: int,
    events: list[Event],
) -> None:
    """Send a reduce-only market order closing each open position of the scope."""
    version = st.strategy_versions.get(strategy_id) if strategy_id is not None else None
    for account, user, pos_symbol, net in list(_targets(st, account_id, strategy_id)):
        if symbol not in (None, pos_symbol):
            continue
        order_id = derive_id(cause, account, pos_symbol)
        if st.book.get(order_id) is not None:
            continue  # this flatten was sent already
        order = Order(
            order_id=order_id,
            account_id=account,
            user_id=user,
            client_order_id=f"flatten.{order_id.hex[:24]}",
            symbol=pos_symbol,
            side=OrderSide.SELL if net > 0 else OrderSide.BUY,
            order_type=OrderType.MARKET,
            quantity=abs(net),
            time_in_force=TimeInForce.GTC,
            created_ns=now_ns,
            reduce_only=True,
            strategy_id=strategy_id if version is not None else None,
            strategy_version=version,
            tag="flatten",
        )
        order.move(OrderStatus.ACCEPTED, now_ns)
        st.book.add(order)
        st.touch(order)
        st.exposure.on_accept(order)
        events.append(order_events.accepted(order))


def sweep(st: EngineState, cmd: Sweep, flatten: bool, cause: uuid.UUID, now_ns: int) -> list[Event]:
    """Handle ``CancelAll`` (flatten False) or ``FlattenAll`` in the command's scope.

    An account's sweep is its owner's to send (the platform-wide fan-out sends the owner's
    id); a sweep without an account is an operator's, checked by the gateway.
    """
    if cmd.account_id is not None:
        account = st.accounts.get(cmd.account_id)
        if account is None or account.user_id != cmd.user_id:
            return [_refused_sweep(cmd)]
    events: list[Event] = []
    if not flatten or getattr(cmd, "cancel_working", True):
        reason = CancelReason.EMERGENCY_STOP if flatten else CancelReason.REQUESTED
        cancel_scope(
            st, cmd.account_id, cmd.strategy_id, cmd.symbol, reason, cmd.reason, now_ns, events
        )
    if flatten:
        flatten_scope(st, cmd.account_id, cmd.strategy_id, cmd.symbol, cause, now_ns, events)
    return events


def _refused_sweep(cmd: Sweep) -> Event:
    assert cmd.account_id is not None
    fields = {
        "account_id": cmd.account_id,
        "user_id": cmd.user_id,
        "command": RejectedCommand.SWEEP,
        "reason": RejectReason.NOT_AUTHORIZED,
        "message": f"account {cmd.account_id} is not this user's, or does not exist",
    }
    return Event(OrderRejected, fields)


def check_daily_loss(st: EngineState, symbol: str | None, now_ns: int) -> list[Event]:
    """Halt, cancel and (if configured) flatten every scope whose daily loss hit its limit."""
    events: list[Event] = []
    st.watch_accounts()
    for scope in list(st.loss_watch):
        account_id, strategy_id = scope
        if (
            symbol is not None
            and st.positions.get(account_id, symbol) is None
            and scope not in st.changes.daily  # a fill may just have closed it at a loss
        ):
            continue
        if st.states.effective(account_id, strategy_id) is TradingState.HALTED:
            continue
        limits = st.limits_for(scope)
        pnl = daily_pnl(st, scope, now_ns)
        if limits is not None and daily_loss_breached(limits, pnl):
            _breach(st, scope, pnl, now_ns, events)
    return events


def daily_pnl(st: EngineState, scope: Scope, now_ns: int) -> Decimal:
    """Realized since the session boundary, plus (for an account) its open positions' P&L."""
    realized = st.daily.realized_today(scope, now_ns)
    if scope[1] is not None:
        return realized
    return realized + st.positions.unrealized(scope[0], st.last_price)


def _breach(st: EngineState, scope: Scope, pnl: Decimal, now_ns: int, events: list[Event]) -> None:
    account_id, strategy_id = scope
    account = st.accounts[account_id]
    limits = st.limits_for(scope)
    assert limits is not None
    kind = StateScope.ACCOUNT if strategy_id is None else StateScope.STRATEGY
    reason = f"max daily loss {limits.max_daily_loss} reached"
    halted = st.states.set(
        kind, account_id, account.user_id, strategy_id, TradingState.HALTED, reason
    )
    if halted is not None:
        events.append(halted)
        st.changes.states.add(scope)
    cancel_scope(st, account_id, strategy_id, None, CancelReason.RISK, reason, now_ns, events)
    if limits.flatten_on_daily_loss:
        cause = derive_id("daily-loss", account_id, strategy_id, now_ns)
        flatten_scope(st, account_id, strategy_id, None, cause, now_ns, events)
    events.append(daily_loss_event(account_id, account.user_id, strategy_id, limits, pnl))
