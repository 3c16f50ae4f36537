"""The Postgres connection pool as a ``Resource``: created in the service's lifespan."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
import pydantic_core
from asyncpg.pool import PoolConnectionProxy

from shared.resources import NotStartedError

if TYPE_CHECKING:
    from shared.settings import CommonSettings

    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
    Pool: TypeAlias = asyncpg.Pool[asyncpg.Record]
else:  # asyncpg's classes take no type arguments at run time
    Connection = asyncpg.Connection | PoolConnectionProxy
    Pool = asyncpg.Pool


def _encode_json(value: Any) -> str:
    # pydantic_core also serialises Decimal, UUID and datetime, which json.dumps refuses.
    return pydantic_core.to_json(value).decode()


async def init_connection(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    """Per-connection setup: json and jsonb travel as Python objects, not strings."""
    for typename in ("json", "jsonb"):
        await conn.set_type_codec(
            typename, encoder=_encode_json, decoder=json.loads, schema="pg_catalog"
        )


class Database:
    """An asyncpg pool for one service; ``start`` may fail and be retried later."""

    name = "postgres"

    def __init__(
        self,
        dsn: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        connect_timeout_s: float = 5.0,
        ping_timeout_s: float = 2.0,
        command_timeout_s: float | None = None,
    ) -> None:
        if max_size < 1 or min_size < 0 or min_size > max_size:
            raise ValueError(f"bad pool sizes: min={min_size} max={max_size}")
        self._dsn = dsn
        self._min_size = min_size
        self._max_size = max_size
        self._connect_timeout_s = connect_timeout_s
        self._ping_timeout_s = ping_timeout_s
        self._command_timeout_s = command_timeout_s
        self._pool: Pool | None = None

    @classmethod
    def from_settings(cls, settings: CommonSettings) -> Database:
        """A pool configured from the common settings (not started)."""
        return cls(
            settings.postgres_dsn.get_secret_value(),
            min_size=settings.postgres_pool_min,
            max_size=settings.postgres_pool_max,
            ping_timeout_s=settings.dependency_check_timeout_s,
        )

    @property
    def pool(self) -> Pool:
        """The started pool; raises ``NotStartedError`` before ``start()`` succeeded."""
        if self._pool is None:
            raise NotStartedError("Database.start() has not succeeded yet; no pool to use")
        return self._pool

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def start(self) -> None:
        """Create the pool and check it answers; raise (leaving nothing open) if not."""
        if self._pool is not None:
            return
        pool = await asyncpg.create_pool(
            self._dsn,
            min_size=self._min_size,
            max_size=self._max_size,
            init=init_connection,
            timeout=self._connect_timeout_s,
            command_timeout=self._command_timeout_s,
        )
        try:
            await self._select_one(pool)
        except BaseException:
            pool.terminate()
            raise
        self._pool = pool

    async def ping(self) -> None:
        """``SELECT 1`` within the ping timeout; raises if Postgres does not answer."""
        await self._select_one(self.pool)

    async def close(self) -> None:
        """Close the pool gracefully; safe when never started."""
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                async with asyncio.timeout(self._connect_timeout_s):
                    await pool.close()
            except TimeoutError:
                pool.terminate()

    async def _select_one(self, pool: Pool) -> None:
        async with asyncio.timeout(self._ping_timeout_s):
            async with pool.acquire() as conn:
                await conn.fetchval("SELECT 1")
