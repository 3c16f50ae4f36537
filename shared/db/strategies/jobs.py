"""Stored backtest jobs, as part of ``StrategyStore``."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from shared.db.pool import Pool
from shared.db.strategies import backtests as sql
from shared.db.strategies.model import BacktestRecord, BacktestStatus


class BacktestJobs:
    """Backtest jobs of strategy versions: created QUEUED, started, finished with results."""

    _pool: Pool

    async def create_backtest(
        self,
        *,
        backtest_id: uuid.UUID,
        user_id: uuid.UUID,
        account_id: uuid.UUID,
        strategy_id: uuid.UUID,
        version: int,
        request: Mapping[str, Any],
        ts_ns: int | None = None,
    ) -> BacktestRecord:
        """A QUEUED backtest of the user's strategy version (the stored one if the id is known)."""
        async with self._pool.acquire() as conn:
            return await sql.create(
                conn,
                backtest_id=backtest_id,
                user_id=user_id,
                account_id=account_id,
                strategy_id=strategy_id,
                version=version,
                request=request,
                ts_ns=_now(ts_ns),
            )

    async def start_backtest(self, backtest_id: uuid.UUID, ts_ns: int | None = None) -> bool:
        """QUEUED -> RUNNING; False when it was not queued."""
        async with self._pool.acquire() as conn:
            return await sql.start(conn, backtest_id, _now(ts_ns))

    async def finish_backtest(  # noqa: PLR0917 -- the job and its outcome
        self,
        backtest_id: uuid.UUID,
        status: BacktestStatus,
        summary: Any,
        trades: Any,
        equity: Any,
        error: str | None,
        ts_ns: int | None = None,
    ) -> bool:
        """COMPLETED (with results) or FAILED (with the error), once; False if already done."""
        async with self._pool.acquire() as conn:
            return await sql.finish(
                conn,
                backtest_id,
                status=BacktestStatus(status),
                summary=summary,
                trades=trades,
                equity=equity,
                error=error,
                ts_ns=_now(ts_ns),
            )

    async def backtest(self, backtest_id: uuid.UUID, user_id: uuid.UUID) -> BacktestRecord | None:
        """The user's backtest (None for another user's)."""
        async with self._pool.acquire() as conn:
            return await sql.fetch(conn, backtest_id, user_id)

    async def backtests(
        self, user_id: uuid.UUID, strategy_id: uuid.UUID | None = None, *, limit: int = 50
    ) -> list[BacktestRecord]:
        """The user's backtests (of one strategy), newest first."""
        async with self._pool.acquire() as conn:
            return await sql.listing(conn, user_id, strategy_id, limit)


def _now(ts_ns: int | None) -> int:
    # Jobs are stamped with the wall clock unless the caller passes its clock's time.
    return time.time_ns() if ts_ns is None else ts_ns
