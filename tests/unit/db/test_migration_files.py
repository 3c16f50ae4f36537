"""Migration files: discovery, ordering, checksums and what is pending (no database)."""

from __future__ import annotations

import pytest

from shared.db.migrations import (
    Migration,
    MigrationChecksumError,
    MigrationError,
    checksum,
    load_migrations,
    pending_migrations,
)
from shared.db.migrations.files import parse_migration


def write(folder, name: str, sql: str = "SELECT 1;") -> None:
    (folder / name).write_text(sql, encoding="utf-8")


def test_files_are_ordered_by_version_number_not_by_listing(tmp_path):
    for name in ("0010_ten.sql", "0002_two.sql", "0001_one.sql"):
        write(tmp_path, name)
    assert [m.label for m in load_migrations(tmp_path)] == ["0001_one", "0002_two", "0010_ten"]


def test_files_other_than_sql_are_ignored(tmp_path):
    write(tmp_path, "0001_one.sql")
    write(tmp_path, "__init__.py", "")
    write(tmp_path, "README.md", "notes")
    assert [m.version for m in load_migrations(tmp_path)] == [1]


@pytest.mark.parametrize(
    "name", ["1_short.sql", "0001-dash.sql", "0001_Upper.sql", "0001_.sql", "0000_zero.sql"]
)
def test_badly_named_sql_files_are_refused(tmp_path, name):
    write(tmp_path, name)
    with pytest.raises(MigrationError, match=name.replace(".", r"\.")):
        load_migrations(tmp_path)


def test_two_files_with_one_version_are_refused(tmp_path):
    write(tmp_path, "0003_a.sql")
    write(tmp_path, "0003_b.sql")
    with pytest.raises(MigrationError, match="share version 0003"):
        load_migrations(tmp_path)


def test_migration_keeps_version_name_text_and_checksum():
    migration = parse_migration("0007_add_orders.sql", "CREATE TABLE t ();")
    assert (migration.version, migration.name, migration.label) == (
        7,
        "add_orders",
        "0007_add_orders",
    )
    assert migration.sql == "CREATE TABLE t ();"
    assert migration.checksum == checksum("CREATE TABLE t ();")


def test_checksum_changes_with_the_text_but_not_with_line_endings():
    assert checksum("SELECT 1;\nSELECT 2;\n") == checksum("SELECT 1;\r\nSELECT 2;\r\n")
    assert checksum("SELECT 1;") != checksum("SELECT 2;")
    assert len(checksum("")) == 64


def make(version: int, sql: str = "SELECT 1;") -> Migration:
    return parse_migration(f"{version:04d}_m{version}.sql", sql)


def test_pending_are_the_unapplied_ones_in_order():
    migrations = [make(3), make(1), make(2)]
    applied = {1: make(1).checksum}
    assert [m.version for m in pending_migrations(applied, migrations)] == [2, 3]


def test_nothing_applied_means_everything_pending():
    assert [m.version for m in pending_migrations(None, [make(2), make(1)])] == [1, 2]


def test_an_applied_migration_whose_file_changed_is_refused_by_name():
    migrations = [make(1, "SELECT 'edited';"), make(2)]
    with pytest.raises(MigrationChecksumError, match=r"0001_m1\.sql"):
        pending_migrations({1: make(1).checksum}, migrations)


def test_shipped_migrations_are_package_data_starting_with_the_foundation():
    shipped = load_migrations()
    assert shipped[0].label == "0001_foundation"
    assert [m.version for m in shipped] == sorted({m.version for m in shipped})
    for table in ("inbox", "outbox", "audit_log"):
        assert f"CREATE TABLE {table} (" in shipped[0].sql


def test_pending_with_no_files_given_reads_the_shipped_ones():
    assert pending_migrations({}) == load_migrations()
