"""Risk limits, trading states and today's realized P&L, per scope."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field

from order_processor.api.schemas.values import opt_dec
from shared.trading.risk_limits import RiskLimits


class RiskLimitsPublic(BaseModel):
    """A scope's limits; None means no limit (see ``shared.trading.risk_limits``)."""

    max_order_quantity: str | None
    max_position: str | None
    max_open_contracts: str | None
    max_notional: str | None
    max_daily_loss: str | None
    max_orders_per_minute: int | None
    allowed_symbols: list[str] | None
    session_only: bool
    price_band_pct: str | None
    flatten_on_daily_loss: bool


class TradingStatePublic(BaseModel):
    """A scope's own trading state; ``stored`` is False for the default (ACTIVE, no row)."""

    state: str = Field(examples=["ACTIVE"])
    reason: str
    changed_by: uuid.UUID | None
    stored: bool
    updated_at: str | None
    updated_ns: int | None


class ScopeRiskPublic(BaseModel):
    """The account (``strategy_id`` None) or one of its strategies."""

    strategy_id: uuid.UUID | None
    limits: RiskLimitsPublic | None = Field(description="None when none were ever set")
    limits_updated_at: str | None
    state: TradingStatePublic
    realized_today: str


class RiskPublic(BaseModel):
    """What governs an account's orders: the platform's state, the account's, its strategies'."""

    account_id: uuid.UUID
    trading_day: str = Field(examples=["2026-03-06"], description="Starts 17:00 Chicago")
    global_state: TradingStatePublic
    account: ScopeRiskPublic
    strategies: list[ScopeRiskPublic]


def limits_public(stored: dict[str, Any]) -> RiskLimitsPublic:
    """A stored ``limits`` document, checked through ``RiskLimits``."""
    limits = RiskLimits.from_dict(stored)
    symbols = limits.allowed_symbols
    return RiskLimitsPublic(
        max_order_quantity=opt_dec(limits.max_order_quantity),
        max_position=opt_dec(limits.max_position),
        max_open_contracts=opt_dec(limits.max_open_contracts),
        max_notional=opt_dec(limits.max_notional),
        max_daily_loss=opt_dec(limits.max_daily_loss),
        max_orders_per_minute=limits.max_orders_per_minute,
        allowed_symbols=None if symbols is None else sorted(symbols),
        session_only=limits.session_only,
        price_band_pct=opt_dec(limits.price_band_pct),
        flatten_on_daily_loss=limits.flatten_on_daily_loss,
    )
