"""The audit log: who did what to which subject, and why, for operators and compliance."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from shared.db.pool import Connection


async def record_audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    at: datetime,
    subject: str | None = None,
    detail: Mapping[str, Any] | None = None,
    correlation_id: UUID | None = None,
) -> int:
    """Append one audit entry in the caller's transaction; returns its id."""
    entry_id: int = await conn.fetchval(
        "INSERT INTO audit_log (occurred_at, actor, action, subject, correlation_id, detail)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        at,
        actor,
        action,
        subject,
        correlation_id,
        dict(detail or {}),
    )
    return entry_id
