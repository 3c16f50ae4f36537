"""A fill: one execution of an order, the unit that positions and the ledger are built from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from shared.messages.schemas.common import OrderSide


@dataclass(frozen=True, slots=True)
class Fill:
    """An execution of ``quantity`` at ``price``; ``commission`` is in ``currency``.

    ``venue_trade_id`` is the market trade (or bar point) that filled it; with the order id it
    identifies the fill, so the same trade can never fill the same order twice.
    """

    fill_id: uuid.UUID
    order_id: uuid.UUID
    account_id: uuid.UUID
    user_id: uuid.UUID
    symbol: str
    side: OrderSide
    price: Decimal
    quantity: Decimal
    commission: Decimal
    currency: str
    ts_ns: int
    venue_trade_id: str
    strategy_id: uuid.UUID | None = None
    strategy_version: int | None = None

    @property
    def signed_quantity(self) -> Decimal:
        """Positive for a buy, negative for a sell."""
        return self.quantity if self.side is OrderSide.BUY else -self.quantity
