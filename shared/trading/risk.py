"""Pre-trade risk: ``check_order(order, ctx)`` refuses an order with a reason, or passes it.

This module is also the one import for the engine: it re-exports the limits, exposure,
trading states, daily P&L and breach helpers from their modules.

The engine owns an ``Exposure``, a ``TradingStates``, a ``DailyPnl`` and the limits of each
scope; for each new order it builds a ``RiskContext`` and calls ``check_order``. When the
order passes it calls ``Exposure.on_accept(order)`` and ``Exposure.on_order_sent(scope,
now_ns)`` for each of ``scopes_of(order.account_id, order.strategy_id)``.

Checks, first refusal wins; each limit runs for the account scope, then the strategy scope:

1. trading state: HALTED refuses all; REDUCING refuses what does not reduce a position;
2. reduce-only: must be opposite the account's net position and no larger than it;
3. allowed instruments; 4. session (``session_only``); 5. max order quantity; 6. orders
   per minute; 7. price band around the last trade; 8. max position; 9. max open contracts;
   10. max notional; 11. daily loss already at its limit.

An order reduces a scope's position when it is opposite that scope's net position and no
larger than it; such an order passes 8-11 for that scope. Under REDUCING it must reduce in
every scope it counts in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.instruments import Instrument
from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.risk import TradingState
from shared.trading import risk_checks, risk_holdings
from shared.trading.daily_pnl import DailyPnl, TradingDays, day_of
from shared.trading.exposure import Exposure, Scope, ScopeExposure, SymbolExposure, scopes_of
from shared.trading.orders import Order
from shared.trading.risk_breach import (
    breach_actions,
    daily_loss_breached,
    daily_loss_event,
    limit_breached_event,
)
from shared.trading.risk_limits import InvalidRiskLimits, RiskLimits
from shared.trading.risk_view import Check, Rejection, ScopeView, reduces
from shared.trading.trading_state import TradingStates, most_restrictive

__all__ = [
    "CHECKS",
    "DailyPnl",
    "Exposure",
    "InvalidRiskLimits",
    "Rejection",
    "RiskContext",
    "RiskLimits",
    "Scope",
    "ScopeExposure",
    "SymbolExposure",
    "TradingDays",
    "TradingStates",
    "breach_actions",
    "check_order",
    "daily_loss_breached",
    "daily_loss_event",
    "day_of",
    "limit_breached_event",
    "most_restrictive",
    "scopes_of",
]

ZERO = Decimal(0)
_EMPTY_BOOK = SymbolExposure()


@dataclass(slots=True)
class RiskContext:
    """What pre-trade risk needs to know besides the order.

    ``state`` is ``TradingStates.effective(account, strategy)``; the P&Ls are each scope's
    realized today plus unrealized. ``contract_values`` is the value of one contract (last
    price x point value, account currency) of the other instruments the scopes hold, for
    max notional; an instrument missing there (or all, when None) is left out of it.
    ``session_open`` None is worked out from the instrument's session, once, when a
    ``session_only`` limit asks.
    """

    instrument: Instrument
    exposure: Exposure
    now_ns: int
    state: TradingState = TradingState.ACTIVE
    account_limits: RiskLimits | None = None
    strategy_limits: RiskLimits | None = None
    last_price: Decimal | None = None
    account_pnl: Decimal = ZERO
    strategy_pnl: Decimal = ZERO
    contract_values: Mapping[str, Decimal] | None = None
    session_open: bool | None = None


def check_order(order: Order, ctx: RiskContext) -> Rejection | None:
    """A ``Rejection`` with a reason code and a message naming the numbers, or None."""
    account_id, strategy_id, symbol = order.account_id, order.strategy_id, order.symbol
    sign = 1 if order.side is OrderSide.BUY else -1
    account_scope = (account_id, None)
    account = ctx.exposure.find(account_scope)
    account_book = account.symbols.get(symbol, _EMPTY_BOOK) if account is not None else _EMPTY_BOOK
    strategy_scope: Scope = (account_id, strategy_id)
    strategy = ctx.exposure.find(strategy_scope) if strategy_id is not None else None
    strategy_book = strategy.symbols.get(symbol, _EMPTY_BOOK) if strategy is not None else None
    if ctx.state is not TradingState.ACTIVE or order.reduce_only:
        rejection = risk_checks.check_state(order, ctx.state, sign, account_book, strategy_book)
        if rejection is not None:
            return rejection

    views: list[ScopeView] = []
    quantity = order.quantity
    if ctx.account_limits is not None:
        reducing = reduces(account_book, sign, quantity)
        views.append(
            ScopeView(
                account_scope, ctx.account_limits, account, account_book, ctx.account_pnl,
                reducing, sign,
            )
        )  # fmt: skip
    if ctx.strategy_limits is not None and strategy_id is not None:
        book = strategy_book or _EMPTY_BOOK
        reducing = reduces(book, sign, quantity)
        views.append(
            ScopeView(
                strategy_scope, ctx.strategy_limits, strategy, book, ctx.strategy_pnl,
                reducing, sign,
            )
        )  # fmt: skip
    if views:
        for check in CHECKS:
            for view in views:
                rejection = check(order, ctx, view)
                if rejection is not None:
                    return rejection
    return None


CHECKS: tuple[Check, ...] = (
    risk_checks.allowed,
    risk_checks.session,
    risk_checks.order_quantity,
    risk_checks.rate,
    risk_checks.price_band,
    risk_holdings.position,
    risk_holdings.open_contracts,
    risk_holdings.notional,
    risk_holdings.daily_loss,
)
"""The limit checks in the order they run."""
