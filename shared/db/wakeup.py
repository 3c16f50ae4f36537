"""Waking the outbox relay: LISTEN for the notification the outbox insert trigger sends."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from shared.db.pool import Pool

NOTIFY_CHANNEL = "outbox"  # the channel 0001_foundation.sql's trigger notifies

if TYPE_CHECKING:
    Listener: TypeAlias = PoolConnectionProxy[asyncpg.Record]
else:
    Listener = PoolConnectionProxy


class Wakeup:
    """A pooled connection LISTENing for new outbox rows; sets ``event`` on each NOTIFY."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._conn: Listener | None = None
        self.event = asyncio.Event()

    def _on_notify(self, *_: object) -> None:
        self.event.set()

    async def listen(self) -> None:
        """Make sure a live connection is listening (after a lost one, take another)."""
        if self._conn is not None and not self._conn.is_closed():
            return
        await self.close()
        conn = await self._pool.acquire()
        try:
            await conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
        except BaseException:
            await self._pool.release(conn)
            raise
        self._conn = conn

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not conn.is_closed():
                await conn.remove_listener(NOTIFY_CHANNEL, self._on_notify)
        finally:
            await self._pool.release(conn)


async def wait_any(events: list[asyncio.Event], wait_s: float) -> None:
    """Return when any of ``events`` is set or after ``wait_s`` seconds."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=wait_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
