"""The demo strategy ``tickstream up`` creates and starts, in a throwaway database."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from shared.db import apply_migrations
from shared.db.pool import Database
from shared.db.strategies import StrategyStatus, StrategyStore
from shared.messages.schemas.strategy import StartStrategy, StopStrategy
from shared.stack.demo import DEMO_ACCOUNT_ID, DEMO_USER_ID, seed_demo
from shared.stack.demo_strategy import DEMO_STRATEGY_ID, DemoStrategy, run_demo_strategy
from shared.strategy.definition import Subscription
from tests.infra import Endpoints, free_port
from tests.integration.db.conftest import create_database, drop_database, with_database
from tests.integration.strategy_store.cli_support import applier, control_topic
from tests.support.event_log import until

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(infra: Endpoints) -> AsyncIterator[tuple[str, StrategyStore]]:
    """A new database with the demo account, and a store on it."""
    name = await create_database(infra.postgres_dsn, prefix="ts_demo")
    dsn = with_database(infra.postgres_dsn, name)
    db = Database(dsn, max_size=2)
    try:
        await apply_migrations(dsn)
        await seed_demo(dsn)
        await db.start()
        yield dsn, StrategyStore(db.pool)
    finally:
        await db.close()
        await drop_database(infra.postgres_dsn, name)


@contextlib.asynccontextmanager
async def ready_endpoint() -> AsyncIterator[str]:
    """An HTTP server that answers 200 to anything, standing in for the workers' /ready."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


def up(
    dsn: str, infra: Endpoints, topic: str, workers_url: str, wait_s: float = 20.0
) -> Coroutine[Any, Any, DemoStrategy]:
    return run_demo_strategy(
        dsn, account_id=DEMO_ACCOUNT_ID, user_id=DEMO_USER_ID, symbol="ESZ6",
        bootstrap=infra.kafka_bootstrap, control_topic=topic, workers_url=workers_url,
        wait_s=wait_s,
    )  # fmt: skip


async def test_without_workers_up_creates_the_strategy_once_and_marks_it_running(
    store: tuple[str, StrategyStore], infra: Endpoints
) -> None:
    dsn, strategies = store
    nobody = f"http://127.0.0.1:{free_port()}"

    first = await up(dsn, infra, "unused", nobody)
    second = await up(dsn, infra, "unused", nobody)

    assert (first.created, first.started, first.status) == (True, True, "RUNNING")
    assert (second.created, second.started, second.status) == (False, False, "RUNNING")
    assert first.description == "builtin:ma_crossover fast=3 slow=8 on ESZ6 1m"
    [(definition, status)] = await strategies.active()
    assert status is StrategyStatus.RUNNING
    assert definition.strategy_id == DEMO_STRATEGY_ID
    assert (definition.user_id, definition.account_id) == (DEMO_USER_ID, DEMO_ACCOUNT_ID)
    assert definition.subscriptions == (Subscription("ESZ6", "1m"),)
    assert (definition.parameters["fast"], definition.parameters["slow"]) == (3, 8)
    assert definition.sizing.quantity == Decimal(1)
    assert len(await strategies.versions(DEMO_STRATEGY_ID)) == 1


async def test_with_workers_up_the_start_goes_through_the_control_topic(
    store: tuple[str, StrategyStore], infra: Endpoints, unique: Callable[[str], str]
) -> None:
    dsn, strategies = store
    async with (
        control_topic(infra.kafka_bootstrap, unique("it.demo.control")) as topic,
        ready_endpoint() as workers,
        applier(infra.kafka_bootstrap, topic, strategies) as applied,
    ):
        made = await up(dsn, infra, topic, workers)

    assert (made.created, made.started, made.status) == (True, True, "RUNNING")
    [start] = applied
    assert isinstance(start.payload, StartStrategy)
    assert (start.payload.strategy_id, start.payload.requested_by) == (
        DEMO_STRATEGY_ID,
        DEMO_USER_ID,
    )


async def test_a_start_the_workers_do_not_apply_in_time_is_applied_once_by_up(
    store: tuple[str, StrategyStore], infra: Endpoints, unique: Callable[[str], str]
) -> None:
    dsn, strategies = store
    async with (
        control_topic(infra.kafka_bootstrap, unique("it.demo.control")) as topic,
        ready_endpoint() as workers,
    ):
        made = await up(dsn, infra, topic, workers, wait_s=0.5)
        assert (made.started, made.status) == (True, "RUNNING")
        # The workers read the published start late: the same message, so nothing more.
        async with applier(infra.kafka_bootstrap, topic, strategies) as applied:

            async def seen() -> bool:
                return bool(applied)

            await until(seen, timeout_s=60)

    conn = await asyncpg.connect(dsn)
    try:
        runs = await conn.fetch("SELECT run_id, version, status FROM strategy_runs")
    finally:
        await conn.close()
    assert [(r["version"], r["status"]) for r in runs] == [(1, "RUNNING")]


async def test_a_stopped_demo_strategy_is_started_again_by_the_next_up(
    store: tuple[str, StrategyStore], infra: Endpoints
) -> None:
    dsn, strategies = store
    nobody = f"http://127.0.0.1:{free_port()}"
    await up(dsn, infra, "unused", nobody)
    stop = StopStrategy(account_id=DEMO_ACCOUNT_ID, user_id=DEMO_USER_ID,
                        strategy_id=DEMO_STRATEGY_ID, strategy_version=1)  # fmt: skip
    await strategies.apply_control(uuid.uuid4(), stop, 1)

    again = await up(dsn, infra, "unused", nobody)

    assert (again.created, again.started, again.status) == (False, True, "RUNNING")
