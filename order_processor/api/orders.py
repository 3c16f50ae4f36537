"""``/api/v1/accounts/{account_id}/orders``: an account's orders, and one order with its fills."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from order_processor.adapters import queries
from order_processor.api.params import PROBLEMS, Paging, TimeSpan, cursor, not_found
from order_processor.api.schemas.fills import fill_public
from order_processor.api.schemas.orders import (
    OrderDetailPublic,
    OrdersPublic,
    order_public,
)
from order_processor.api.wiring import Owned, OwnedAccount
from shared.trading.orders import WORKING, OrderStatus

router = APIRouter(prefix="/api/v1/accounts/{account_id}/orders", tags=["orders"])


@router.get("", response_model=OrdersPublic, summary="Orders of an account", responses=PROBLEMS)
async def list_orders(
    *,
    page: Paging,
    span: TimeSpan,
    owned: Owned,
    status: Annotated[
        list[OrderStatus] | None, Query(description="Any of these statuses (repeatable)")
    ] = None,
    working: Annotated[
        bool, Query(description="Only working orders: ACCEPTED, TRIGGERED, PARTIALLY_FILLED")
    ] = False,
    symbol: Annotated[str | None, Query(description="Instrument symbol, e.g. ESZ6")] = None,
    strategy_id: uuid.UUID | None = None,
) -> OrdersPublic:
    """Orders created in [since, until), newest first. ``working`` with ``status`` keeps the
    statuses that are both named and working.
    """
    statuses = set(status or OrderStatus)
    if working:
        statuses &= WORKING
    if not statuses:
        return OrdersPublic(data=[], count=0, next_before=None)
    where = queries.OrderFilter(
        statuses=() if statuses == set(OrderStatus) else tuple(sorted(statuses)),
        symbol=symbol,
        strategy_id=strategy_id,
        since_ns=span.since_ns,
        until_ns=span.until_ns,
    )
    rows, more = await queries.orders(owned.conn, owned.account_id, where, page)
    data = [order_public(r) for r in rows]
    last = rows[-1] if more else None
    next_before = cursor(last["created_ns"], last["order_id"]) if last else None
    return OrdersPublic(data=data, count=len(data), next_before=next_before)


async def _detail(owned: OwnedAccount, row: queries.Record | None, what: str) -> OrderDetailPublic:
    if row is None:
        raise not_found(what)
    fills = await queries.order_fills(owned.conn, owned.account_id, row["order_id"])
    public = order_public(row)
    return OrderDetailPublic(**public.model_dump(), fills=[fill_public(f) for f in fills])


@router.get(
    "/by-client-id/{client_order_id}",
    response_model=OrderDetailPublic,
    summary="An order by its client order id, with its fills",
    responses=PROBLEMS,
)
async def order_by_client_id(
    owned: Owned, client_order_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> OrderDetailPublic:
    """The account's order with this client order id (unique per account)."""
    row = await queries.order(owned.conn, owned.account_id, client_order_id=client_order_id)
    return await _detail(owned, row, f"Order with client id {client_order_id!r}")


@router.get(
    "/{order_id}",
    response_model=OrderDetailPublic,
    summary="An order with its fills",
    responses=PROBLEMS,
)
async def order_by_id(owned: Owned, order_id: uuid.UUID) -> OrderDetailPublic:
    """One order of the account, with its fills oldest first."""
    row = await queries.order(owned.conn, owned.account_id, order_id=order_id)
    return await _detail(owned, row, f"Order {order_id}")
