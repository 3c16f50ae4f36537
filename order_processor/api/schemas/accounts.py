"""An account's money at a glance."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from order_processor.api.valuation import MarkSource


class MarkPublic(BaseModel):
    """The price an open position's instrument is marked at, and where it came from."""

    symbol: str
    price: str
    source: MarkSource
    time: str | None
    ts_ns: int | None


class AccountSummaryPublic(BaseModel):
    """Balance and equity of an account, in ``currency``, as of ``as_of``.

    ``balance`` = ``starting_balance`` + ``realized_pnl`` (all positions' gross P&L less
    commissions); ``equity`` = ``balance`` + ``unrealized_pnl``; ``exposure`` = sum of
    |quantity| x mark x point value; ``margin_in_use`` follows ``margin_rule``.
    """

    account_id: uuid.UUID
    name: str
    currency: str = Field(examples=["USD"])
    starting_balance: str = Field(examples=["100000"])
    realized_pnl: str
    commissions: str = Field(description="Already taken out of realized_pnl")
    balance: str
    unrealized_pnl: str
    equity: str
    open_positions: int
    working_orders: int
    exposure: str
    margin_rate: str = Field(examples=["0.10"])
    margin_in_use: str
    margin_available: str = Field(description="equity - margin_in_use")
    margin_rule: str
    trading_day: str = Field(examples=["2026-03-06"], description="Starts 17:00 Chicago")
    realized_today: str = Field(description="Realized P&L booked in this trading day")
    marks: list[MarkPublic]
    as_of: str
    as_of_ns: int
