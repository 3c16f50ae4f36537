"""Positions as the API shows them: open ones marked, closed ones final."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from order_processor.api.schemas.values import dec, iso, opt_dec, opt_iso
from order_processor.api.valuation import Marked, MarkSource


class LotPublic(BaseModel):
    """The still-open part of one entry fill (FIFO: the oldest closes first)."""

    fill_id: uuid.UUID
    time: str
    ts_ns: int
    price: str
    quantity: str


class PositionPublic(BaseModel):
    """A position's life from flat to long or short and back to flat.

    ``realized_pnl`` = ``gross_pnl`` - ``commissions`` (entry and exit). An open position is
    marked at ``mark_price``: the last trade (``mark_source`` = ``last_trade``), or its
    average entry when no last price is known (``entry``; unrealized P&L then 0).
    """

    position_id: uuid.UUID
    account_id: uuid.UUID
    symbol: str = Field(examples=["ESZ6"])
    side: str = Field(examples=["LONG"])
    status: Literal["open", "closed"]
    quantity: str = Field(description="Open quantity; 0 once closed")
    max_quantity: str
    entry_quantity: str
    closed_quantity: str
    avg_entry_price: str
    avg_exit_price: str | None = Field(description="None until some quantity was closed")
    gross_pnl: str
    commissions: str
    realized_pnl: str
    unrealized_pnl: str
    mark_price: str | None
    mark_source: MarkSource | None
    mark_time: str | None = Field(description="When the marking trade happened")
    mark_ns: int | None
    mae: str = Field(description="Maximum adverse excursion (<= 0), in money")
    mfe: str = Field(description="Maximum favourable excursion (>= 0), in money")
    currency: str
    point_value: str
    opened_at: str
    opened_ns: int
    closed_at: str | None
    closed_ns: int | None
    duration_ns: int = Field(description="Until it closed, or until now while open")
    lots: list[LotPublic] = Field(description="Open lots, oldest first; empty once closed")


class PositionsPublic(BaseModel):
    """A page of positions, most recently opened first."""

    data: list[PositionPublic]
    count: int
    next_before: str | None


def position_public(m: Marked) -> PositionPublic:
    """The public form of a marked position."""
    p = m.position
    lots = [
        LotPublic(fill_id=lot.fill_id, time=iso(lot.ts_ns), ts_ns=lot.ts_ns,
                  price=dec(lot.price), quantity=dec(lot.quantity))
        for lot in p.lots
    ]  # fmt: skip
    return PositionPublic(
        position_id=p.position_id, account_id=p.account_id, symbol=p.symbol,
        side=p.side.value, status="open" if p.closed_ns is None else "closed",
        quantity=dec(p.quantity), max_quantity=dec(p.max_quantity),
        entry_quantity=dec(p.entry_quantity), closed_quantity=dec(p.closed_quantity),
        avg_entry_price=dec(p.avg_entry_price), avg_exit_price=opt_dec(p.avg_exit_price),
        gross_pnl=dec(p.gross_pnl), commissions=dec(p.commissions),
        realized_pnl=dec(p.realized_pnl), unrealized_pnl=dec(m.unrealized),
        mark_price=opt_dec(m.mark_price), mark_source=m.mark_source,
        mark_time=opt_iso(m.mark_ns), mark_ns=m.mark_ns, mae=dec(p.mae), mfe=dec(p.mfe),
        currency=p.currency, point_value=dec(p.point_value), opened_at=iso(p.opened_ns),
        opened_ns=p.opened_ns, closed_at=opt_iso(p.closed_ns), closed_ns=p.closed_ns,
        duration_ns=m.duration_ns, lots=lots,
    )  # fmt: skip
