"""An order processor test's world over the real servers, and processors to run in it.

``order_world`` makes the unique topics, a database of its own (the outbox and the ledger
are shared by every processor on a database: here only the test's own relay publishes and
only its accounts are restored), a publisher, a pool and an event log, and removes all of
it afterwards. A processor runs in process (``in_process``) or as ``python -m
order_processor`` (``start_process``), pointed at the same names.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from order_processor.processing.runner import ProcessorRunner
from order_processor.wiring import build_runner
from shared.bus import KafkaPublisher
from shared.bus.dlq import dlq_topic
from shared.db import apply_migrations
from shared.db.pool import Database, Pool
from shared.messages import Envelope, Payload
from shared.messages.schemas.common import OrderSide
from tests.infra import Endpoints
from tests.integration.db.conftest import create_database, drop_database, with_database
from tests.integration.services.process import ServiceProcess, free_port, service_env
from tests.support.event_log import EventLog, until
from tests.support.order_desk import Desk, status_is
from tests.support.order_rig import AccountRef, OrderTopics, add_account

OUTCOMES = ("OrderAccepted", "OrderRejected")
PACKAGE = "order_processor"
PROBE_SYMBOL = "NOSUCH1"
SENTINEL_PRICE = "9000.00"
MARKER_LIMIT = "9999.00"
MARKER_PRICE = "9999.25"


@dataclass
class World:
    """The names, connections, event log and accounts of one test."""

    infra: Endpoints
    dsn: str
    topics: OrderTopics
    db: Database
    desk: Desk
    log: EventLog
    accounts: list[AccountRef] = field(default_factory=list)
    sentinel: AccountRef | None = None

    @property
    def pool(self) -> Pool:
        return self.db.pool

    async def account(self) -> AccountRef:
        """A new account row, removed with the world."""
        account = await add_account(self.pool)
        self.accounts.append(account)
        return account

    def outcomes(self, command_id: uuid.UUID) -> list[Envelope[Payload]]:
        """The accept/reject events answering a command (duplicates included)."""
        return self.log.caused_by(command_id, *OUTCOMES)

    async def answered(self, command: Envelope[Payload], *, timeout_s: float = 120.0) -> Any:
        """Wait for the command's first outcome event; its payload."""
        await self.log.wait_for(
            lambda: bool(self.outcomes(command.message_id)), timeout_s=timeout_s
        )
        return self.outcomes(command.message_id)[0].payload

    async def probe(self, account: AccountRef, *, timeout_s: float = 180.0) -> Envelope[Payload]:
        """Send a command the processor rejects at once and wait for the answer: it is
        consuming its commands (an unknown instrument touches no market or position)."""
        command = self.desk.submit(account, PROBE_SYMBOL, OrderSide.BUY, 1)
        await self.desk.send(command)
        await self.answered(command, timeout_s=timeout_s)
        return command

    async def position_feed(self, symbol: str) -> None:
        """Wait until the market feed (which starts at the end of the trades topic) reads
        every trade published from now on, and has handled every one published so far.

        A sentinel account buys at market while trades repeat until one is seen; then a
        resting sell far above the market fills on one single marker trade, which the
        partition delivers after all earlier trades of the symbol.
        """
        sentinel = await self._sentinel()
        buy = self.desk.submit(sentinel, symbol, OrderSide.BUY, 1)
        await self.desk.send(buy)
        await self.answered(buy)
        await self.desk.trade_until(
            symbol, SENTINEL_PRICE, status_is(self.pool, buy.message_id, "FILLED")
        )
        await self.flush(symbol)

    async def flush(self, symbol: str) -> None:
        """Once the feed is positioned: wait until it handled every trade sent so far."""
        sentinel = await self._sentinel()
        sell = self.desk.submit(
            sentinel, symbol, OrderSide.SELL, 1, order_type="LIMIT", limit_price=MARKER_LIMIT
        )
        await self.desk.send(sell)
        await self.answered(sell)
        await self.desk.trade(symbol, MARKER_PRICE)
        await until(status_is(self.pool, sell.message_id, "FILLED"))

    async def _sentinel(self) -> AccountRef:
        if self.sentinel is None:
            self.sentinel = await self.account()
        return self.sentinel


@asynccontextmanager
async def order_world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[World]:
    topics = OrderTopics.unique(unique)
    created = await topics.create(infra.kafka_bootstrap)
    name = await create_database(infra.postgres_dsn, prefix="it_op")
    dsn = with_database(infra.postgres_dsn, name)
    await apply_migrations(dsn)
    db = Database(dsn, max_size=6)
    publisher = KafkaPublisher(infra.kafka_bootstrap, linger_ms=1)
    log = EventLog(infra.kafka_bootstrap, topics.partitions(dlq_topic(topics.commands)))
    try:
        await db.start()
        await publisher.start()
        await log.start()
        yield World(infra, dsn, topics, db, Desk(publisher, topics), log)
    finally:
        await log.close()
        await publisher.close()
        await db.close()
        await drop_database(infra.postgres_dsn, name)
        await topics.remove(infra.kafka_bootstrap, created)


@asynccontextmanager
async def in_process(world: World, **settings: Any) -> AsyncIterator[ProcessorRunner]:
    """The processor's work loop in this event loop, over the world's publisher and pool."""
    values = world.topics.settings(world.infra, world.dsn, **settings)
    runner = build_runner(values, world.desk.publisher, world.db)
    runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


def start_process(world: World, workdir: Path, **env: str) -> ServiceProcess:
    """``python -m order_processor`` on a free port, on the world's names (log in workdir)."""
    workdir.mkdir(parents=True, exist_ok=True)
    names = {**world.topics.env(), "TICKSTREAM_POSTGRES_DSN": world.dsn}
    variables = service_env(PACKAGE, free_port(), world.infra, **names, **env)
    return ServiceProcess(PACKAGE, variables, workdir)
