"""Order commands (``orders.commands``), keyed by account; platform-wide ones by ``global``."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.messages.envelope import Payload, WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    ClientOrderId,
    OrderSide,
    OrderType,
    PositiveDecimal,
    StrategyVersion,
    Symbol,
    Text,
    TimeInForce,
    TimestampNs,
    check_order_prices,
    check_strategy_ref,
)


class Bracket(BaseModel):
    """Take-profit and stop-loss children of an entry; they cancel each other (OCO)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    take_profit_price: WireDecimal | None = None
    stop_loss_price: WireDecimal | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.take_profit_price is None and self.stop_loss_price is None:
            raise ValueError("a bracket needs a take_profit_price, a stop_loss_price or both")
        return self

    def check_against(self, side: OrderSide, entry: Decimal | None) -> None:
        """Raise ValueError unless profit lies beyond the entry and loss before it."""
        sign = 1 if side is OrderSide.BUY else -1
        tp, sl = self.take_profit_price, self.stop_loss_price
        word = "above" if sign == 1 else "below"
        if tp is not None and sl is not None and (tp - sl) * sign <= 0:
            raise ValueError(f"a {side} bracket's take_profit_price must be {word} its stop_loss")
        if entry is not None and tp is not None and (tp - entry) * sign <= 0:
            raise ValueError(f"a {side} bracket's take_profit_price must be {word} the entry")
        if entry is not None and sl is not None and (entry - sl) * sign <= 0:
            raise ValueError(f"a {side} bracket's stop_loss_price must be on the losing side")


class OrderTarget(AccountPayload):
    """Base of commands aimed at one order, named by ``order_id``, ``client_order_id`` or both."""

    order_id: uuid.UUID | None = None
    client_order_id: ClientOrderId | None = None
    strategy_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _names_an_order(self) -> Self:
        if self.order_id is None and self.client_order_id is None:
            raise ValueError("name the order by order_id or client_order_id")
        return self


@message
class SubmitOrder(AccountPayload):
    """Place an order; a repeated ``client_order_id`` answers with the original outcome."""

    TYPE = "SubmitOrder"
    VERSION = 1

    client_order_id: ClientOrderId
    symbol: Symbol
    side: OrderSide
    order_type: OrderType
    quantity: PositiveDecimal
    limit_price: WireDecimal | None = None
    stop_price: WireDecimal | None = None
    time_in_force: TimeInForce = TimeInForce.DAY
    reduce_only: bool = False
    bracket: Bracket | None = None
    strategy_id: uuid.UUID | None = None
    strategy_version: StrategyVersion | None = None
    tag: Text | None = None
    not_before_ns: TimestampNs | None = Field(
        default=None,
        description="Market time before which the order may not fill: a strategy's order "
        "made on a bar waits for market data after that bar's close, even when the market "
        "data reaches the exchange late.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_order_prices(self.order_type, self.limit_price, self.stop_price)
        check_strategy_ref(self.strategy_id, self.strategy_version)
        if self.bracket is not None:
            if self.reduce_only:
                raise ValueError("a bracket goes only on an entry, not on a reduce_only order")
            entry = self.limit_price if self.limit_price is not None else self.stop_price
            self.bracket.check_against(self.side, entry)
        return self


@message
class CancelOrder(OrderTarget):
    """Cancel what remains of a working order."""

    TYPE = "CancelOrder"
    VERSION = 1

    reason: Text = ""


@message
class ModifyOrder(OrderTarget):
    """Change a working order's total quantity or prices; fields left None stay as they are."""

    TYPE = "ModifyOrder"
    VERSION = 1

    quantity: PositiveDecimal | None = None
    limit_price: WireDecimal | None = None
    stop_price: WireDecimal | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.quantity is None and self.limit_price is None and self.stop_price is None:
            raise ValueError("a modify must change quantity, limit_price or stop_price")
        return self


class Sweep(Payload):
    """Base of commands over many orders: one strategy, one account, or (operators) all.

    ``user_id`` is who asked. Without ``account_id`` the command is platform-wide.
    """

    account_id: uuid.UUID | None = None
    user_id: uuid.UUID
    strategy_id: uuid.UUID | None = None
    symbol: Symbol | None = None
    reason: Text = ""

    @model_validator(mode="after")
    def _scoped(self) -> Self:
        if self.strategy_id is not None and self.account_id is None:
            raise ValueError("a strategy-scoped command needs the strategy's account_id")
        return self


@message
class CancelAll(Sweep):
    """Cancel every working order in scope (optionally of one symbol)."""

    TYPE = "CancelAll"
    VERSION = 1


@message
class FlattenAll(Sweep):
    """Close every position in scope at market, cancelling working orders first by default."""

    TYPE = "FlattenAll"
    VERSION = 1

    cancel_working: bool = True
