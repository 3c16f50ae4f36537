"""The engine's door to pre-trade risk: builds each check's context from the engine's state."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from shared.instruments import Instrument
from shared.messages.schemas.orders import ModifyOrder
from shared.messages.schemas.reasons import RejectReason
from shared.messages.schemas.risk import TradingState
from shared.trading.exposure import Scope
from shared.trading.orders import Order
from shared.trading.risk import RiskContext, check_order
from shared.trading.risk_limits import RiskLimits
from shared.trading.state import EngineState
from shared.trading.sweeps import daily_pnl

Problem = tuple[RejectReason, str]
ZERO = Decimal(0)


def _contract_values(st: EngineState, order: Order) -> dict[str, Decimal]:
    """One contract's value of each instrument the account holds or works (max notional)."""
    values: dict[str, Decimal] = {}
    held = st.exposure.find((order.account_id, None))
    for symbol in held.symbols if held is not None else ():
        price = st.last_price.get(symbol)
        instrument = st.instruments.find(symbol)
        if price is not None and instrument is not None:
            values[symbol] = abs(price) * instrument.point_value
    return values


def _pnl(st: EngineState, limits: RiskLimits | None, scope: Scope, now_ns: int) -> Decimal:
    if limits is None or limits.max_daily_loss is None:
        return ZERO
    return daily_pnl(st, scope, now_ns)


def check_risk(
    st: EngineState, order: Order, instrument: Instrument, now_ns: int
) -> Problem | None:
    """Why pre-trade risk refuses ``order``, or None when it passes."""
    account_scope = (order.account_id, None)
    strategy_scope = (order.account_id, order.strategy_id)
    account_limits = st.limits_for(account_scope)
    strategy_limits = st.limits_for(strategy_scope) if order.strategy_id is not None else None
    state = st.states.effective(order.account_id, order.strategy_id)
    if (
        account_limits is None
        and strategy_limits is None
        and state is TradingState.ACTIVE
        and not order.reduce_only
    ):
        return None  # no limit and no state to check: ``check_order`` would pass it as is
    needs_values = (account_limits is not None and account_limits.max_notional is not None) or (
        strategy_limits is not None and strategy_limits.max_notional is not None
    )
    ctx = RiskContext(
        instrument=instrument,
        exposure=st.exposure,
        now_ns=now_ns,
        state=state,
        account_limits=account_limits,
        strategy_limits=strategy_limits,
        last_price=st.last_price.get(order.symbol),
        account_pnl=_pnl(st, account_limits, account_scope, now_ns),
        strategy_pnl=_pnl(st, strategy_limits, strategy_scope, now_ns),
    )
    if needs_values:
        ctx.contract_values = _contract_values(st, order)
    refused = check_order(order, ctx)
    return None if refused is None else (refused.reason, refused.message)


def check_modify(st: EngineState, order: Order, cmd: ModifyOrder, now_ns: int) -> Problem | None:
    """Risk of the order as modified, its current working quantity set aside meanwhile."""
    changed = replace(
        order,
        quantity=cmd.quantity if cmd.quantity is not None else order.quantity,
        limit_price=cmd.limit_price if cmd.limit_price is not None else order.limit_price,
        stop_price=cmd.stop_price if cmd.stop_price is not None else order.stop_price,
    )
    changed.quantity = changed.leaves_quantity  # checked as the quantity it would work
    changed.filled_quantity = ZERO
    instrument = st.instruments.get(order.symbol)
    if cmd.quantity is not None and not instrument.is_valid_quantity(cmd.quantity):
        step = instrument.quantity_step
        return RejectReason.INVALID_QUANTITY, f"quantity {cmd.quantity} is not a multiple of {step}"
    for price in (changed.limit_price, changed.stop_price):
        if price is not None and not instrument.is_on_tick(price):
            return (
                RejectReason.INVALID_PRICE_TICK,
                f"price {price} is not on the {instrument.tick_size} tick",
            )
    st.exposure.on_done(order)
    try:
        return check_risk(st, changed, instrument, now_ns)
    finally:
        st.exposure.on_accept(order)
