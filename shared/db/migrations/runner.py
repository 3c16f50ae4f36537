"""Apply migrations to a database, and report where a database stands.

Each migration runs in its own transaction together with its row in
``schema_migrations``, so a failed migration leaves no trace and a later run retries it.
Concurrent appliers (several services starting at once, or ``tickstream migrate``)
serialise on a session-level advisory lock; the one that gets the lock second finds
nothing left to do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from shared.db.migrations.files import Migration, load_migrations, ordered, pending_migrations

# An arbitrary fixed 64-bit key; every applier of this schema uses the same one.
ADVISORY_LOCK_KEY = 0x7469636B_6D696772  # "tickmigr"
CONNECT_TIMEOUT_S = 10.0

_CREATE_HISTORY = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True, slots=True)
class AppliedMigration:
    """A row of ``schema_migrations``."""

    version: int
    name: str
    checksum: str
    applied_at: datetime


@dataclass(frozen=True, slots=True)
class MigrationStatus:
    """Where a database stands against the shipped migration files."""

    applied: list[AppliedMigration]
    pending: list[Migration]
    changed: list[str]
    """Labels of applied migrations whose file has changed since."""
    unknown: list[int]
    """Applied versions with no file here (the database is newer than this code)."""

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.changed


async def _history(conn: asyncpg.Connection[asyncpg.Record]) -> list[AppliedMigration]:
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return []
    rows = await conn.fetch(
        "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version"
    )
    return [AppliedMigration(r["version"], r["name"], r["checksum"], r["applied_at"]) for r in rows]


async def apply_migrations(
    dsn: str,
    migrations: Sequence[Migration] | None = None,
    *,
    lock_timeout_s: float = 60.0,
) -> list[str]:
    """Apply what is pending, in order; return the labels applied (empty when up to date).

    Raises ``MigrationChecksumError`` before applying anything if an applied migration's
    file changed, and ``TimeoutError`` if another applier holds the lock too long.
    """
    todo_from = ordered(migrations) if migrations is not None else load_migrations()
    conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_S)
    try:
        async with asyncio.timeout(lock_timeout_s):
            await conn.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
        await conn.execute(_CREATE_HISTORY)
        recorded = {a.version: a.checksum for a in await _history(conn)}
        applied: list[str] = []
        for migration in pending_migrations(recorded, todo_from):
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            applied.append(migration.label)
        return applied
    finally:
        # Closing the session releases the advisory lock, even after an error.
        await conn.close()


async def migration_status(
    dsn: str, migrations: Sequence[Migration] | None = None
) -> MigrationStatus:
    """Applied, pending, changed and unknown migrations of the database at ``dsn``."""
    files = ordered(migrations) if migrations is not None else load_migrations()
    conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_S)
    try:
        history = await _history(conn)
    finally:
        await conn.close()
    recorded = {a.version: a.checksum for a in history}
    known = {m.version for m in files}
    return MigrationStatus(
        applied=history,
        pending=[m for m in files if m.version not in recorded],
        changed=[m.label for m in files if recorded.get(m.version, m.checksum) != m.checksum],
        unknown=[a.version for a in history if a.version not in known],
    )
