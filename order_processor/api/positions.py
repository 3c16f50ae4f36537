"""``GET /api/v1/accounts/{account_id}/positions``: open and closed positions, marked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from order_processor.adapters import queries
from order_processor.adapters.rows import position_from
from order_processor.api.params import PROBLEMS, Paging, cursor
from order_processor.api.schemas.positions import PositionsPublic, position_public
from order_processor.api.valuation import mark
from order_processor.api.wiring import Marks, NowNs, Owned

router = APIRouter(prefix="/api/v1/accounts/{account_id}/positions", tags=["positions"])


@router.get(
    "", response_model=PositionsPublic, summary="Positions of an account", responses=PROBLEMS
)
async def list_positions(
    *,
    page: Paging,
    owned: Owned,
    marks: Marks,
    now_ns: NowNs,
    status: Annotated[queries.PositionStatus, Query(description="open, closed or all")] = "open",
) -> PositionsPublic:
    """Positions, most recently opened first; open ones marked at the last trade price."""
    rows, more = await queries.positions(owned.conn, owned.account_id, status, page)
    positions = [position_from(r) for r in rows]
    last = await marks.get({p.symbol for p in positions if p.closed_ns is None})
    data = [position_public(mark(p, last, now_ns)) for p in positions]
    next_before = cursor(rows[-1]["opened_ns"], rows[-1]["position_id"]) if more else None
    return PositionsPublic(data=data, count=len(data), next_before=next_before)
