"""Field types and enums shared by several message schemas."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from shared.messages.envelope import Payload

Symbol = Annotated[
    str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/:-]*$")
]
"""An instrument symbol as the registry knows it (``ESZ6``, ``AAPL``, ``BTC-USD``)."""

Timeframe = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,3}[smhdw]$")]
"""A candle timeframe: a count and a unit among s, m, h, d, w (``1m``, ``4h``, ``1d``)."""

TimestampNs = Annotated[int, Field(ge=0)]
"""Integer UTC nanoseconds since the epoch."""

StrategyVersion = Annotated[int, Field(ge=1)]
"""The number of an immutable strategy version."""

ClientOrderId = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]
"""The client's own order id, unique per account."""

Currency = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{2,5}$")]
"""An ISO 4217 code or a crypto asset code (``USD``, ``USDT``)."""

Text = Annotated[str, Field(max_length=1000)]
"""A human-readable explanation."""

PositiveDecimal = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]
"""A decimal greater than zero (quantities), a string on the wire."""

NonNegativeDecimal = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
"""A decimal of zero or more (remaining quantities, commissions), a string on the wire."""


class OrderSide(StrEnum):
    """The side of an order or a fill."""

    BUY = "BUY"
    SELL = "SELL"


class PositionSide(StrEnum):
    """The side of an open position; a position never flips without closing first."""

    LONG = "LONG"
    SHORT = "SHORT"


class OrderType(StrEnum):
    """How an order is worked."""

    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP = "STOP"
    STOP_LIMIT = "STOP_LIMIT"


class TimeInForce(StrEnum):
    """How long an order stays working."""

    DAY = "DAY"
    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"


def check_order_prices(
    order_type: OrderType, limit_price: Decimal | None, stop_price: Decimal | None
) -> None:
    """Raise ValueError unless the prices present are exactly those the order type needs."""
    needs_limit = order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT)
    needs_stop = order_type in (OrderType.STOP, OrderType.STOP_LIMIT)
    if needs_limit and limit_price is None:
        raise ValueError(f"a {order_type} order needs a limit_price")
    if not needs_limit and limit_price is not None:
        raise ValueError(f"a {order_type} order takes no limit_price")
    if needs_stop and stop_price is None:
        raise ValueError(f"a {order_type} order needs a stop_price")
    if not needs_stop and stop_price is not None:
        raise ValueError(f"a {order_type} order takes no stop_price")


def check_strategy_ref(strategy_id: object, strategy_version: int | None) -> None:
    """A strategy reference names both the strategy and its version, or neither."""
    if (strategy_id is None) != (strategy_version is None):
        raise ValueError("strategy_id and strategy_version go together: give both or neither")


class AccountPayload(Payload):
    """Base of payloads that belong to one account, owned by one user."""

    account_id: uuid.UUID
    user_id: uuid.UUID
