"""The limit checks of what a scope holds: position, open contracts, notional, daily loss.

Each counts working orders as if they all filled, and lets an order that only reduces the
scope's position pass.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from shared.messages.schemas.reasons import RejectReason
from shared.trading.orders import Order
from shared.trading.risk_view import Rejection, ScopeView

if TYPE_CHECKING:
    from shared.trading.risk import RiskContext

ZERO = Decimal(0)


def position(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    limit = view.limits.max_position
    if limit is None or view.reduces:
        return None
    book, quantity = view.book, order.quantity
    if view.sign > 0:
        same = book.buy
        after = abs(book.net + same + quantity)
    else:
        same = book.sell
        after = abs(book.net - same - quantity)
    if after <= limit:
        return None
    return Rejection(
        RejectReason.MAX_POSITION,
        f"position in {order.symbol} would reach {after} if all filled (net {book.net}, "
        f"working {order.side.value.lower()} {same}, order {quantity}), over max_position "
        f"{limit} for {view.label}",
    )


def open_contracts(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    limit = view.limits.max_open_contracts
    if limit is None or view.reduces:
        return None
    held = view.exposure.abs_net if view.exposure is not None else ZERO
    working = view.exposure.working if view.exposure is not None else ZERO
    after = held + working + order.quantity
    if after <= limit:
        return None
    return Rejection(
        RejectReason.MAX_OPEN_CONTRACTS,
        f"open contracts would reach {after} (positions {held}, working {working}, order "
        f"{order.quantity}), over max_open_contracts {limit} for {view.label}",
    )


def daily_loss(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    limit = view.limits.max_daily_loss
    if limit is None or view.reduces or view.daily_pnl > -limit:
        return None
    return Rejection(
        RejectReason.MAX_DAILY_LOSS,
        f"daily loss {-view.daily_pnl} has reached max_daily_loss {limit} for {view.label}: "
        f"only orders reducing a position pass",
    )


def notional(order: Order, ctx: RiskContext, view: ScopeView) -> Rejection | None:
    """Max notional: worst-side exposure of every instrument, valued at its last price."""
    limit = view.limits.max_notional
    if limit is None or view.reduces:
        return None
    price = ctx.last_price or order.limit_price or order.stop_price
    book, quantity, values = view.book, order.quantity, ctx.contract_values
    net = book.net
    if view.sign > 0:
        worst = max(abs(net + book.buy + quantity), abs(net - book.sell))
    else:
        worst = max(abs(net + book.buy), abs(net - book.sell - quantity))
    if price is not None:
        total = worst * abs(price) * ctx.instrument.point_value
    else:
        total = worst * values.get(order.symbol, ZERO) if values else ZERO
    if values and view.exposure is not None:
        for symbol, other in view.exposure.symbols.items():
            value = values.get(symbol)
            if (
                value is not None
                and symbol != order.symbol
                and (other.net or other.buy or other.sell)
            ):
                total += other.worst() * value
    if total <= limit:
        return None
    return Rejection(
        RejectReason.MAX_NOTIONAL,
        f"notional exposure would reach {total} {ctx.instrument.currency} ({worst} "
        f"{order.symbol}{f' at {price}' if price is not None else ''} if all filled), over "
        f"max_notional {limit} for {view.label}",
    )
