"""The outbox: messages written in the same transaction as the state change they announce.

``enqueue`` stores each envelope encoded once, with its topic, partition key and Kafka
headers, in the caller's transaction. ``OutboxRelay`` (``shared.db.relay``) later
publishes the rows in id order and marks them sent. Delivery is at-least-once: a crash
between publishing and marking re-publishes, and consumers dedupe by ``message_id``
through the inbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared.db.pool import Connection
from shared.db.relay import OutboxRelay, Publisher
from shared.messages import Envelope, Payload, encode, headers_for, topic_of

OutboxRow = tuple[str, bytes, str, int, object, list[str], list[bytes], bytes]

_INSERT = (
    "INSERT INTO outbox (topic, key, type, version, message_id, header_keys, header_values,"
    " payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
)


def outbox_row(envelope: Envelope[Payload], topic: str | None = None) -> OutboxRow:
    """The row that publishes ``envelope`` on its registered topic (or ``topic``)."""
    registered = topic_of(envelope.type)
    headers = headers_for(envelope)
    return (
        topic or registered.name,
        registered.key_for(envelope.payload),
        envelope.type,
        envelope.version,
        envelope.message_id,
        [name for name, _ in headers],
        [value for _, value in headers],
        encode(envelope),
    )


async def enqueue(
    conn: Connection, envelopes: Iterable[Envelope[Payload]], *, topic: str | None = None
) -> int:
    """Write envelopes to the outbox in the caller's transaction; returns how many.

    ``topic`` overrides the registered topic name (the key rule stays the registered
    one); tests use it for unique topics. One pipelined statement for the whole batch.
    A ``message_id`` already in the outbox raises ``asyncpg.UniqueViolationError``.
    """
    rows = [outbox_row(envelope, topic) for envelope in envelopes]
    if rows:
        await conn.executemany(_INSERT, rows)
    return len(rows)


async def purge_sent(conn: Connection, sent_before: datetime) -> int:
    """Delete rows sent before ``sent_before``; returns how many were removed."""
    status = await conn.execute(
        "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1", sent_before
    )
    return int(status.split()[-1])


async def unsent_count(conn: Connection) -> int:
    """Rows still waiting to be published (a health and lag figure)."""
    count: int = await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
    return count


__all__ = ["OutboxRelay", "Publisher", "enqueue", "outbox_row", "purge_sent", "unsent_count"]
