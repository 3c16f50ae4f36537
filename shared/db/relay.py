"""The outbox relay: publishes outbox rows to Kafka, in order, and marks them sent.

One batch is one transaction: lock the oldest unsent rows, publish them, wait for the
broker's acknowledgements, mark them sent in one statement, commit. If the process dies
after publishing but before the commit, the rows stay unsent and are published again:
delivery is at-least-once and consumers dedupe by ``message_id`` through the inbox.

Order per key: only one relay works at a time (a transaction-level advisory lock), rows
go out in id order, grouped into per-partition batches without waiting for one row's ack
before the next (the idempotent producer keeps each partition in order). Ids follow
commit order for rows written by one writer at a time, which is what per-key consumers
(one partition, one consumer) guarantee for the rows they write.
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
    """Sends encoded records in order; returns once the broker acknowledged all of them."""

    async def publish_raw_many(
        self, rows: Sequence[tuple[str, bytes | None, bytes, list[tuple[str, bytes]]]]
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
        await self._publisher.publish_raw_many(
            [
                (
                    row["topic"],
                    row["key"],
                    row["payload"],
                    list(zip(row["header_keys"], row["header_values"], strict=True)),
                )
                for row in rows
            ]
        )
