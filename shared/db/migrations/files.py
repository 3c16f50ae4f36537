"""Migration files: discovery, ordering, checksums, and which ones are still to apply.

Pure code (no database): a migration is a file ``NNNN_name.sql`` shipped inside this
package. Versions are unique and applied in ascending order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from itertools import pairwise
from pathlib import Path

FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9]+(?:_[a-z0-9]+)*)\.sql$")


class MigrationError(Exception):
    """The migration files or the recorded history are not usable as they are."""


class MigrationChecksumError(MigrationError):
    """An already-applied migration's file changed since it was applied."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered SQL file."""

    version: int
    name: str
    sql: str
    checksum: str

    @property
    def label(self) -> str:
        """The file's stem, e.g. ``0001_foundation``."""
        return f"{self.version:04d}_{self.name}"


def checksum(sql: str) -> str:
    """SHA-256 of the SQL with line endings normalised (a CRLF checkout is no change)."""
    normalised = sql.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normalised.encode()).hexdigest()


def parse_migration(file_name: str, sql: str) -> Migration:
    """A ``Migration`` from a file name and its text; refuses names not ``NNNN_name.sql``."""
    match = FILE_NAME.match(file_name)
    if match is None:
        raise MigrationError(f"migration file {file_name!r} is not named NNNN_lower_snake.sql")
    version = int(match["version"])
    if version == 0:
        raise MigrationError(f"migration file {file_name!r}: versions start at 0001")
    return Migration(version, match["name"], sql, checksum(sql))


def load_migrations(root: Traversable | Path | None = None) -> list[Migration]:
    """Every ``*.sql`` file under ``root`` (default: this package), sorted by version."""
    folder = root if root is not None else resources.files(__package__ or "shared.db.migrations")
    found = [
        parse_migration(entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".sql")
    ]
    return ordered(found)


def ordered(migrations: Iterable[Migration]) -> list[Migration]:
    """Sorted by version; two files with one version are an error."""
    result = sorted(migrations, key=lambda m: m.version)
    for before, after in pairwise(result):
        if before.version == after.version:
            raise MigrationError(
                f"two migrations share version {before.version:04d}: "
                f"{before.label}.sql and {after.label}.sql"
            )
    return result


def pending_migrations(
    applied: Mapping[int, str] | None = None, migrations: Iterable[Migration] | None = None
) -> list[Migration]:
    """Migrations not yet applied, in order.

    ``applied`` maps version to recorded checksum (none: nothing applied). An applied
    migration whose file changed raises ``MigrationChecksumError``: an edited migration
    never re-runs, so the change must go in a new file.
    """
    applied = applied or {}
    candidates = ordered(migrations) if migrations is not None else load_migrations()
    changed = [m for m in candidates if m.version in applied and applied[m.version] != m.checksum]
    if changed:
        labels = ", ".join(f"{m.label}.sql" for m in changed)
        raise MigrationChecksumError(
            f"already-applied migration(s) changed since they were applied: {labels}; "
            "restore the original file(s) and put the change in a new migration"
        )
    return [m for m in candidates if m.version not in applied]
