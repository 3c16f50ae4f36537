"""Orders: the working state of one order and its lifecycle as an explicit transition table.

An order is mutable while it works and frozen in a terminal status. Every status change goes
through ``Order.move``; a change missing from ``TRANSITIONS`` is a bug, not a state, and
raises ``IllegalTransition``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce

ZERO = Decimal(0)


class OrderStatus(StrEnum):
    """Where an order is in its life; the last four are terminal."""

    ACCEPTED = "ACCEPTED"
    TRIGGERED = "TRIGGERED"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    REJECTED = "REJECTED"


S = OrderStatus
TRANSITIONS: dict[OrderStatus | None, frozenset[OrderStatus]] = {
    None: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset(
        {S.ACCEPTED, S.TRIGGERED, S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED}
    ),
    S.TRIGGERED: frozenset({S.TRIGGERED, S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED}),
    S.PARTIALLY_FILLED: frozenset({S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED}),
    S.FILLED: frozenset(),
    S.CANCELED: frozenset(),
    S.EXPIRED: frozenset(),
    S.REJECTED: frozenset(),
}
"""Allowed moves: from a status (None: a new order) to the statuses it may take next.

A move to the same status is a modify (ACCEPTED, TRIGGERED) or a further partial fill.
"""

WORKING = frozenset({S.ACCEPTED, S.TRIGGERED, S.PARTIALLY_FILLED})


class IllegalTransition(RuntimeError):
    """An order was asked to move where the transition table forbids: a bug in the caller."""


class DuplicateFill(ValueError):
    """A fill from a trade this order has already been filled by."""


@dataclass(slots=True, eq=False)
class Order:
    """One order as the ledger knows it. Prices and quantities are Decimals on the tick grid.

    ``parent_order_id`` and ``oco_group_id`` tie bracket children to their entry and to each
    other; ``take_profit``/``stop_loss`` are an entry's bracket, placed when it fills.
    ``fresh`` is True until the order has been looked at against market data once: a limit
    marketable at its first look (a gap) fills at the better market price.
    """

    order_id: uuid.UUID
    account_id: uuid.UUID
    user_id: uuid.UUID
    client_order_id: str
    symbol: str
    side: OrderSide
    order_type: OrderType
    quantity: Decimal
    time_in_force: TimeInForce
    created_ns: int
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    reduce_only: bool = False
    strategy_id: uuid.UUID | None = None
    strategy_version: int | None = None
    parent_order_id: uuid.UUID | None = None
    oco_group_id: uuid.UUID | None = None
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    tag: str | None = None
    expire_ns: int | None = None
    status: OrderStatus | None = None
    filled_quantity: Decimal = ZERO
    notional_filled: Decimal = ZERO
    triggered: bool = False
    fresh: bool = True
    not_before_ns: int = 0
    """Market points earlier than this (a bar's own path up to its close) do not fill it."""
    updated_ns: int = 0
    reason: str | None = None
    message: str = ""
    trade_ids: set[str] = field(default_factory=set)

    @property
    def leaves_quantity(self) -> Decimal:
        return self.quantity - self.filled_quantity

    @property
    def is_working(self) -> bool:
        return self.status in WORKING

    @property
    def sign(self) -> int:
        """+1 for a buy, -1 for a sell."""
        return 1 if self.side is OrderSide.BUY else -1

    @property
    def avg_fill_price(self) -> Decimal | None:
        if not self.filled_quantity:
            return None
        return self.notional_filled / self.filled_quantity

    @property
    def has_bracket(self) -> bool:
        return self.take_profit is not None or self.stop_loss is not None

    def move(self, status: OrderStatus, ts_ns: int) -> None:
        """Change status through the transition table; raise ``IllegalTransition`` otherwise."""
        if status not in TRANSITIONS[self.status]:
            raise IllegalTransition(f"order {self.order_id}: {self.status} -> {status}")
        self.status = status
        self.updated_ns = ts_ns

    def record_fill(self, trade_id: str, price: Decimal, quantity: Decimal, ts_ns: int) -> None:
        """Book a fill on the order: refuses a repeated trade id and over-fills."""
        if trade_id in self.trade_ids:
            raise DuplicateFill(f"order {self.order_id} already filled by trade {trade_id}")
        if quantity <= 0 or quantity > self.leaves_quantity:
            raise IllegalTransition(
                f"order {self.order_id}: fill of {quantity} with {self.leaves_quantity} left"
            )
        self.trade_ids.add(trade_id)
        self.filled_quantity += quantity
        self.notional_filled += price * quantity
        done = self.filled_quantity == self.quantity
        self.move(OrderStatus.FILLED if done else OrderStatus.PARTIALLY_FILLED, ts_ns)
