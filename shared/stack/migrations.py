"""Postgres migrations of the platform, applied by ``tickstream up`` and ``tickstream migrate``."""

from __future__ import annotations


async def apply_migrations(dsn: str) -> list[str]:
    """Apply pending migrations from ``shared.db.migrations``; return the labels applied."""
    # Imported here so the stack manager does not load the database layer until it is needed.
    from shared.db.migrations import apply_migrations as apply

    return await apply(dsn)
