"""The daily-loss breach: detecting it, and the ``RiskLimitBreached`` event that reports it.

The engine checks ``daily_loss_breached`` for a scope after every change of its daily P&L
(a fill, and a mark-to-market of its open positions) and, on a breach, in one transaction:

1. sets the scope HALTED (``TradingStates.set``; the account for the account scope, the
   strategy for a strategy scope), so nothing new passes pre-trade risk from here on;
2. cancels the scope's working orders (``CancelReason.RISK``), ``Exposure.on_done`` each;
3. if ``limits.flatten_on_daily_loss``, sends market orders closing each open position of
   the scope; the engine creates them itself and does not pass them through
   ``check_order``, which would refuse them under HALTED;
4. publishes the ``TradingStateChanged`` event of step 1 and the ``daily_loss_event`` with
   ``breach_actions(limits)``.

A scope already HALTED is not breached again: the engine skips the check for it, so a
breach is reported once per halt.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.messages.schemas.risk import RiskAction, RiskLimit, RiskLimitBreached
from shared.trading.events import Event
from shared.trading.risk_limits import RiskLimits


def daily_loss_breached(limits: RiskLimits | None, daily_pnl: Decimal) -> bool:
    """True when ``daily_pnl`` (realized today + unrealized) is at or below -max_daily_loss."""
    if limits is None or limits.max_daily_loss is None:
        return False
    return daily_pnl <= -limits.max_daily_loss


def breach_actions(limits: RiskLimits) -> tuple[RiskAction, ...]:
    """What a daily-loss breach of these limits does, in the order it is done."""
    if limits.flatten_on_daily_loss:
        return (RiskAction.HALTED, RiskAction.ORDERS_CANCELED, RiskAction.POSITIONS_FLATTENED)
    return (RiskAction.HALTED, RiskAction.ORDERS_CANCELED)


def limit_breached_event(
    *,
    account_id: uuid.UUID,
    user_id: uuid.UUID,
    strategy_id: uuid.UUID | None,
    limit: RiskLimit,
    limit_value: Decimal,
    observed_value: Decimal,
    actions: tuple[RiskAction, ...],
    message: str,
    symbol: str | None = None,
    client_order_id: str | None = None,
) -> Event:
    """A ``RiskLimitBreached`` event for any limit of an account or one of its strategies."""
    return Event(
        RiskLimitBreached,
        {
            "account_id": account_id,
            "user_id": user_id,
            "strategy_id": strategy_id,
            "symbol": symbol,
            "limit": limit,
            "limit_value": limit_value,
            "observed_value": observed_value,
            "actions": actions,
            "client_order_id": client_order_id,
            "message": message,
        },
    )


def daily_loss_event(  # noqa: PLR0917 -- a scope's ids, its limits and its P&L
    account_id: uuid.UUID,
    user_id: uuid.UUID,
    strategy_id: uuid.UUID | None,
    limits: RiskLimits,
    daily_pnl: Decimal,
    actions: tuple[RiskAction, ...] | None = None,
) -> Event:
    """The breach event of a scope's daily loss; actions default to ``breach_actions``.

    ``observed_value`` is the loss as a positive amount, comparable with ``limit_value``.
    """
    assert limits.max_daily_loss is not None, "no daily-loss limit to breach"
    who = f"account {account_id}"
    if strategy_id is not None:
        who = f"strategy {strategy_id} of {who}"
    done = actions if actions is not None else breach_actions(limits)
    return limit_breached_event(
        account_id=account_id,
        user_id=user_id,
        strategy_id=strategy_id,
        limit=RiskLimit.MAX_DAILY_LOSS,
        limit_value=limits.max_daily_loss,
        observed_value=-daily_pnl,
        actions=done,
        message=(
            f"daily loss {-daily_pnl} reached max_daily_loss {limits.max_daily_loss} for "
            f"{who}: {', '.join(a.value.lower().replace('_', ' ') for a in done)}"
        ),
    )
