"""Postgres: the pool, migrations, the inbox, the outbox and its relay, the audit log."""

from shared.db.audit import record_audit
from shared.db.inbox import claim, claim_many
from shared.db.migrations import (
    MigrationChecksumError,
    MigrationError,
    apply_migrations,
    migration_status,
    pending_migrations,
)
from shared.db.outbox import enqueue
from shared.db.pool import Connection, Database
from shared.db.relay import OutboxRelay, Publisher
from shared.resources import NotStartedError

__all__ = [
    "Connection",
    "Database",
    "MigrationChecksumError",
    "MigrationError",
    "NotStartedError",
    "OutboxRelay",
    "Publisher",
    "apply_migrations",
    "claim",
    "claim_many",
    "enqueue",
    "migration_status",
    "pending_migrations",
    "record_audit",
]
