"""Order events (``orders.events``): an order's lifecycle, fills included, keyed by account."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from shared.messages.envelope import WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    ClientOrderId,
    Currency,
    NonNegativeDecimal,
    OrderSide,
    OrderType,
    PositiveDecimal,
    StrategyVersion,
    Symbol,
    Text,
    TimeInForce,
    check_order_prices,
    check_strategy_ref,
)
from shared.messages.schemas.orders import Bracket
from shared.messages.schemas.reasons import CancelReason, RejectedCommand, RejectReason


class LiquiditySide(StrEnum):
    """Whether a fill added liquidity (maker) or took it (taker)."""

    MAKER = "MAKER"
    TAKER = "TAKER"
    NONE = "NONE"


class OrderEvent(AccountPayload):
    """Base of the events of one known order."""

    order_id: uuid.UUID
    client_order_id: ClientOrderId
    symbol: Symbol
    strategy_id: uuid.UUID | None = None
    strategy_version: StrategyVersion | None = None

    @model_validator(mode="after")
    def _strategy_ref(self) -> Self:
        check_strategy_ref(self.strategy_id, self.strategy_version)
        return self


@message
class OrderAccepted(OrderEvent):
    """The order passed risk and is working; bracket children name their parent."""

    TYPE = "OrderAccepted"
    VERSION = 1

    side: OrderSide
    order_type: OrderType
    quantity: PositiveDecimal
    limit_price: WireDecimal | None = None
    stop_price: WireDecimal | None = None
    time_in_force: TimeInForce
    reduce_only: bool = False
    bracket: Bracket | None = None
    parent_order_id: uuid.UUID | None = None
    oco_group_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _prices(self) -> Self:
        check_order_prices(self.order_type, self.limit_price, self.stop_price)
        return self


@message
class OrderRejected(AccountPayload):
    """A command refused, with its reason code.

    Only a refused ``SUBMIT`` makes an order REJECTED; a refused cancel or modify leaves the
    order as it was. ``order_id`` is None when no order could be found or made; a refused
    ``SWEEP`` or ``RISK_SETTINGS`` command names no order at all.
    """

    TYPE = "OrderRejected"
    VERSION = 1

    command: RejectedCommand = RejectedCommand.SUBMIT
    order_id: uuid.UUID | None = None
    client_order_id: ClientOrderId | None = None
    symbol: Symbol | None = None
    strategy_id: uuid.UUID | None = None
    strategy_version: StrategyVersion | None = None
    reason: RejectReason
    message: Text

    @model_validator(mode="after")
    def _names_the_order(self) -> Self:
        if self.command is RejectedCommand.SUBMIT and (
            self.client_order_id is None or self.symbol is None
        ):
            raise ValueError("a refused SUBMIT names its client_order_id and symbol")
        if (
            self.command not in (RejectedCommand.RISK_SETTINGS, RejectedCommand.SWEEP)
            and self.order_id is None
            and self.client_order_id is None
        ):
            raise ValueError("a rejection names the order by order_id or client_order_id")
        return self


@message
class OrderTriggered(OrderEvent):
    """A stop was touched: a STOP now works as market, a STOP_LIMIT as limit."""

    TYPE = "OrderTriggered"
    VERSION = 1

    trigger_price: WireDecimal


@message
class OrderFilled(OrderEvent):
    """One fill, partial or full; ``leaves_quantity`` 0 means the order is done."""

    TYPE = "OrderFilled"
    VERSION = 1

    fill_id: uuid.UUID
    venue_trade_id: str | None = None
    side: OrderSide
    price: WireDecimal
    quantity: PositiveDecimal
    commission: WireDecimal
    commission_currency: Currency
    cum_quantity: PositiveDecimal
    leaves_quantity: NonNegativeDecimal
    liquidity: LiquiditySide = LiquiditySide.NONE

    @model_validator(mode="after")
    def _quantities(self) -> Self:
        if self.cum_quantity < self.quantity:
            raise ValueError("cum_quantity is less than this fill's quantity")
        return self


class OrderClosed(OrderEvent):
    """Base of the events that end a working order before it is fully filled."""

    cum_quantity: NonNegativeDecimal
    leaves_quantity: PositiveDecimal
    message: Text = ""


@message
class OrderCanceled(OrderClosed):
    """The order's remaining quantity is canceled; ``leaves_quantity`` is what was left."""

    TYPE = "OrderCanceled"
    VERSION = 1

    reason: CancelReason = CancelReason.REQUESTED


@message
class OrderExpired(OrderClosed):
    """The order's time in force ran out (a DAY order at the session close)."""

    TYPE = "OrderExpired"
    VERSION = 1


@message
class OrderModified(OrderEvent):
    """The working order now has these quantity and prices."""

    TYPE = "OrderModified"
    VERSION = 1

    quantity: PositiveDecimal
    limit_price: WireDecimal | None = None
    stop_price: WireDecimal | None = None
    leaves_quantity: PositiveDecimal

    @model_validator(mode="after")
    def _quantities(self) -> Self:
        if self.leaves_quantity > self.quantity:
            raise ValueError("leaves_quantity exceeds the order's quantity")
        return self
