"""Position events (``positions.events``): a position's life from 0 to long or short to 0.

A position belongs to one account and instrument and never flips: a fill that crosses
zero closes it and opens a new one. Amounts are in ``currency``; ``realized_pnl`` is
``gross_pnl`` less ``commissions``. Average prices are quantity-weighted over all entry
(or exit) fills; ``closed_quantity`` is the quantity closed so far. The excursions, when
given, are the worst and best unrealized P&L of the open lots seen so far at marks and fills.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Self

from pydantic import Field, model_validator

from shared.messages.envelope import WireDecimal
from shared.messages.registry import message
from shared.messages.schemas.common import (
    AccountPayload,
    Currency,
    NonNegativeDecimal,
    PositionSide,
    PositiveDecimal,
    Symbol,
    TimestampNs,
)

Adverse = Annotated[Decimal, Field(le=0, allow_inf_nan=False)]
"""A worst unrealized P&L: zero or a loss."""

Favorable = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""A best unrealized P&L: zero or a gain."""


class PositionEvent(AccountPayload):
    """Base of position events; ``fill_id`` is the fill that caused the event."""

    position_id: uuid.UUID
    symbol: Symbol
    side: PositionSide
    fill_id: uuid.UUID
    avg_entry_price: WireDecimal
    max_quantity: PositiveDecimal
    gross_pnl: WireDecimal
    commissions: WireDecimal
    realized_pnl: WireDecimal
    currency: Currency
    opened_at: TimestampNs
    max_adverse_excursion: Adverse | None = None
    max_favorable_excursion: Favorable | None = None

    @model_validator(mode="after")
    def _net_pnl(self) -> Self:
        if self.realized_pnl != self.gross_pnl - self.commissions:
            raise ValueError("realized_pnl must equal gross_pnl minus commissions")
        return self


class OpenPositionEvent(PositionEvent):
    """Base of the events of a position that is still open."""

    quantity: PositiveDecimal

    @model_validator(mode="after")
    def _size(self) -> Self:
        if self.quantity > self.max_quantity:
            raise ValueError("quantity exceeds max_quantity")
        return self


@message
class PositionOpened(OpenPositionEvent):
    """A position opened from flat; realized P&L so far is minus the opening commission."""

    TYPE = "PositionOpened"
    VERSION = 1


@message
class PositionChanged(OpenPositionEvent):
    """A fill added to or reduced the position without closing it."""

    TYPE = "PositionChanged"
    VERSION = 1

    closed_quantity: NonNegativeDecimal
    avg_exit_price: WireDecimal | None = None

    @model_validator(mode="after")
    def _exits(self) -> Self:
        if (self.avg_exit_price is None) != (self.closed_quantity == 0):
            raise ValueError("avg_exit_price is given exactly when some quantity was closed")
        return self


@message
class PositionClosed(PositionEvent):
    """The position is flat again: the final P&L, prices, size and duration."""

    TYPE = "PositionClosed"
    VERSION = 1

    closed_quantity: PositiveDecimal
    avg_exit_price: WireDecimal
    closed_at: TimestampNs

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.closed_at < self.opened_at:
            raise ValueError("closed_at is before opened_at")
        if self.closed_quantity < self.max_quantity:
            raise ValueError("closed_quantity is less than max_quantity")
        return self

    @property
    def duration_ns(self) -> int:
        """How long the position was open."""
        return self.closed_at - self.opened_at
