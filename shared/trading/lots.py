"""A position and its FIFO lots: entries, exits, averages, P&L and excursions.

Everything is exact ``Decimal`` arithmetic on tick prices and contract quantities, so
realized P&L never drifts however many fills a position takes; only the average prices
are divisions. ``open_notional`` (the sum of price times quantity over the open lots)
makes unrealized P&L, and so every mark, O(1) whatever the number of lots.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

from shared.messages.schemas.common import PositionSide

ZERO = Decimal(0)


@dataclass(slots=True)
class Lot:
    """The still-open part of one entry fill; ``quantity`` shrinks as exits close it."""

    fill_id: uuid.UUID
    ts_ns: int
    price: Decimal
    quantity: Decimal


@dataclass(slots=True, eq=False)
class Position:
    """One account's position in one instrument, from its opening fill until flat again.

    ``quantity`` is the open size (> 0 while open; the direction is ``side``). Entry and
    exit totals give quantity-weighted average prices over all fills. ``commissions`` holds
    entry and exit commissions; ``gross_pnl`` is realized before them. ``mae`` (<= 0) and
    ``mfe`` (>= 0) are the worst and best unrealized P&L of the open lots seen at marks and
    fills; ``last_mark`` is the last price seen, from a mark or a fill.
    """

    position_id: uuid.UUID
    account_id: uuid.UUID
    user_id: uuid.UUID
    symbol: str
    side: PositionSide
    currency: str
    point_value: Decimal
    opened_ns: int
    last_fill_id: uuid.UUID
    quantity: Decimal = ZERO
    lots: deque[Lot] = field(default_factory=deque)
    entry_quantity: Decimal = ZERO
    entry_notional: Decimal = ZERO
    closed_quantity: Decimal = ZERO
    exit_notional: Decimal = ZERO
    max_quantity: Decimal = ZERO
    gross_pnl: Decimal = ZERO
    commissions: Decimal = ZERO
    closed_ns: int | None = None
    mae: Decimal = ZERO
    mfe: Decimal = ZERO
    last_mark: Decimal | None = None
    open_notional: Decimal = field(init=False)
    sign: int = field(init=False)
    signed_point_value: Decimal = field(init=False)

    def __post_init__(self) -> None:
        lots = self.lots
        self.open_notional = sum((x.price * x.quantity for x in lots), ZERO) if lots else ZERO
        self.sign = 1 if self.side == PositionSide.LONG else -1
        self.signed_point_value = self.point_value * self.sign

    @property
    def is_open(self) -> bool:
        return self.closed_ns is None

    @property
    def signed_quantity(self) -> Decimal:
        """The open size, positive long and negative short."""
        return self.quantity if self.sign > 0 else -self.quantity

    @property
    def avg_entry_price(self) -> Decimal:
        return self.entry_notional / self.entry_quantity

    @property
    def avg_exit_price(self) -> Decimal | None:
        """None until some quantity has been closed."""
        return self.exit_notional / self.closed_quantity if self.closed_quantity else None

    @property
    def realized_pnl(self) -> Decimal:
        """Realized gross P&L less every commission charged so far."""
        return self.gross_pnl - self.commissions

    def duration_ns(self, now_ns: int | None = None) -> int:
        """How long it has been open: until it closed, or until ``now_ns`` while open."""
        end = self.closed_ns if self.closed_ns is not None else now_ns
        if end is None:
            raise ValueError("an open position's duration needs now_ns")
        return end - self.opened_ns

    def unrealized_pnl(self, price: Decimal) -> Decimal:
        """Sum over the open lots of (price - lot price) * quantity * sign * point value."""
        return (price * self.quantity - self.open_notional) * self.signed_point_value

    def observe(self, price: Decimal) -> Decimal:
        """Take a market price into the last mark and the excursions; the unrealized P&L."""
        self.last_mark = price
        unrealized = (price * self.quantity - self.open_notional) * self.signed_point_value
        if unrealized < self.mae:
            self.mae = unrealized
        elif unrealized > self.mfe:
            self.mfe = unrealized
        return unrealized

    def add(
        self, fill_id: uuid.UUID, ts_ns: int, price: Decimal, qty: Decimal, commission: Decimal
    ) -> None:
        """An entry: a new lot at the back of the queue."""
        # The new lot is worth 0 at its own price: seeing the price before adding is enough.
        self.observe(price)
        notional = price * qty
        self.lots.append(Lot(fill_id, ts_ns, price, qty))
        self.quantity += qty
        self.entry_quantity += qty
        self.entry_notional += notional
        self.open_notional += notional
        self.commissions += commission
        self.max_quantity = max(self.max_quantity, self.quantity)
        self.last_fill_id = fill_id

    def reduce(
        self, fill_id: uuid.UUID, ts_ns: int, price: Decimal, qty: Decimal, commission: Decimal
    ) -> None:
        """An exit of ``qty`` (at most the open quantity), matched first-in-first-out."""
        if qty > self.quantity:
            raise ValueError(f"exit of {qty} exceeds the open {self.quantity}")
        before = self.observe(price)
        lots = self.lots
        left = qty
        cost = ZERO
        while left:
            lot = lots[0]
            if lot.quantity <= left:
                cost += lot.price * lot.quantity
                left -= lot.quantity
                lots.popleft()
            else:
                cost += lot.price * left
                lot.quantity -= left
                left = ZERO
        notional = price * qty
        gross = (notional - cost) * self.signed_point_value
        self.gross_pnl += gross
        self.open_notional -= cost
        self.quantity -= qty
        self.closed_quantity += qty
        self.exit_notional += notional
        self.commissions += commission
        self.last_fill_id = fill_id
        if self.quantity:
            # FIFO may leave the dearer lots open: what remains is seen anew at this price.
            after = before - gross
            if after < self.mae:
                self.mae = after
            elif after > self.mfe:
                self.mfe = after
        else:
            self.closed_ns = ts_ns
