"""The Postgres pool as a Resource, and jsonb travelling as Python objects."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import asyncpg
import pytest

from shared.db import Database, NotStartedError, record_audit
from shared.settings import CommonSettings
from tests.integration.db.conftest import create_database, drop_database, with_database

pytestmark = pytest.mark.integration


async def test_using_the_pool_before_start_is_a_clear_error():
    database = Database("postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(NotStartedError, match="start"):
        database.pool  # noqa: B018
    with pytest.raises(NotStartedError):
        await database.ping()
    await database.close()  # closing what never started is fine


async def test_a_failed_start_raises_and_a_later_start_succeeds(infra):
    name = f"ts_test_late_{uuid4().hex[:12]}"  # does not exist yet
    database = Database(with_database(infra.postgres_dsn, name), connect_timeout_s=3)
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await database.start()
    assert not database.started

    conn = await asyncpg.connect(infra.postgres_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        await database.start()
        await database.ping()
        assert database.started
    finally:
        await database.close()
        await drop_database(infra.postgres_dsn, name)


async def test_pool_from_settings_uses_dsn_and_sizes(infra):
    name = await create_database(infra.postgres_dsn)
    settings = CommonSettings(
        postgres_dsn=with_database(infra.postgres_dsn, name),
        postgres_pool_min=2,
        postgres_pool_max=3,
    )
    database = Database.from_settings(settings)
    try:
        await database.start()
        assert (database.pool.get_min_size(), database.pool.get_max_size()) == (2, 3)
    finally:
        await database.close()
        await drop_database(infra.postgres_dsn, name)


async def test_jsonb_round_trips_as_python_objects(db):
    detail = {"limit": Decimal("1500.25"), "symbols": ["ES", "NQ"], "note": "größer", "n": 3}
    async with db.pool.acquire() as conn:
        entry = await record_audit(
            conn,
            actor="user:7",
            action="risk_limit.changed",
            at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
            subject="account:42",
            detail=detail,
        )
        stored = await conn.fetchval("SELECT detail FROM audit_log WHERE id = $1", entry)
        as_text = await conn.fetchval("SELECT detail->>'note' FROM audit_log WHERE id = $1", entry)
    # Decimal travels as a JSON string so no digit is lost.
    assert stored == {"limit": "1500.25", "symbols": ["ES", "NQ"], "note": "größer", "n": 3}
    assert as_text == "größer"


async def test_ping_answers_while_the_server_is_up(db):
    await db.ping()
