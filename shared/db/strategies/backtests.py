"""Stored backtest jobs: asked (QUEUED), RUNNING, then COMPLETED with results or FAILED."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg

from shared.db.pool import Connection
from shared.db.strategies.model import BacktestRecord, BacktestStatus

FINAL = (BacktestStatus.COMPLETED, BacktestStatus.FAILED)
_SELECT = (
    "SELECT backtest_id, user_id, account_id, strategy_id, version, request, status, error, "
    "summary, trades, equity, created_ns, started_ns, finished_ns FROM backtests"
)
_INSERT = (
    "INSERT INTO backtests "
    "(backtest_id, user_id, account_id, strategy_id, version, request, created_ns) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (backtest_id) DO NOTHING"
)
_FINISH = (
    "UPDATE backtests SET status = $2, summary = $3, trades = $4, equity = $5, error = $6, "
    "finished_ns = $7 WHERE backtest_id = $1 AND status IN ('QUEUED', 'RUNNING')"
)


def record_of(row: asyncpg.Record) -> BacktestRecord:
    """A ``backtests`` row."""
    return BacktestRecord(
        backtest_id=row["backtest_id"],
        user_id=row["user_id"],
        account_id=row["account_id"],
        strategy_id=row["strategy_id"],
        version=row["version"],
        request=row["request"],
        status=BacktestStatus(row["status"]),
        error=row["error"],
        summary=row["summary"],
        trades=row["trades"],
        equity=row["equity"],
        created_at_ns=row["created_ns"],
        started_at_ns=row["started_ns"],
        finished_at_ns=row["finished_ns"],
    )


async def create(
    conn: Connection,
    *,
    backtest_id: uuid.UUID,
    user_id: uuid.UUID,
    account_id: uuid.UUID,
    strategy_id: uuid.UUID,
    version: int,
    request: Mapping[str, Any],
    ts_ns: int,
) -> BacktestRecord:
    """Store a job unless its id is known (a request delivered twice); the stored job."""
    async with conn.transaction():
        owner = await conn.fetchrow(
            "SELECT s.user_id, s.account_id FROM strategies s JOIN strategy_versions v "
            "ON v.strategy_id = s.strategy_id AND v.version = $2 WHERE s.strategy_id = $1",
            strategy_id,
            version,
        )
        if owner is None or (owner["user_id"], owner["account_id"]) != (user_id, account_id):
            raise ValueError(
                f"strategy {strategy_id} version {version} not found for user {user_id} "
                f"on account {account_id}"
            )
        await conn.execute(
            _INSERT, backtest_id, user_id, account_id, strategy_id, version, dict(request), ts_ns
        )
        row = await conn.fetchrow(f"{_SELECT} WHERE backtest_id = $1", backtest_id)
    if row is None or row["user_id"] != user_id:
        raise ValueError(f"backtest {backtest_id} belongs to someone else")
    return record_of(row)


async def start(conn: Connection, backtest_id: uuid.UUID, ts_ns: int) -> bool:
    """QUEUED -> RUNNING; False when it was not queued."""
    status = await conn.execute(
        "UPDATE backtests SET status = 'RUNNING', started_ns = $2 "
        "WHERE backtest_id = $1 AND status = 'QUEUED'",
        backtest_id,
        ts_ns,
    )
    return status.endswith(" 1")


async def finish(
    conn: Connection,
    backtest_id: uuid.UUID,
    *,
    status: BacktestStatus,
    summary: Any,
    trades: Any,
    equity: Any,
    error: str | None,
    ts_ns: int,
) -> bool:
    """Record the outcome once; False when the job is unknown or already finished."""
    if status not in FINAL:
        raise ValueError(f"a backtest finishes COMPLETED or FAILED, not {status}")
    done = await conn.execute(
        _FINISH, backtest_id, status.value, summary, trades, equity, error, ts_ns
    )
    return done.endswith(" 1")


async def fetch(
    conn: Connection, backtest_id: uuid.UUID, user_id: uuid.UUID
) -> BacktestRecord | None:
    """The user's backtest, or None (also when it is another user's)."""
    row = await conn.fetchrow(
        f"{_SELECT} WHERE backtest_id = $1 AND user_id = $2", backtest_id, user_id
    )
    return None if row is None else record_of(row)


async def listing(
    conn: Connection, user_id: uuid.UUID, strategy_id: uuid.UUID | None, limit: int
) -> list[BacktestRecord]:
    """The user's backtests (of one strategy), newest first."""
    rows = await conn.fetch(
        f"{_SELECT} WHERE user_id = $1 AND ($2::uuid IS NULL OR strategy_id = $2) "
        "ORDER BY created_ns DESC, backtest_id LIMIT $3",
        user_id,
        strategy_id,
        limit,
    )
    return [record_of(r) for r in rows]
