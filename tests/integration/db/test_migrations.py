"""Migrations against a real Postgres: idempotent, ordered, locked, checksummed."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from shared.db.migrations import (
    MigrationChecksumError,
    apply_migrations,
    load_migrations,
    migration_status,
)
from shared.db.migrations.files import parse_migration

pytestmark = pytest.mark.integration

SCHEMA_SNAPSHOT = """
SELECT table_name, column_name, data_type, is_nullable, column_default
FROM information_schema.columns WHERE table_schema = 'public'
ORDER BY table_name, column_name
"""


async def snapshot(dsn: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = await asyncpg.connect(dsn)
    try:
        columns = [tuple(r) for r in await conn.fetch(SCHEMA_SNAPSHOT)]
        history = [tuple(r) for r in await conn.fetch("SELECT * FROM schema_migrations")]
        return columns, history
    finally:
        await conn.close()


async def test_applying_twice_applies_everything_once_and_then_changes_nothing(empty_dsn):
    first = await apply_migrations(empty_dsn)
    assert first == [m.label for m in load_migrations()]
    before = await snapshot(empty_dsn)

    assert await apply_migrations(empty_dsn) == []
    assert await snapshot(empty_dsn) == before
    tables = {row[0] for row in before[0]}
    assert {"inbox", "outbox", "audit_log", "schema_migrations"} <= tables


async def test_status_shows_pending_before_and_up_to_date_after(empty_dsn):
    status = await migration_status(empty_dsn)
    assert [m.label for m in status.pending] == [m.label for m in load_migrations()]
    assert not status.up_to_date

    await apply_migrations(empty_dsn)
    status = await migration_status(empty_dsn)
    assert status.up_to_date
    assert [a.version for a in status.applied] == [m.version for m in load_migrations()]
    assert status.applied[0].checksum == load_migrations()[0].checksum


async def test_an_applied_migration_whose_checksum_changed_is_refused(empty_dsn):
    await apply_migrations(empty_dsn)
    conn = await asyncpg.connect(empty_dsn)
    try:
        await conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
    finally:
        await conn.close()

    with pytest.raises(MigrationChecksumError, match=r"0001_foundation\.sql"):
        await apply_migrations(empty_dsn)
    assert (await migration_status(empty_dsn)).changed == ["0001_foundation"]


async def test_concurrent_appliers_apply_each_migration_exactly_once(empty_dsn):
    # A slow migration widens the window in which unserialised appliers would collide.
    slow = parse_migration("0900_slow.sql", "SELECT pg_sleep(0.3); CREATE TABLE slow (id int);")
    migrations = [*load_migrations(), slow]

    results = await asyncio.gather(*(apply_migrations(empty_dsn, migrations) for _ in range(4)))

    applied = [label for result in results for label in result]
    assert sorted(applied) == sorted(m.label for m in migrations)
    assert sum(1 for result in results if result) == 1
    _, history = await snapshot(empty_dsn)
    assert len(history) == len(migrations)


async def test_a_failing_migration_leaves_no_trace_and_is_retried_next_time(empty_dsn):
    broken = parse_migration(
        "0901_broken.sql", "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;"
    )
    with pytest.raises(asyncpg.UndefinedTableError):
        await apply_migrations(empty_dsn, [*load_migrations(), broken])

    status = await migration_status(empty_dsn)
    assert [a.version for a in status.applied] == [m.version for m in load_migrations()]
    conn = await asyncpg.connect(empty_dsn)
    try:
        assert await conn.fetchval("SELECT to_regclass('half_done')") is None
    finally:
        await conn.close()

    fixed = parse_migration("0901_broken.sql", "CREATE TABLE half_done (id int);")
    assert await apply_migrations(empty_dsn, [*load_migrations(), fixed]) == ["0901_broken"]
