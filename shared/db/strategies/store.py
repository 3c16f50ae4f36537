"""``StrategyStore``: strategies, their versions, runs and backtests in Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from shared.db.pool import Pool
from shared.db.strategies import control, ledger, rows, versions
from shared.db.strategies.content import subscriptions_of
from shared.db.strategies.jobs import BacktestJobs
from shared.db.strategies.model import (
    StatusChange,
    StrategyInfo,
    VersionInfo,
)
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.order_events import OrderFilled
from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription


class StrategyStore(BacktestJobs):
    """The strategies of every user: versions (immutable, hashed), status and runs.

    Another user's strategy is "not found". Every change that matters to the live workers
    (status, version) grows ``revision()``.
    """

    def __init__(self, pool: Pool, instruments: InstrumentRegistry | None = None) -> None:
        self._pool = pool
        self._instruments = instruments or InstrumentRegistry.with_standard_futures()

    async def create(
        self,
        *,
        user_id: uuid.UUID,
        account_id: uuid.UUID,
        name: str,
        code_ref: str,
        subscriptions: Iterable[Subscription | tuple[str, str]],
        parameters: Mapping[str, Any] | None = None,
        rules: Mapping[str, Any] | None = None,
        sizing: Sizing | None = None,
        capital: Decimal = Decimal(100000),
        ts_ns: int,
        strategy_id: uuid.UUID | None = None,
    ) -> StrategyDefinition:
        """A new strategy at version 1; ValueError naming what is wrong with it."""
        wanted = StrategyDefinition(
            strategy_id=strategy_id or uuid.uuid4(),
            version=1,
            user_id=user_id,
            account_id=account_id,
            code_ref=code_ref,
            subscriptions=subscriptions_of(subscriptions),
            parameters=dict(parameters or {}),
            rules=rules,
            sizing=sizing or Sizing(),
            capital=Decimal(capital),
            name=name,
        )
        async with self._pool.acquire() as conn:
            return await versions.create(conn, wanted, self._instruments, ts_ns)

    async def revise(
        self, strategy_id: uuid.UUID, user_id: uuid.UUID, *, ts_ns: int, **changes: Any
    ) -> StrategyDefinition:
        """A new version when the content changes (``parameters`` replace the old ones as a
        whole), else the newest version back; ``name`` renames without a new version."""
        async with self._pool.acquire() as conn:
            return await versions.revise(
                conn,
                strategy_id=strategy_id,
                user_id=user_id,
                changes=changes,
                instruments=self._instruments,
                ts_ns=ts_ns,
            )

    async def definition(
        self, strategy_id: uuid.UUID, version: int | None = None
    ) -> StrategyDefinition | None:
        """One version (None: the newest), or None when there is no such strategy or version."""
        async with self._pool.acquire() as conn:
            return await rows.definition(conn, strategy_id, version)

    async def versions(self, strategy_id: uuid.UUID) -> list[VersionInfo]:
        """Every version, oldest first."""
        async with self._pool.acquire() as conn:
            found = await conn.fetch(
                f"{rows.VERSION} WHERE strategy_id = $1 ORDER BY version", strategy_id
            )
        return [rows.version_of(r) for r in found]

    async def strategies(self, user_id: uuid.UUID | None = None) -> list[StrategyInfo]:
        """Every strategy (or one user's), oldest first."""
        where = "" if user_id is None else " WHERE user_id = $1"
        args = () if user_id is None else (user_id,)
        async with self._pool.acquire() as conn:
            found = await conn.fetch(f"{rows.INFO}{where} ORDER BY created_ns, strategy_id", *args)
        return [rows.info_of(r) for r in found]

    async def info(self, strategy_id: uuid.UUID) -> StrategyInfo | None:
        """One strategy at a glance."""
        async with self._pool.acquire() as conn:
            row = await rows.info(conn, strategy_id)
        return None if row is None else rows.info_of(row)

    async def apply_control(
        self, message_id: uuid.UUID, payload: control.Control, ts_ns: int
    ) -> StatusChange | None:
        """Apply a start, pause or stop once per message id (None when repeated or when it
        changes nothing); ValueError for an unknown strategy or version, or another user's."""
        async with self._pool.acquire() as conn:
            return await control.apply_control(conn, message_id, payload, ts_ns)

    async def mark_failed(
        self, strategy_id: uuid.UUID, version: int, error: str, ts_ns: int
    ) -> None:
        """FAILED with ``error``, the run ended with it (unless no longer active at ``version``)."""
        async with self._pool.acquire() as conn:
            await control.mark_failed(conn, strategy_id, version, error, ts_ns)

    async def active(self) -> list[tuple[StrategyDefinition, StrategyStatus]]:
        """The RUNNING and PAUSED strategies at their active version, oldest first."""
        async with self._pool.acquire() as conn:
            found = await conn.fetch(
                f"{rows.WITH_CONTENT} AND v.version = s.active_version "
                "WHERE s.status IN ('RUNNING', 'PAUSED') ORDER BY s.created_ns, s.strategy_id"
            )
        return [(rows.definition_from(r), StrategyStatus(r["status"])) for r in found]

    async def revision(self) -> int:
        """A number that grows with every committed change to any strategy."""
        async with self._pool.acquire() as conn:
            value: int = await conn.fetchval("SELECT revision FROM strategy_revision")
        return value

    async def fills(self, strategy_id: uuid.UUID) -> list[OrderFilled]:
        """The strategy's fills from the ledger, oldest first."""
        async with self._pool.acquire() as conn:
            return await ledger.fills(conn, strategy_id)

    async def working_orders(self, strategy_id: uuid.UUID) -> list[ledger.WorkingOrder]:
        """(client_order_id, symbol, signed leaves, is_market, reduce_only) of its orders
        still working in the ledger, oldest first."""
        async with self._pool.acquire() as conn:
            return await ledger.working_orders(conn, strategy_id)
