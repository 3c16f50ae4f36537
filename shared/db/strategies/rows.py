"""Reading strategies and their versions: the SQL and the rows as store types."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from shared.db.pool import Connection
from shared.db.strategies.content import definition_of
from shared.db.strategies.model import StrategyInfo, VersionInfo
from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.definition import StrategyDefinition

Row = asyncpg.Record

INFO = (
    "SELECT strategy_id, user_id, account_id, name, status, latest_version, active_version, "
    "run_id, error, created_ns, updated_ns FROM strategies"
)
VERSION = "SELECT strategy_id, version, content_hash, content, created_ns FROM strategy_versions"
WITH_CONTENT = (
    "SELECT s.strategy_id, s.user_id, s.account_id, s.name, s.status, v.version, v.content "
    "FROM strategies s JOIN strategy_versions v ON v.strategy_id = s.strategy_id"
)


def info_of(row: Row) -> StrategyInfo:
    """A ``strategies`` row as a summary."""
    return StrategyInfo(
        strategy_id=row["strategy_id"],
        user_id=row["user_id"],
        account_id=row["account_id"],
        name=row["name"],
        status=StrategyStatus(row["status"]),
        version=row["active_version"] or row["latest_version"],
        latest_version=row["latest_version"],
        error=row["error"],
        updated_at_ns=row["updated_ns"],
        created_at_ns=row["created_ns"],
        run_id=row["run_id"],
    )


def version_of(row: Row) -> VersionInfo:
    """A ``strategy_versions`` row."""
    return VersionInfo(
        row["strategy_id"], row["version"], row["content_hash"], row["content"], row["created_ns"]
    )


def definition_from(row: Row) -> StrategyDefinition:
    """A row of ``WITH_CONTENT`` as a definition."""
    return definition_of(
        row["content"],
        strategy_id=row["strategy_id"],
        version=row["version"],
        user_id=row["user_id"],
        account_id=row["account_id"],
        name=row["name"],
    )


async def info(conn: Connection, strategy_id: uuid.UUID, *, lock: bool = False) -> Row | None:
    """The strategy's row (locked for the transaction when ``lock``)."""
    suffix = " FOR UPDATE" if lock else ""
    row: asyncpg.Record | None = await conn.fetchrow(
        f"{INFO} WHERE strategy_id = $1{suffix}", strategy_id
    )
    return row


async def definition(
    conn: Connection, strategy_id: uuid.UUID, version: int | None
) -> StrategyDefinition | None:
    """One version's definition (None: the newest)."""
    at = "s.latest_version" if version is None else "$2"
    args: tuple[Any, ...] = (strategy_id,) if version is None else (strategy_id, version)
    row = await conn.fetchrow(
        f"{WITH_CONTENT} AND v.version = {at} WHERE s.strategy_id = $1", *args
    )
    return None if row is None else definition_from(row)


async def insert_version(conn: Connection, d: StrategyDefinition, ts_ns: int) -> None:
    """Store a new version's content and hash."""
    content = d.content()
    await conn.execute(
        "INSERT INTO strategy_versions (strategy_id, version, content_hash, content, created_ns) "
        "VALUES ($1, $2, $3, $4, $5)",
        d.strategy_id,
        d.version,
        d.content_hash,
        content,
        ts_ns,
    )
