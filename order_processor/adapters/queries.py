"""Reads of the ledger for the HTTP API: each one indexed query scoped to one account.

Lists are newest first with keyset pagination: a page after the cursor ``(time, id)`` of
the last row of the previous page, so a page costs the same however deep it is. Each list
fetches one row more than asked to tell whether another page follows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg

from order_processor.adapters.rows import NIL
from shared.db.pool import Connection

"""The strategy id of an account-wide row, and the account id of the platform-wide state."""
WORKING_SQL = "status IN ('ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED')"
"""Spelled out so the planner matches the partial index ``orders_working_idx``."""
PositionStatus = Literal["open", "closed", "all"]
Record = asyncpg.Record

_ORDER_COLUMNS = (
    "order_id, account_id, user_id, client_order_id, symbol, side, order_type, time_in_force, "
    "quantity, limit_price, stop_price, reduce_only, strategy_id, strategy_version, "
    "parent_order_id, oco_group_id, take_profit, stop_loss, tag, status, filled_quantity, "
    "notional_filled, triggered, created_ns, updated_ns, expire_ns, reason, message"
)
_FILL_COLUMNS = (
    "fill_id, order_id, account_id, user_id, symbol, side, price, quantity, commission, "
    "currency, ts_ns, venue_trade_id, strategy_id, strategy_version"
)


@dataclass(frozen=True, slots=True)
class Page:
    """At most ``limit`` rows strictly before the cursor ``before`` = (time ns, id)."""

    limit: int
    before: tuple[int, uuid.UUID] | None = None


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Orders with one of ``statuses`` (any when empty), created in [since_ns, until_ns)."""

    statuses: tuple[str, ...] = ()
    symbol: str | None = None
    strategy_id: uuid.UUID | None = None
    since_ns: int | None = None
    until_ns: int | None = None


@dataclass(frozen=True, slots=True)
class FillFilter:
    """Fills of a symbol, order or strategy, executed in [since_ns, until_ns)."""

    symbol: str | None = None
    order_id: uuid.UUID | None = None
    strategy_id: uuid.UUID | None = None
    since_ns: int | None = None
    until_ns: int | None = None


class _Where:
    """``account_id = $1`` and more conditions, numbering their parameters."""

    def __init__(self, account_id: uuid.UUID) -> None:
        self.args: list[Any] = [account_id]
        self.parts = ["account_id = $1"]

    def add(self, condition: str, *values: Any) -> None:
        """``condition`` with ``{}`` placeholders, one per value, or none for a literal."""
        start = len(self.args)
        self.args.extend(values)
        self.parts.append(condition.format(*(f"${start + i + 1}" for i in range(len(values)))))

    def eq(self, column: str, value: Any) -> None:
        if value is not None:
            self.add(f"{column} = {{}}", value)

    def span(self, column: str, since_ns: int | None, until_ns: int | None) -> None:
        if since_ns is not None:
            self.add(f"{column} >= {{}}", since_ns)
        if until_ns is not None:
            self.add(f"{column} < {{}}", until_ns)

    async def page(
        self, conn: Connection, select: str, time: str, key: str, page: Page
    ) -> tuple[list[Record], bool]:
        if page.before is not None:
            # The plain bound lets the (account, time) index skip ahead; the row comparison
            # breaks ties between rows of the same nanosecond.
            at, after = page.before
            self.add(f"{time} <= {{}} AND ({time}, {key}) < ({{}}, {{}})", at, at, after)
        sql = (
            f"{select} WHERE {' AND '.join(self.parts)} "
            f"ORDER BY {time} DESC, {key} DESC LIMIT {page.limit + 1:d}"
        )
        rows = await conn.fetch(sql, *self.args)
        return rows[: page.limit], len(rows) > page.limit


async def owned_account(
    conn: Connection, account_id: uuid.UUID, user_id: uuid.UUID
) -> Record | None:
    """The account if ``user_id`` owns it; None when it is missing or someone else's."""
    return await conn.fetchrow(
        "SELECT account_id, user_id, name, currency, starting_balance FROM accounts "
        "WHERE account_id = $1 AND user_id = $2",
        account_id,
        user_id,
    )


async def orders(
    conn: Connection, account_id: uuid.UUID, where: OrderFilter, page: Page
) -> tuple[list[Record], bool]:
    """A page of the account's orders, newest first; True when more follow."""
    q = _Where(account_id)
    if where.statuses:
        q.add("status = ANY({}::text[])", list(where.statuses))
    q.eq("symbol", where.symbol)
    q.eq("strategy_id", where.strategy_id)
    q.span("created_ns", where.since_ns, where.until_ns)
    return await q.page(
        conn, f"SELECT {_ORDER_COLUMNS} FROM orders", "created_ns", "order_id", page
    )


async def order(
    conn: Connection,
    account_id: uuid.UUID,
    *,
    order_id: uuid.UUID | None = None,
    client_order_id: str | None = None,
) -> Record | None:
    """One order of the account by its id or its client order id."""
    column, value = ("order_id", order_id) if order_id else ("client_order_id", client_order_id)
    return await conn.fetchrow(
        f"SELECT {_ORDER_COLUMNS} FROM orders WHERE account_id = $1 AND {column} = $2",
        account_id,
        value,
    )


async def order_fills(conn: Connection, account_id: uuid.UUID, order_id: uuid.UUID) -> list[Record]:
    """Every fill of one order, oldest first."""
    return await conn.fetch(
        f"SELECT {_FILL_COLUMNS} FROM fills WHERE order_id = $1 AND account_id = $2 "
        "ORDER BY ts_ns, fill_id",
        order_id,
        account_id,
    )


async def fills(
    conn: Connection, account_id: uuid.UUID, where: FillFilter, page: Page
) -> tuple[list[Record], bool]:
    """A page of the account's fills, newest first; True when more follow."""
    q = _Where(account_id)
    q.eq("symbol", where.symbol)
    q.eq("order_id", where.order_id)
    q.eq("strategy_id", where.strategy_id)
    q.span("ts_ns", where.since_ns, where.until_ns)
    return await q.page(conn, f"SELECT {_FILL_COLUMNS} FROM fills", "ts_ns", "fill_id", page)


async def positions(
    conn: Connection, account_id: uuid.UUID, status: PositionStatus, page: Page
) -> tuple[list[Record], bool]:
    """A page of the account's positions, most recently opened first."""
    q = _Where(account_id)
    if status != "all":
        q.add("closed_ns IS NULL" if status == "open" else "closed_ns IS NOT NULL")
    return await q.page(conn, "SELECT * FROM positions", "opened_ns", "position_id", page)


async def open_positions(conn: Connection, account_id: uuid.UUID) -> list[Record]:
    """Every open position of the account (at most one per instrument)."""
    return await conn.fetch(
        "SELECT * FROM positions WHERE account_id = $1 AND closed_ns IS NULL ORDER BY symbol",
        account_id,
    )


async def totals(conn: Connection, account_id: uuid.UUID) -> Record:
    """Realized P&L and commissions over all positions, working orders, today's booking."""
    row = await conn.fetchrow(
        "SELECT p.realized, p.commissions, o.working, d.trading_day, d.realized AS booked "
        "FROM (SELECT coalesce(sum(gross_pnl - commissions), 0) AS realized, "
        "             coalesce(sum(commissions), 0) AS commissions "
        "      FROM positions WHERE account_id = $1) p "
        f"CROSS JOIN (SELECT count(*) AS working FROM orders WHERE account_id = $1 "
        f"            AND {WORKING_SQL}) o "
        "LEFT JOIN risk_daily_pnl d ON d.account_id = $1 AND d.strategy_id = $2",
        account_id,
        NIL,
    )
    assert row is not None  # aggregates always answer one row
    return row


@dataclass(frozen=True, slots=True)
class RiskRows:
    """The stored risk rows of an account and its strategies, plus the global state."""

    limits: Sequence[Record]
    states: Sequence[Record]
    daily: Sequence[Record]


async def risk(conn: Connection, account_id: uuid.UUID) -> RiskRows:
    """Limits, trading states (the global one too) and daily P&L rows of the account."""
    limits = await conn.fetch(
        "SELECT strategy_id, limits, updated_at FROM risk_limits WHERE account_id = $1",
        account_id,
    )
    states = await conn.fetch(
        "SELECT account_id, strategy_id, state, reason, changed_by, updated_at "
        "FROM trading_states WHERE (account_id, strategy_id) = ($2, $2) OR account_id = $1",
        account_id,
        NIL,
    )
    daily = await conn.fetch(
        "SELECT strategy_id, trading_day, realized FROM risk_daily_pnl WHERE account_id = $1",
        account_id,
    )
    return RiskRows(limits, states, daily)
