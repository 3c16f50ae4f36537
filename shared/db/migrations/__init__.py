"""Numbered SQL migrations (``NNNN_name.sql`` files in this package) and their runner."""

from shared.db.migrations.files import (
    Migration,
    MigrationChecksumError,
    MigrationError,
    checksum,
    load_migrations,
    pending_migrations,
)
from shared.db.migrations.runner import (
    AppliedMigration,
    MigrationStatus,
    apply_migrations,
    migration_status,
)

__all__ = [
    "AppliedMigration",
    "Migration",
    "MigrationChecksumError",
    "MigrationError",
    "MigrationStatus",
    "apply_migrations",
    "checksum",
    "load_migrations",
    "migration_status",
    "pending_migrations",
]
