"""The checks of pre-trade risk that look at the order alone, in the order they run.

``check_state`` runs first, once per order. Each limit check takes the order, the context
and one scope's view, and returns a ``Rejection`` whose message names the numbers, or None;
``risk.check_order`` runs them account scope first. The checks of what a scope holds are in
``risk_holdings``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from shared.instruments import TradingSession
from shared.messages.schemas.reasons import RejectReason
from shared.messages.schemas.risk import TradingState
from shared.trading.exposure import SymbolExposure
from shared.trading.orders import Order
from shared.trading.risk_view import Rejection, ScopeView, reduces

if TYPE_CHECKING:
    from shared.trading.risk import RiskContext


def allowed(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    symbols = view.limits.allowed_symbols
    if symbols is None or order.symbol in symbols or ctx.instrument.root in symbols:
        return None
    return Rejection(
        RejectReason.INSTRUMENT_NOT_ALLOWED,
        f"{order.symbol} (root {ctx.instrument.root}) is not among the allowed instruments "
        f"of {view.label}: {', '.join(sorted(symbols)) or 'none'}",
    )


def session(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    if not view.limits.session_only:
        return None
    hours = ctx.instrument.session
    if ctx.session_open is None:
        ctx.session_open = hours is None or _is_open(hours, ctx.now_ns)
    if ctx.session_open or hours is None:
        return None
    return Rejection(
        RejectReason.OUTSIDE_SESSION,
        f"the {hours.name} session of {order.symbol} is closed at {ctx.now_ns} ns and "
        f"{view.label} trades only in session",
    )


_OPEN: dict[int, tuple[TradingSession, int, bool]] = {}
"""id(session) -> (the session, a whole second, open then): a memo of ``is_open``, which
costs a time zone conversion and, for a session opening and closing on whole seconds, is
the same all second. Keyed by identity: a session's own hash walks all its fields."""


def _is_open(hours: TradingSession, now_ns: int) -> bool:
    second = now_ns // 1_000_000_000
    known = _OPEN.get(id(hours))
    if known is not None and known[0] is hours and known[1] == second:
        return known[2]
    is_open = hours.is_open(now_ns)
    if not hours.open.microsecond and not hours.close.microsecond:
        _OPEN[id(hours)] = (hours, second, is_open)
    return is_open


def order_quantity(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    limit = view.limits.max_order_quantity
    if limit is None or order.quantity <= limit:
        return None
    return Rejection(
        RejectReason.MAX_ORDER_QTY,
        f"order quantity {order.quantity} exceeds max_order_quantity {limit} for {view.label}",
    )


def rate(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    limit = view.limits.max_orders_per_minute
    if limit is None:
        return None
    sent = view.exposure.orders_in_window(ctx.now_ns) if view.exposure is not None else 0
    if sent < limit:
        return None
    return Rejection(
        RejectReason.RATE_LIMIT,
        f"{sent} orders in the last 60 s: max_orders_per_minute {limit} reached for {view.label}",
    )


def price_band(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    pct, last = view.limits.price_band_pct, ctx.last_price
    limit_price, stop_price = order.limit_price, order.stop_price
    if pct is None or not last or (limit_price is None and stop_price is None):
        return None
    band = abs(last) * pct  # compared with |price - last| x 100: no division on the way
    if limit_price is not None and abs(limit_price - last) * 100 > band:
        return _off_band("limit", limit_price, last, pct, view)
    if stop_price is not None and abs(stop_price - last) * 100 > band:
        return _off_band("stop", stop_price, last, pct, view)
    return None


def _off_band(name: str, price: Decimal, last: Decimal, pct: Decimal, view: ScopeView) -> Rejection:
    off = abs(price - last) * 100 / abs(last)
    return Rejection(
        RejectReason.PRICE_BAND,
        f"{name} price {price} is {off:.2f}% from the last trade {last}, outside the "
        f"price_band_pct {pct}% of {view.label}",
    )


def check_state(
    order: Order,
    state: TradingState,
    sign: int,
    account_book: SymbolExposure,
    strategy_book: SymbolExposure | None,
) -> Rejection | None:
    """The trading state, then reduce-only: both ask whether the order only reduces."""
    quantity, net = order.quantity, account_book.net
    account_reduces = reduces(account_book, sign, quantity)
    if state is TradingState.HALTED:
        who = f"account {order.account_id}"
        if order.strategy_id is not None:
            who = f"strategy {order.strategy_id} of {who}"
        return Rejection(RejectReason.TRADING_HALTED, f"trading is halted for {who}")
    strategy_reduces = order.strategy_id is None or reduces(strategy_book, sign, quantity)
    if state is TradingState.REDUCING and not (account_reduces and strategy_reduces):
        return Rejection(
            RejectReason.REDUCING_ONLY,
            f"trading is reducing-only: {order.side.value} {quantity} {order.symbol} does "
            f"not reduce the net position {net}",
        )
    if order.reduce_only and not account_reduces:
        return Rejection(
            RejectReason.REDUCE_ONLY_WOULD_INCREASE,
            f"reduce-only {order.side.value} {quantity} {order.symbol} would not reduce the "
            f"net position {net} of account {order.account_id}",
        )
    return None
