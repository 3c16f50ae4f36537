"""``GET /api/v1/accounts/{account_id}/risk``: limits, trading states and today's P&L."""

from __future__ import annotations

import uuid
from decimal import Decimal

from fastapi import APIRouter

from order_processor.adapters import queries
from order_processor.adapters.rows import NIL, scope_part
from order_processor.api.params import PROBLEMS
from order_processor.api.schemas.risk import (
    RiskPublic,
    ScopeRiskPublic,
    TradingStatePublic,
    limits_public,
)
from order_processor.api.schemas.values import dec
from order_processor.api.wiring import NowNs, Owned
from shared.clock import datetime_to_ns, ns_to_iso
from shared.trading.daily_pnl import day_of

router = APIRouter(prefix="/api/v1/accounts/{account_id}", tags=["risk"])
DEFAULT_STATE = TradingStatePublic(
    state="ACTIVE", reason="", changed_by=None, stored=False, updated_at=None, updated_ns=None
)


def _state(row: queries.Record | None) -> TradingStatePublic:
    if row is None:
        return DEFAULT_STATE
    at = datetime_to_ns(row["updated_at"])
    return TradingStatePublic(
        state=row["state"], reason=row["reason"], changed_by=row["changed_by"], stored=True,
        updated_at=ns_to_iso(at), updated_ns=at,
    )  # fmt: skip


@router.get(
    "/risk",
    response_model=RiskPublic,
    summary="Risk limits, trading states and today's realized P&L",
    responses=PROBLEMS,
)
async def account_risk(owned: Owned, now_ns: NowNs) -> RiskPublic:
    """The account's and each strategy's limits and trading state (a scope without a state
    of its own is ACTIVE), the platform-wide state, and realized P&L booked today per scope.
    An order trades under the most restrictive of the global, account and strategy states.
    """
    account_id = owned.account_id
    rows = await queries.risk(owned.conn, account_id)
    day = day_of(now_ns)
    limits = {r["strategy_id"]: r for r in rows.limits}
    states = {r["strategy_id"]: r for r in rows.states if r["account_id"] == account_id}
    glob = next((r for r in rows.states if r["account_id"] == NIL), None)
    daily = {r["strategy_id"]: r for r in rows.daily if r["trading_day"] == day}

    def scope(strategy_id: uuid.UUID) -> ScopeRiskPublic:
        limit = limits.get(strategy_id)
        booked = daily.get(strategy_id)
        return ScopeRiskPublic(
            strategy_id=scope_part(strategy_id),
            limits=None if limit is None else limits_public(limit["limits"]),
            limits_updated_at=None
            if limit is None
            else ns_to_iso(datetime_to_ns(limit["updated_at"])),
            state=_state(states.get(strategy_id)),
            realized_today=dec(Decimal(0) if booked is None else booked["realized"]),
        )

    strategies = sorted({*limits, *states, *(r["strategy_id"] for r in rows.daily)} - {NIL})
    return RiskPublic(
        account_id=account_id,
        trading_day=day.isoformat(),
        global_state=_state(glob),
        account=scope(NIL),
        strategies=[scope(s) for s in strategies],
    )
