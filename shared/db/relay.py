"""The outbox relay: publishes outbox rows to Kafka, in order, and marks them sent.

One batch is one transaction: lock the oldest unsent rows, publish them, wait for the
broker's acknowledgements, mark them sent in one statement, commit. If the process dies
after publishing but before the commit, the rows stay unsent and are published again:
delivery is at-least-once and consumers dedupe by ``message_id`` through the inbox.

Order per key: only one relay works at a time (a transaction-level advisory lock), rows
go out in id order, and rows sharing a (topic, key) are published one after another.
Different keys are published concurrently. Ids follow commit order for rows written by
one writer at a time, which is what per-key consumers (one partition, one consumer)
guarantee for the rows they write.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import asyncpg

from shared.db.pool import Pool
from shared.db.wakeup import Wakeup, wait_any

log = logging.getLogger(__name__)

RELAY_LOCK_KEY = 0x7469636B_6F757462  # "tickoutb"

_CLAIM = (
    "SELECT id, topic, key, header_keys, header_values, payload FROM outbox"
    " WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"
)
_MARK_SENT = "UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])"


class Publisher(Protocol):
    """Sends raw bytes to Kafka; returns once the broker has acknowledged the message."""

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None: ...


class OutboxRelay:
    """Moves outbox rows to Kafka; ``run`` loops until stopped, ``run_once`` does a batch."""

    def __init__(
        self,
        pool: Pool,
        publisher: Publisher,
        *,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        publish_timeout_s: float = 30.0,
        max_backoff_s: float = 10.0,
        on_published: Callable[[], None] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._pool = pool
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._publish_timeout_s = publish_timeout_s
        self._max_backoff_s = max_backoff_s
        self._on_published = on_published

    async def run_once(self) -> int:
        """Publish one batch and mark it sent; returns the rows sent (0 if none or busy)."""
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RELAY_LOCK_KEY):
                return 0  # another relay is at work; two would break per-key order
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0
            async with asyncio.timeout(self._publish_timeout_s):
                await self._publish(rows)
            if self._on_published is not None:
                self._on_published()  # a test's crash point: published, not yet marked sent
            await conn.execute(_MARK_SENT, [row["id"] for row in rows])
        return len(rows)

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set: woken by NOTIFY, polling as a fallback.

        A failed batch (database or broker down) is retried with capped backoff; its
        rows stay unsent meanwhile, so nothing is lost. Stop the relay before closing
        the pool: it holds one pooled connection to LISTEN on.
        """
        wakeup = Wakeup(self._pool)
        failures = 0
        try:
            while not stop.is_set():
                wakeup.event.clear()
                try:
                    await wakeup.listen()
                    sent = await self.run_once()
                except Exception:
                    failures += 1
                    delay = min(self._max_backoff_s, self._poll_interval_s * 2 ** (failures - 1))
                    log.warning("outbox relay failed %d time(s); retrying", failures, exc_info=True)
                    await wait_any([stop], delay)
                    continue
                failures = 0
                if sent < self._batch_size:
                    await wait_any([stop, wakeup.event], self._poll_interval_s)
        finally:
            await wakeup.close()

    async def _publish(self, rows: Sequence[asyncpg.Record]) -> None:
        by_key: dict[tuple[str, bytes | None], list[asyncpg.Record]] = {}
        for row in rows:
            by_key.setdefault((row["topic"], row["key"]), []).append(row)
        try:
            async with asyncio.TaskGroup() as group:
                for same_key in by_key.values():
                    group.create_task(self._publish_in_order(same_key))
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from failed

    async def _publish_in_order(self, rows: list[asyncpg.Record]) -> None:
        for row in rows:
            headers = list(zip(row["header_keys"], row["header_values"], strict=True))
            await self._publisher.publish_raw(row["topic"], row["key"], row["payload"], headers)
