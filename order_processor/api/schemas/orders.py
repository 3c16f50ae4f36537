"""Orders as the API shows them."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from order_processor.adapters.queries import Record
from order_processor.api.schemas.fills import FillPublic
from order_processor.api.schemas.values import dec, iso, opt_dec, opt_iso


class OrderPublic(BaseModel):
    """One order: decimals as strings, times as ISO 8601 with Z and as epoch nanoseconds."""

    order_id: uuid.UUID
    account_id: uuid.UUID
    client_order_id: str
    symbol: str = Field(examples=["ESZ6"])
    side: str = Field(examples=["BUY"])
    order_type: str = Field(examples=["LIMIT"])
    time_in_force: str = Field(examples=["DAY"])
    quantity: str = Field(examples=["2"])
    limit_price: str | None = Field(examples=["5012.25"])
    stop_price: str | None
    reduce_only: bool
    status: str = Field(examples=["PARTIALLY_FILLED"])
    filled_quantity: str
    avg_fill_price: str | None = Field(description="None until something filled")
    triggered: bool = Field(description="A stop order whose stop price has been touched")
    strategy_id: uuid.UUID | None
    strategy_version: int | None
    parent_order_id: uuid.UUID | None = Field(description="The entry of a bracket child")
    oco_group_id: uuid.UUID | None
    take_profit: str | None
    stop_loss: str | None
    tag: str | None
    reason: str | None = Field(description="Reason code of a rejection or cancel")
    message: str
    created_at: str = Field(examples=["2026-03-06T14:30:00.000000000Z"])
    created_ns: int
    updated_at: str
    updated_ns: int
    expire_at: str | None
    expire_ns: int | None


class OrderDetailPublic(OrderPublic):
    """An order with its fills, oldest first."""

    fills: list[FillPublic]


class OrdersPublic(BaseModel):
    """A page of orders, newest first; ``next_before`` continues it (None on the last page)."""

    data: list[OrderPublic]
    count: int
    next_before: str | None


def order_public(r: Record) -> OrderPublic:
    """The public form of an ``orders`` row."""
    filled = r["filled_quantity"]
    return OrderPublic(
        order_id=r["order_id"], account_id=r["account_id"],
        client_order_id=r["client_order_id"], symbol=r["symbol"], side=r["side"],
        order_type=r["order_type"], time_in_force=r["time_in_force"],
        quantity=dec(r["quantity"]), limit_price=opt_dec(r["limit_price"]),
        stop_price=opt_dec(r["stop_price"]), reduce_only=r["reduce_only"], status=r["status"],
        filled_quantity=dec(filled),
        avg_fill_price=dec(r["notional_filled"] / filled) if filled else None,
        triggered=r["triggered"], strategy_id=r["strategy_id"],
        strategy_version=r["strategy_version"], parent_order_id=r["parent_order_id"],
        oco_group_id=r["oco_group_id"], take_profit=opt_dec(r["take_profit"]),
        stop_loss=opt_dec(r["stop_loss"]), tag=r["tag"], reason=r["reason"],
        message=r["message"], created_at=iso(r["created_ns"]), created_ns=r["created_ns"],
        updated_at=iso(r["updated_ns"]), updated_ns=r["updated_ns"],
        expire_at=opt_iso(r["expire_ns"]), expire_ns=r["expire_ns"],
    )  # fmt: skip
