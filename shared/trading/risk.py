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
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from shared.instruments import Instrument
from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.reasons import RejectReason
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
from shared.trading.risk_checks import Check, Rejection, ScopeView, reduces
from shared.trading.risk_limits import InvalidRiskLimits, RiskLimits
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
_NO_VALUES: Mapping[str, Decimal] = MappingProxyType({})
_EMPTY_BOOK = SymbolExposure()
HALTED, REDUCING = TradingState.HALTED, TradingState.REDUCING


@dataclass(slots=True)
class RiskContext:
    """What pre-trade risk needs to know besides the order.

    ``state`` is ``TradingStates.effective(account, strategy)``; the P&Ls are each scope's
    realized today plus unrealized. ``contract_values`` is the value of one contract (last
    price x point value, account currency) of the other instruments the scopes hold, for
    max notional; an instrument missing there is left out of it. ``session_open`` None is
    worked out from the instrument's session, once, when a ``session_only`` limit asks.
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
    contract_values: Mapping[str, Decimal] = field(default_factory=lambda: _NO_VALUES)
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
        rejection = _check_state(order, ctx.state, sign, account_book, strategy_book)
        if rejection is not None:
            return rejection

    views: list[ScopeView] = []
    if ctx.account_limits is not None:
        reducing = reduces(account_book, sign, order.quantity)
        views.append(
            ScopeView(
                account_scope,
                ctx.account_limits,
                account,
                account_book,
                ctx.account_pnl,
                reducing,
                sign,
            )
        )
    if ctx.strategy_limits is not None and strategy_id is not None:
        book = strategy_book or _EMPTY_BOOK
        reducing = reduces(book, sign, order.quantity)
        views.append(
            ScopeView(
                strategy_scope,
                ctx.strategy_limits,
                strategy,
                book,
                ctx.strategy_pnl,
                reducing,
                sign,
            )
        )
    if views:
        for check in CHECKS:
            for view in views:
                rejection = check(order, ctx, view)
                if rejection is not None:
                    return rejection
    return None


def _check_state(
    order: Order,
    state: TradingState,
    sign: int,
    account_book: SymbolExposure,
    strategy_book: SymbolExposure | None,
) -> Rejection | None:
    """The trading state, then reduce-only: both ask whether the order only reduces."""
    quantity, net = order.quantity, account_book.net
    account_reduces = reduces(account_book, sign, quantity)
    if state is HALTED:
        who = f"account {order.account_id}"
        if order.strategy_id is not None:
            who = f"strategy {order.strategy_id} of {who}"
        return Rejection(RejectReason.TRADING_HALTED, f"trading is halted for {who}")
    strategy_reduces = order.strategy_id is None or reduces(strategy_book, sign, quantity)
    if state is REDUCING and not (account_reduces and strategy_reduces):
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
