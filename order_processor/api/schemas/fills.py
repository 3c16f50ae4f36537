"""Fills (executions) as the API shows them."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from order_processor.adapters.queries import Record
from order_processor.api.schemas.values import dec, iso


class FillPublic(BaseModel):
    """One execution of an order; ``commission`` is in ``currency``."""

    fill_id: uuid.UUID
    order_id: uuid.UUID
    account_id: uuid.UUID
    symbol: str = Field(examples=["ESZ6"])
    side: str = Field(examples=["BUY"])
    price: str = Field(examples=["5012.25"])
    quantity: str = Field(examples=["1"])
    commission: str = Field(examples=["2.25"])
    currency: str = Field(examples=["USD"])
    time: str = Field(examples=["2026-03-06T14:30:00.125000000Z"])
    ts_ns: int
    venue_trade_id: str
    strategy_id: uuid.UUID | None
    strategy_version: int | None


class FillsPublic(BaseModel):
    """A page of fills, newest first; ``next_before`` continues it (None on the last page)."""

    data: list[FillPublic]
    count: int
    next_before: str | None


def fill_public(r: Record) -> FillPublic:
    """The public form of a ``fills`` row."""
    return FillPublic(
        fill_id=r["fill_id"], order_id=r["order_id"], account_id=r["account_id"],
        symbol=r["symbol"], side=r["side"], price=dec(r["price"]), quantity=dec(r["quantity"]),
        commission=dec(r["commission"]), currency=r["currency"], time=iso(r["ts_ns"]),
        ts_ns=r["ts_ns"], venue_trade_id=r["venue_trade_id"], strategy_id=r["strategy_id"],
        strategy_version=r["strategy_version"],
    )  # fmt: skip
