"""The ledger in Postgres: saving what the engine changed, and rebuilding the engine from it.

``save`` writes one batch of changes with a few pipelined statements in the caller's
transaction (with the inbox claims, the outbox rows and the consumer offsets of the same
batch), so the ledger and the events it announces commit together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from order_processor.adapters.rows import (
    FILL_COLUMNS,
    NIL,
    ORDER_COLUMNS,
    POSITION_COLUMNS,
    fill_row,
    order_row,
    position_row,
    stored_id,
)
from shared.db.pool import Connection
from shared.messages.schemas.risk import StateScope, TradingState
from shared.trading.fills import Fill
from shared.trading.state import Changes, EngineState


def _upsert(table: str, columns: tuple[str, ...], key: str, immutable: int) -> str:
    values = ", ".join(f"${i + 1}" for i in range(len(columns)))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[immutable:])
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


_ORDERS = _upsert("orders", ORDER_COLUMNS, "order_id", 8)
_POSITIONS = _upsert("positions", POSITION_COLUMNS, "position_id", 5)
_FILLS = (
    f"INSERT INTO fills ({', '.join(FILL_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i + 1}' for i in range(len(FILL_COLUMNS)))})"
)
_LIMITS = (
    "INSERT INTO risk_limits (account_id, strategy_id, limits) VALUES ($1, $2, $3::jsonb) "
    "ON CONFLICT (account_id, strategy_id) DO UPDATE SET limits = EXCLUDED.limits, "
    "updated_at = now()"
)
_STATES = (
    "INSERT INTO trading_states (account_id, strategy_id, state, reason) VALUES ($1, $2, $3, '') "
    "ON CONFLICT (account_id, strategy_id) DO UPDATE SET state = EXCLUDED.state, "
    "updated_at = now()"
)
_DAILY = (
    "INSERT INTO risk_daily_pnl (account_id, strategy_id, trading_day, realized) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, strategy_id) DO UPDATE SET "
    "trading_day = EXCLUDED.trading_day, realized = EXCLUDED.realized"
)


async def save(conn: Connection, st: EngineState, changes: Changes) -> None:
    """Write a batch of changes in the caller's transaction."""
    if changes.orders:
        await conn.executemany(_ORDERS, [order_row(o) for o in changes.orders.values()])
    if changes.fills:
        await conn.executemany(_FILLS, [fill_row(f) for f in changes.fills])
    if changes.positions:
        # a position closing and its successor opening in one batch: the closed one first,
        # so the one-open-position-per-instrument index never sees two open rows
        ordered = sorted(changes.positions.values(), key=lambda p: p.closed_ns is None)
        await conn.executemany(_POSITIONS, [position_row(p) for p in ordered])
    if changes.limits:
        rows = []
        for scope in changes.limits:
            limits = st.limits.get(scope)
            payload = limits.to_dict() if limits else {}
            rows.append((scope[0], stored_id(scope[1]), payload))
        await conn.executemany(_LIMITS, rows)
    if changes.states:
        rows_s = [
            (scope[0], stored_id(scope[1]), _state_of(st, scope).value) for scope in changes.states
        ]
        await conn.executemany(_STATES, rows_s)
    if changes.daily:
        rows_d = []
        for scope in changes.daily:
            booked = st.daily.booked(scope)
            if booked is not None:
                rows_d.append((scope[0], stored_id(scope[1]), booked[0], booked[1]))
        await conn.executemany(_DAILY, rows_d)


def _state_of(st: EngineState, scope: tuple[uuid.UUID, uuid.UUID | None]) -> TradingState:
    account_id, strategy_id = scope
    if account_id == NIL:
        return st.states.get(StateScope.GLOBAL)
    if strategy_id is None:
        return st.states.get(StateScope.ACCOUNT, account_id)
    return st.states.get(StateScope.STRATEGY, account_id, strategy_id)


async def copy_fills(conn: Connection, fills: Iterable[Fill]) -> int:
    """Bulk-load fills (replays and imports) with COPY; returns how many."""
    count = 0

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        for fill in fills:
            count += 1
            yield fill_row(fill)

    # Rows made as COPY streams: Postgres writes the first ones while later ones are built.
    await conn.copy_records_to_table("fills", records=rows(), columns=list(FILL_COLUMNS))
    return count
