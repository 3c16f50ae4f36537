"""Risk events (``risk.events``): trading state changes and limit breaches.

Keyed by account; a platform-wide state change has no account and travels as ``global``.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from shared.messages.envelope import Payload, WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    ClientOrderId,
    Symbol,
    Text,
)


class TradingState(StrEnum):
    """ACTIVE trades freely, REDUCING lets only position-reducing orders pass, HALTED none."""

    ACTIVE = "ACTIVE"
    REDUCING = "REDUCING"
    HALTED = "HALTED"


class StateScope(StrEnum):
    """What a trading state applies to."""

    GLOBAL = "GLOBAL"
    ACCOUNT = "ACCOUNT"
    STRATEGY = "STRATEGY"


class RiskLimit(StrEnum):
    """The pre-trade and running limits a breach can name."""

    MAX_ORDER_QTY = "MAX_ORDER_QTY"
    MAX_POSITION = "MAX_POSITION"
    MAX_OPEN_CONTRACTS = "MAX_OPEN_CONTRACTS"
    MAX_NOTIONAL = "MAX_NOTIONAL"
    MAX_DAILY_LOSS = "MAX_DAILY_LOSS"
    RATE_LIMIT = "RATE_LIMIT"


class RiskAction(StrEnum):
    """What the platform did about a breach."""

    ORDER_REJECTED = "ORDER_REJECTED"
    ORDERS_CANCELED = "ORDERS_CANCELED"
    POSITIONS_FLATTENED = "POSITIONS_FLATTENED"
    SET_REDUCING = "SET_REDUCING"
    HALTED = "HALTED"


@message
class TradingStateChanged(Payload):
    """The trading state of the platform, an account or a strategy changed.

    ``changed_by`` is the user or operator who acted; None when a rule (a breach) did.
    """

    TYPE = "TradingStateChanged"
    VERSION = 1

    scope: StateScope
    account_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    strategy_id: uuid.UUID | None = None
    previous_state: TradingState
    state: TradingState
    reason: Text
    changed_by: uuid.UUID | None = None

    @model_validator(mode="after")
    def _scope_matches_ids(self) -> Self:
        has_account = self.account_id is not None and self.user_id is not None
        has_strategy = self.strategy_id is not None
        expected = {
            StateScope.GLOBAL: self.account_id is None
            and self.user_id is None
            and not has_strategy,
            StateScope.ACCOUNT: has_account and not has_strategy,
            StateScope.STRATEGY: has_account and has_strategy,
        }
        if not expected[self.scope]:
            raise ValueError(
                "GLOBAL scope takes no account, user or strategy; ACCOUNT needs account_id and "
                "user_id; STRATEGY needs account_id, user_id and strategy_id"
            )
        if self.previous_state is self.state:
            raise ValueError("previous_state equals state: nothing changed")
        return self


@message
class RiskLimitBreached(AccountPayload):
    """A limit of an account (or of one of its strategies) was hit, and what was done."""

    TYPE = "RiskLimitBreached"
    VERSION = 1

    strategy_id: uuid.UUID | None = None
    symbol: Symbol | None = None
    limit: RiskLimit
    limit_value: WireDecimal
    observed_value: WireDecimal
    actions: tuple[RiskAction, ...] = Field(min_length=1)
    client_order_id: ClientOrderId | None = None
    message: Text
