"""Order events in envelopes, as the order processor publishes them, for the CLI's tests."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from shared.clock import FakeClock
from shared.messages.envelope import Envelope, Payload, new_envelope
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderFilled,
    OrderRejected,
)
from shared.messages.schemas.reasons import RejectReason

ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
USER = uuid.UUID("00000000-0000-4000-8000-0000000000b2")


def wrap(payload: Payload, cause: uuid.UUID | None = None) -> Envelope[Payload]:
    """The payload's envelope; ``cause`` is the command it answers."""
    envelope: Envelope[Payload] = new_envelope(payload, clock=FakeClock(1), producer="test")
    return envelope.model_copy(update={"causation_id": cause})


def _order(order_id: uuid.UUID, **more: Any) -> dict[str, Any]:
    return {
        "account_id": ACCOUNT,
        "user_id": USER,
        "order_id": order_id,
        "client_order_id": "c-1",
        "symbol": "ESZ6",
        **more,
    }


def accepted(order_id: uuid.UUID, **more: Any) -> OrderAccepted:
    fields = {
        "side": OrderSide.BUY,
        "order_type": OrderType.MARKET,
        "quantity": Decimal(2),
        "time_in_force": TimeInForce.DAY,
        **more,
    }
    return OrderAccepted(**_order(order_id, **fields))


def filled(order_id: uuid.UUID, quantity: str, cum: str, leaves: str) -> OrderFilled:
    return OrderFilled(
        **_order(order_id),
        fill_id=uuid.uuid4(),
        side=OrderSide.BUY,
        price=Decimal("5000.25"),
        quantity=Decimal(quantity),
        commission=Decimal("2.25"),
        commission_currency="USD",
        cum_quantity=Decimal(cum),
        leaves_quantity=Decimal(leaves),
    )


def canceled(order_id: uuid.UUID, cum: str = "0", leaves: str = "2") -> OrderCanceled:
    return OrderCanceled(
        **_order(order_id), cum_quantity=Decimal(cum), leaves_quantity=Decimal(leaves)
    )


def rejected(order_id: uuid.UUID | None, reason: RejectReason, message: str) -> OrderRejected:
    return OrderRejected(
        account_id=ACCOUNT,
        user_id=USER,
        order_id=order_id,
        client_order_id="c-1",
        symbol="ESZ6",
        reason=reason,
        message=message,
    )
