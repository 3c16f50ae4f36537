"""Fixtures for the Postgres integration tests: a throwaway database per test or per run."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import asyncpg
import pytest

from shared.db import Database, apply_migrations


def with_database(dsn: str, database: str) -> str:
    """The same server and credentials, another database."""
    return urlsplit(dsn)._replace(path=f"/{database}").geturl()


async def create_database(admin_dsn: str, prefix: str = "ts_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def drop_database(admin_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def empty_dsn(infra):
    """DSN of a new, empty database, dropped after the test."""
    name = await create_database(infra.postgres_dsn)
    yield with_database(infra.postgres_dsn, name)
    await drop_database(infra.postgres_dsn, name)


@pytest.fixture
async def migrated_dsn(empty_dsn):
    """DSN of a new database with every migration applied."""
    await apply_migrations(empty_dsn)
    return empty_dsn


@pytest.fixture
async def db(migrated_dsn):
    """A started ``Database`` on a freshly migrated database."""
    database = Database(migrated_dsn, min_size=1, max_size=8)
    await database.start()
    yield database
    await database.close()
