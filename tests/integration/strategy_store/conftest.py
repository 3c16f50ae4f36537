"""Fixtures of the strategy store tests: a migrated database of their own, per test."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from shared.db import apply_migrations
from shared.db.pool import Database, Pool
from shared.db.strategies import StrategyStore
from shared.messages.schemas.strategy import PauseStrategy, StartStrategy, StopStrategy
from shared.strategy.definition import StrategyDefinition
from tests.infra import Endpoints
from tests.integration.db.conftest import (
    create_database,
    drop_database,
    empty_dsn,  # noqa: F401 -- a fixture of the migration test
    with_database,
)
from tests.support.order_rig import AccountRef, add_account

T0 = 1_767_225_600_000_000_000
"""2026-01-01T00:00:00Z in nanoseconds: the tests' clock starts here."""


@dataclass
class Place:
    """The test's database, its pool and a store on it."""

    dsn: str
    db: Database
    store: StrategyStore

    @property
    def pool(self) -> Pool:
        return self.db.pool

    async def account(self) -> AccountRef:
        """A new account of a new user."""
        return await add_account(self.pool)

    async def crossover(
        self, account: AccountRef, *, fast: int = 5, slow: int = 20, symbol: str = "ESZ6"
    ) -> StrategyDefinition:
        """A moving-average crossover on the account, at version 1."""
        return await self.store.create(
            user_id=account.user_id,
            account_id=account.account_id,
            name="crossover",
            code_ref="builtin:ma_crossover",
            subscriptions=[(symbol, "1m")],
            parameters={"fast": fast, "slow": slow},
            ts_ns=T0,
        )


@pytest.fixture
async def place(infra: Endpoints) -> AsyncIterator[Place]:
    name = await create_database(infra.postgres_dsn, prefix="it_ss")
    dsn = with_database(infra.postgres_dsn, name)
    db = Database(dsn, max_size=4)
    try:
        await apply_migrations(dsn)
        await db.start()
        yield Place(dsn, db, StrategyStore(db.pool))
    finally:
        await db.close()
        await drop_database(infra.postgres_dsn, name)


def control(
    kind: type[StartStrategy | PauseStrategy | StopStrategy],
    d: StrategyDefinition,
    version: int | None = None,
    **extra: object,
) -> StartStrategy | PauseStrategy | StopStrategy:
    """A control command for the definition's strategy, from its owner."""
    return kind(
        account_id=d.account_id,
        user_id=d.user_id,
        strategy_id=d.strategy_id,
        strategy_version=version or d.version,
        requested_by=d.user_id,
        **extra,  # type: ignore[arg-type]
    )


def new_id() -> uuid.UUID:
    """A fresh message id."""
    return uuid.uuid4()
