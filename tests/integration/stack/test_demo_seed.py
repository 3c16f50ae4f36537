"""Seeding the demo account, in a throwaway database of the real Postgres."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest

from shared.db import apply_migrations
from shared.stack import StackError, StackSettings
from shared.stack.demo import DEMO_ACCOUNT_ID, DEMO_USER_ID, ensure_demo, seed_demo
from tests.infra import Endpoints
from tests.integration.db.conftest import create_database, drop_database, with_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def ledger_dsn(infra: Endpoints) -> AsyncIterator[str]:
    """A new database with the ledger tables, dropped afterwards."""
    name = await create_database(infra.postgres_dsn, prefix="ts_demo")
    dsn = with_database(infra.postgres_dsn, name)
    await apply_migrations(dsn)
    yield dsn
    await drop_database(infra.postgres_dsn, name)


async def accounts(dsn: str) -> list[tuple[uuid.UUID, uuid.UUID, str, Decimal]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT account_id, user_id, currency, starting_balance FROM accounts"
        )
    finally:
        await conn.close()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_seeding_twice_creates_the_demo_account_once(ledger_dsn: str) -> None:
    first = await seed_demo(ledger_dsn)
    second = await seed_demo(ledger_dsn)

    assert (first.created, second.created) == (True, False)
    assert second.user_id == DEMO_USER_ID
    assert await accounts(ledger_dsn) == [(DEMO_ACCOUNT_ID, DEMO_USER_ID, "USD", Decimal(100000))]


async def test_a_demo_account_someone_changed_is_left_as_it_is(ledger_dsn: str) -> None:
    owner = uuid.uuid4()
    conn = await asyncpg.connect(ledger_dsn)
    try:
        await conn.execute(
            "INSERT INTO accounts (account_id, user_id, name, currency, starting_balance) "
            "VALUES ($1, $2, 'mine now', 'EUR', 5)",
            DEMO_ACCOUNT_ID,
            owner,
        )
    finally:
        await conn.close()

    demo = await seed_demo(ledger_dsn)

    assert (demo.created, demo.user_id, demo.currency) == (False, owner, "EUR")
    assert await accounts(ledger_dsn) == [(DEMO_ACCOUNT_ID, owner, "EUR", Decimal(5))]


def test_a_postgres_that_does_not_answer_fails_up_with_a_stack_error() -> None:
    with pytest.raises(StackError, match="demo account could not be seeded"):
        ensure_demo(StackSettings(postgres_port=1), None, progress=print)
