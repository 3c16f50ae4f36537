"""The limit checks of pre-trade risk that look at the order alone, in the order they run.

Each takes the order, the context and one scope's view, and returns a ``Rejection`` whose
message names the numbers, or None. ``risk.check_order`` runs them account scope first;
the checks of what a scope holds are in ``risk_holdings``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from shared.messages.schemas.reasons import RejectReason
from shared.trading.exposure import Scope, ScopeExposure, SymbolExposure
from shared.trading.orders import Order
from shared.trading.risk_limits import RiskLimits

if TYPE_CHECKING:
    from shared.trading.risk import RiskContext

ZERO = Decimal(0)


class Rejection(NamedTuple):
    """Why risk refused an order: a stable reason code and a message naming the numbers."""

    reason: RejectReason
    message: str


@dataclass(slots=True)
class ScopeView:
    """One scope as a check sees it: its limits, its exposure, and its daily P&L."""

    scope: Scope
    limits: RiskLimits
    exposure: ScopeExposure | None
    book: SymbolExposure
    daily_pnl: Decimal
    reduces: bool
    sign: int

    @property
    def label(self) -> str:
        account_id, strategy_id = self.scope
        if strategy_id is None:
            return f"account {account_id}"
        return f"strategy {strategy_id} of account {account_id}"


def reduces(book: SymbolExposure | None, sign: int, quantity: Decimal) -> bool:
    """True if an order of this side and quantity only shrinks the net position."""
    net = book.net if book is not None else ZERO
    return (net < 0 if sign > 0 else net > 0) and quantity <= abs(net)


Check = Callable[[Order, "RiskContext", ScopeView], Rejection | None]


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
        ctx.session_open = hours is None or hours.is_open(ctx.now_ns)
    if ctx.session_open or hours is None:
        return None
    return Rejection(
        RejectReason.OUTSIDE_SESSION,
        f"the {hours.name} session of {order.symbol} is closed at {ctx.now_ns} ns and "
        f"{view.label} trades only in session",
    )


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
    if pct is None or last is None or not last:
        return None
    for name, price in (("limit", order.limit_price), ("stop", order.stop_price)):
        if price is not None and abs(price - last) * 100 > abs(last) * pct:
            off = abs(price - last) * 100 / abs(last)
            return Rejection(
                RejectReason.PRICE_BAND,
                f"{name} price {price} is {off:.2f}% from the last trade {last}, outside the "
                f"price_band_pct {pct}% of {view.label}",
            )
    return None
