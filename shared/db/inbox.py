"""The inbox: which messages each consumer has already processed.

A handler claims a message id in the same transaction as its work. The claim and the
work commit together or not at all, so a redelivered message (Kafka is at-least-once,
and so is the outbox relay) is recognised and skipped: the effect happens exactly once.
A concurrent claim of the same id waits for the first transaction and then loses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from shared.db.pool import Connection


async def claim(conn: Connection, consumer: str, message_id: UUID) -> bool:
    """Record ``message_id`` as processed by ``consumer``; True the first time only."""
    inserted = await conn.fetchval(
        "INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        message_id,
    )
    return inserted is True


async def claim_many(conn: Connection, consumer: str, message_ids: Iterable[UUID]) -> list[UUID]:
    """Claim a batch in one round trip; the ids claimed now, in input order, once each."""
    ids = list(dict.fromkeys(message_ids))
    if not ids:
        return []
    rows = await conn.fetch(
        "INSERT INTO inbox (consumer, message_id) SELECT $1, unnest($2::uuid[]) "
        "ON CONFLICT DO NOTHING RETURNING message_id",
        consumer,
        ids,
    )
    new = {row["message_id"] for row in rows}
    return [i for i in ids if i in new]


async def prune(conn: Connection, older_than: datetime) -> int:
    """Forget claims processed before ``older_than``; returns how many were removed.

    Only safe for ids that can no longer be redelivered (older than topic retention).
    """
    status = await conn.execute("DELETE FROM inbox WHERE processed_at < $1", older_than)
    return int(status.split()[-1])
