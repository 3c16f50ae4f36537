"""Risk limit and trading state commands (``orders.commands``) and the limits-changed event.

Limits are set per account, or per strategy of an account; every field left None means no
limit. A command replaces the whole set for its scope. Trading states are set for the
platform (operators, no account), an account, or one of its strategies.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.messages.envelope import Payload
from shared.messages.registry import message
from shared.messages.schemas.common import AccountPayload, PositiveDecimal, Symbol, Text
from shared.messages.schemas.risk import StateScope, TradingState

PositiveInt = Annotated[int, Field(gt=0)]


class RiskLimitsSpec(BaseModel):
    """The pre-trade and running limits of one scope; None means no limit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_order_quantity: PositiveDecimal | None = None
    max_position: PositiveDecimal | None = None
    max_open_contracts: PositiveDecimal | None = None
    max_notional: PositiveDecimal | None = None
    max_daily_loss: PositiveDecimal | None = None
    max_orders_per_minute: PositiveInt | None = None
    allowed_symbols: tuple[Symbol, ...] | None = None
    session_only: bool = False
    price_band_pct: PositiveDecimal | None = None
    flatten_on_daily_loss: bool = False


@message
class SetRiskLimits(AccountPayload):
    """Replace the risk limits of an account, or of one strategy of it."""

    TYPE = "SetRiskLimits"
    VERSION = 1

    strategy_id: uuid.UUID | None = None
    limits: RiskLimitsSpec
    reason: Text = ""


@message
class SetTradingState(Payload):
    """Set the trading state of the platform, an account or a strategy.

    ``user_id`` is who asks; platform-wide changes are for operators.
    """

    TYPE = "SetTradingState"
    VERSION = 1

    scope: StateScope
    account_id: uuid.UUID | None = None
    user_id: uuid.UUID
    strategy_id: uuid.UUID | None = None
    state: TradingState
    reason: Text = ""

    @model_validator(mode="after")
    def _scope_matches_ids(self) -> Self:
        ok = {
            StateScope.GLOBAL: self.account_id is None and self.strategy_id is None,
            StateScope.ACCOUNT: self.account_id is not None and self.strategy_id is None,
            StateScope.STRATEGY: self.account_id is not None and self.strategy_id is not None,
        }
        if not ok[self.scope]:
            raise ValueError(
                "GLOBAL scope takes no account or strategy; ACCOUNT needs account_id; "
                "STRATEGY needs account_id and strategy_id"
            )
        return self


@message
class RiskLimitsChanged(AccountPayload):
    """The risk limits of an account (or one of its strategies) are now these."""

    TYPE = "RiskLimitsChanged"
    VERSION = 1

    strategy_id: uuid.UUID | None = None
    limits: RiskLimitsSpec
    changed_by: uuid.UUID | None = None
    reason: Text = ""
