"""The strategies migration applied twice: everything once, then nothing changes."""

from __future__ import annotations

import asyncpg
import pytest

from shared.db.migrations import apply_migrations, load_migrations
from tests.integration.db.test_migrations import snapshot

pytestmark = pytest.mark.integration

TABLES = {"strategies", "strategy_versions", "strategy_runs", "strategy_controls",
          "strategy_revision", "backtests"}  # fmt: skip


async def test_applying_twice_makes_the_strategy_tables_once(empty_dsn: str) -> None:
    first = await apply_migrations(empty_dsn)
    before = await snapshot(empty_dsn)

    second = await apply_migrations(empty_dsn)

    assert "0003_strategies" in first
    assert first == [m.label for m in load_migrations()]
    assert second == []
    assert await snapshot(empty_dsn) == before
    assert {row[0] for row in before[0]} >= TABLES
    conn = await asyncpg.connect(empty_dsn)
    try:
        assert await conn.fetch("SELECT * FROM strategy_revision") == [(True, 0)]
        triggers = await conn.fetch(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'strategy_versions'::regclass "
            "AND NOT tgisinternal ORDER BY tgname"
        )
    finally:
        await conn.close()
    assert [t["tgname"] for t in triggers] == [
        "strategy_versions_immutable",
        "strategy_versions_not_truncated",
    ]
