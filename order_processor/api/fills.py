"""``GET /api/v1/accounts/{account_id}/fills``: an account's executions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from order_processor.adapters import queries
from order_processor.api.params import PROBLEMS, Paging, TimeSpan, cursor
from order_processor.api.schemas.fills import FillsPublic, fill_public
from order_processor.api.wiring import Owned

router = APIRouter(prefix="/api/v1/accounts/{account_id}/fills", tags=["fills"])


@router.get("", response_model=FillsPublic, summary="Fills of an account", responses=PROBLEMS)
async def list_fills(
    *,
    page: Paging,
    span: TimeSpan,
    owned: Owned,
    symbol: Annotated[str | None, Query(description="Instrument symbol, e.g. ESZ6")] = None,
    order_id: uuid.UUID | None = None,
    strategy_id: uuid.UUID | None = None,
) -> FillsPublic:
    """Fills executed in [since, until), newest first."""
    where = queries.FillFilter(symbol, order_id, strategy_id, span.since_ns, span.until_ns)
    rows, more = await queries.fills(owned.conn, owned.account_id, where, page)
    data = [fill_public(r) for r in rows]
    next_before = cursor(rows[-1]["ts_ns"], rows[-1]["fill_id"]) if more else None
    return FillsPublic(data=data, count=len(data), next_before=next_before)
