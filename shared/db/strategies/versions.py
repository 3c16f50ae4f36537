"""Creating strategies and revising them into new immutable versions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from shared.db.pool import Connection
from shared.db.strategies import rows
from shared.db.strategies.content import changed, checked
from shared.db.strategies.model import StrategyNotFound
from shared.instruments import InstrumentRegistry
from shared.strategy.definition import StrategyDefinition

_INSERT = (
    "INSERT INTO strategies (strategy_id, user_id, account_id, name, latest_version, "
    "created_ns, updated_ns) VALUES ($1, $2, $3, $4, 1, $5, $5)"
)


async def create(
    conn: Connection, wanted: StrategyDefinition, instruments: InstrumentRegistry, ts_ns: int
) -> StrategyDefinition:
    """Store a new strategy at version 1 once it checks out and the account is the user's."""
    d = checked(replace(wanted, version=1), instruments)
    async with conn.transaction():
        owner = await conn.fetchval(
            "SELECT user_id FROM accounts WHERE account_id = $1", d.account_id
        )
        if owner != d.user_id:
            raise ValueError(f"account {d.account_id} not found for user {d.user_id}")
        if await rows.info(conn, d.strategy_id) is not None:
            raise ValueError(f"strategy {d.strategy_id} exists already")
        await conn.execute(_INSERT, d.strategy_id, d.user_id, d.account_id, d.name, ts_ns)
        await rows.insert_version(conn, d, ts_ns)
    return d


async def revise(
    conn: Connection,
    *,
    strategy_id: uuid.UUID,
    user_id: uuid.UUID,
    changes: Mapping[str, Any],
    instruments: InstrumentRegistry,
    ts_ns: int,
) -> StrategyDefinition:
    """A new version when the content changes, else the newest one (renamed if asked)."""
    async with conn.transaction():
        row = await rows.info(conn, strategy_id, lock=True)
        if row is None or row["user_id"] != user_id:
            raise StrategyNotFound(f"strategy {strategy_id} not found for user {user_id}")
        current = await rows.definition(conn, strategy_id, row["latest_version"])
        if current is None:
            raise RuntimeError(f"strategy {strategy_id} has no version {row['latest_version']}")
        wanted = checked(changed(current, changes), instruments)
        if wanted.name != current.name:
            await conn.execute(
                "UPDATE strategies SET name = $2, updated_ns = $3 WHERE strategy_id = $1",
                strategy_id,
                wanted.name,
                ts_ns,
            )
        if wanted.content_hash == current.content_hash:
            return replace(current, name=wanted.name)
        new = replace(wanted, version=current.version + 1)
        await conn.execute(
            "UPDATE strategies SET latest_version = $2, updated_ns = $3 WHERE strategy_id = $1",
            strategy_id,
            new.version,
            ts_ns,
        )
        await rows.insert_version(conn, new, ts_ns)
    return new
