"""A strategy workers test's world: an order processor's world plus the workers' own names.

``strategy_world`` makes on top of ``order_world`` (unique topics, a private migrated
database, an event log of the processor's output) the control and signals topics, the
workers' consumer groups, an InfluxDB database of its own, a strategy store and a log of
what the workers publish; and removes all of it afterwards. A worker runs in process
(``worker_in_process``) or as ``python -m strategy_workers`` (``start_worker``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.bus import ensure_topics
from shared.clock import SystemClock
from shared.db.strategies import StrategyStore
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.strategy import StartStrategy
from shared.strategy.definition import StrategyDefinition
from shared.tsdb import InfluxDB
from strategy_workers.runtime.worker import WorkerRunner
from strategy_workers.settings import StrategyWorkersSettings
from strategy_workers.wiring import build_runner
from tests.infra import Endpoints
from tests.integration.services.process import ServiceProcess, free_port, service_env
from tests.integration.strategy_workers.names import WorkerNames
from tests.support.event_log import EventLog
from tests.support.order_rig import AccountRef
from tests.support.order_world import World, order_world

PACKAGE = "strategy_workers"
PARTITIONS = 3


@dataclass
class StrategyWorld:
    """One test's servers, names, stores and logs."""

    orders: World
    names: WorkerNames
    influx: InfluxDB
    store: StrategyStore
    log: EventLog
    """What reaches the signals and commands topics."""

    @property
    def infra(self) -> Endpoints:
        return self.orders.infra

    async def crossover(
        self, account: AccountRef, symbol: str, *, code_ref: str = "builtin:ma_crossover",
        parameters: dict[str, Any] | None = None,
    ) -> StrategyDefinition:  # fmt: skip
        """A strategy (the moving-average crossover, fast 2 over slow 3, by default)."""
        return await self.store.create(
            user_id=account.user_id,
            account_id=account.account_id,
            name=f"it-{symbol}",
            code_ref=code_ref,
            subscriptions=[(symbol, "1m")],
            parameters={"fast": 2, "slow": 3} if parameters is None else parameters,
            ts_ns=time.time_ns(),
        )

    async def control(
        self, cls: type[Any], d: StrategyDefinition, **fields: Any
    ) -> Envelope[Payload]:
        payload = cls(
            account_id=d.account_id, user_id=d.user_id, strategy_id=d.strategy_id,
            strategy_version=d.version, **fields,
        )  # fmt: skip
        envelope = new_envelope(payload, clock=SystemClock(), producer="it-gateway")
        await self.orders.desk.publisher.publish(envelope, topic=self.names.control)
        return envelope

    async def started(self, d: StrategyDefinition) -> None:
        """Send a start and wait for its answer."""
        command = await self.control(StartStrategy, d)
        await self.log.wait_for(lambda: bool(self.log.caused_by(command.message_id)))

    def statuses(self, d: StrategyDefinition) -> list[Any]:
        found = self.log.payloads("StrategyStatusChanged")
        return [p for p in found if p.strategy_id == d.strategy_id]

    def settings(self, **overrides: Any) -> StrategyWorkersSettings:
        values: dict[str, Any] = {
            "kafka_bootstrap_servers": self.infra.kafka_bootstrap,
            "postgres_dsn": self.orders.dsn,
            "influx_url": self.infra.influx_url,
            "strategy_refresh_interval_s": 0.2,
            **self.names.fields(self.orders.topics),
        }
        return StrategyWorkersSettings(_env_file=None, **{**values, **overrides})

    def env(self) -> dict[str, str]:
        """The environment variables pointing a worker process at these names."""
        fields = {
            **self.names.fields(self.orders.topics),
            "postgres_dsn": self.orders.dsn,
            "strategy_refresh_interval_s": 0.2,
        }
        return {f"TICKSTREAM_{name.upper()}": str(value) for name, value in fields.items()}


@asynccontextmanager
async def strategy_world(
    infra: Endpoints, unique: Callable[[str], str]
) -> AsyncIterator[StrategyWorld]:
    names = WorkerNames.unique(unique)
    async with order_world(infra, unique) as orders:
        created = await ensure_topics(
            infra.kafka_bootstrap,
            [
                (name, PARTITIONS)
                for name in (
                    names.control,
                    names.signals,
                    names.backtest_requests,
                    names.backtest_results,
                )
            ],
        )
        influx = InfluxDB(infra.influx_url, names.influx_database)
        log = EventLog(
            infra.kafka_bootstrap,
            {names.signals: PARTITIONS, orders.topics.commands: 12},
        )
        await influx.start()
        await influx.create_database()
        await log.start()
        try:
            yield StrategyWorld(orders, names, influx, StrategyStore(orders.pool), log)
        finally:
            await log.close()
            await influx.drop_database(names.influx_database)
            await influx.close()
            await orders.topics.remove(infra.kafka_bootstrap, created)


@asynccontextmanager
async def worker_in_process(world: StrategyWorld, **settings: Any) -> AsyncIterator[WorkerRunner]:
    """The workers' loop in this event loop, over the world's publisher, pool and InfluxDB."""
    runner = build_runner(world.settings(**settings), world.orders.desk.publisher,
                          world.orders.db, world.influx)  # fmt: skip
    runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


def start_worker(world: StrategyWorld, workdir: Path, **env: str) -> ServiceProcess:
    """``python -m strategy_workers`` on a free port, on the world's names (log in workdir)."""
    workdir.mkdir(parents=True, exist_ok=True)
    variables = service_env(PACKAGE, free_port(), world.infra, **world.env(), **env)
    return ServiceProcess(PACKAGE, variables, workdir)


@asynccontextmanager
async def second_bars_topic(world: StrategyWorld) -> AsyncIterator[str]:
    """Another bars topic (for an order processor's ``orders_bars_topic`` apart from the
    workers'), removed afterwards."""
    name = f"{world.orders.topics.bars}.second"
    created = await ensure_topics(world.infra.kafka_bootstrap, [(name, PARTITIONS)])
    try:
        yield name
    finally:
        await world.orders.topics.remove(world.infra.kafka_bootstrap, created)
