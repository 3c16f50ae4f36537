"""Backtest jobs through ``backtest.requests`` in the strategy workers over real Kafka,
Postgres and InfluxDB: candles stored as the market data engine stores them, a job run in
a worker process, its results stored and its answer published."""

from __future__ import annotations

import dataclasses
import random
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from shared.backtest import BarSeries, run_backtest, series
from shared.backtest.jobs import completed, options_of
from shared.bus import ensure_topics
from shared.clock import SystemClock
from shared.db.strategies import BacktestStatus
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.backtest import BacktestError, RunBacktest
from shared.messages.schemas.marketdata import Bar
from shared.strategy.definition import StrategyDefinition
from strategy_workers.domain import backtests_report as report
from strategy_workers.runtime.worker import WorkerRunner
from tests.infra import Endpoints
from tests.integration.strategy_workers.market import MINUTE, minute_bars, store
from tests.integration.strategy_workers.world import (
    StrategyWorld,
    strategy_world,
    worker_in_process,
)
from tests.support.event_log import EventLog, until
from tests.support.order_rig import unique_symbol

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

PARTITIONS = 2
ANSWERS = ("BacktestCompleted", "BacktestFailed")


@dataclass
class Jobs:
    """One test's backtest topics and group, the worker serving them, and their answers."""

    world: StrategyWorld
    requests: str
    group: str
    answers: EventLog
    worker: WorkerRunner

    async def send(self, payload: RunBacktest) -> Envelope[Payload]:
        envelope = new_envelope(payload, clock=SystemClock(), producer="it-gateway")
        await self.world.orders.desk.publisher.publish(envelope, topic=self.requests)
        return envelope

    def answers_to(self, backtest_id: uuid.UUID) -> list[Envelope[Payload]]:
        found = self.answers.envelopes(*ANSWERS)
        return [e for e in found if e.payload.backtest_id == backtest_id]

    async def answered(self, backtest_id: uuid.UUID, count: int = 1) -> Envelope[Payload]:
        await self.answers.wait_for(lambda: len(self.answers_to(backtest_id)) >= count,
                                    timeout_s=300)  # fmt: skip
        return self.answers_to(backtest_id)[-1]

    async def committed(self) -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.world.infra.kafka_bootstrap)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(self.group)
        finally:
            await admin.close()
        return sum(max(0, o.offset) for o in offsets.values())


@pytest.fixture
async def jobs(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[Jobs]:
    requests, results = unique("it.sw.bt.requests"), unique("it.sw.bt.results")
    group = unique("it-sw-bt")
    async with strategy_world(infra, unique) as world:
        created = await ensure_topics(
            infra.kafka_bootstrap, [(requests, PARTITIONS), (results, PARTITIONS)]
        )
        answers = EventLog(infra.kafka_bootstrap, {results: PARTITIONS})
        await answers.start()
        settings = {
            "strategy_backtest_requests_topic": requests,
            "strategy_backtest_results_topic": results,
            "strategy_backtest_group": group,
        }
        try:
            async with worker_in_process(world, **settings) as worker:
                yield Jobs(world, requests, group, answers, worker)
        finally:
            await answers.close()
            await world.orders.topics.remove(infra.kafka_bootstrap, created)


def walk(count: int, seed: int = 11) -> list[float]:
    rng, price, out = random.Random(seed), 5000.0, []
    for _ in range(count):
        price += rng.choice((-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0))
        out.append(price)
    return out


def series_of(bars: Sequence[Bar]) -> BarSeries:
    def col(name: str) -> list[float]:
        return [float(getattr(b, name)) for b in bars]

    return series(
        bars[0].symbol, bars[0].timeframe, [b.open_time for b in bars],
        [b.close_time for b in bars], col("open"), col("high"), col("low"), col("close"),
        col("volume"),
    )  # fmt: skip


def request(d: StrategyDefinition, bars: Sequence[Bar], **fields: Any) -> RunBacktest:
    values: dict[str, Any] = {
        "account_id": d.account_id, "user_id": d.user_id, "backtest_id": uuid.uuid4(),
        "strategy_id": d.strategy_id, "strategy_version": d.version,
        "symbols": (d.subscriptions[0].symbol,), "timeframe": "1m",
        "start_time": bars[0].open_time, "end_time": bars[-1].close_time,
        "initial_capital": Decimal(80_000), **fields,
    }  # fmt: skip
    return RunBacktest(**values)


async def test_a_job_is_run_stored_and_answered_as_a_direct_backtest_would(jobs: Jobs) -> None:
    world = jobs.world
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol, parameters={"fast": 5, "slow": 20})
    bars = minute_bars(symbol, walk(400), hours_ago=10)
    before = minute_bars(symbol, [4000.0] * 5, hours_ago=11)  # stored, outside the period
    await store(world, [*before, *bars])
    asked = request(d, bars, parameters={"fast": 4})
    sent = await jobs.send(asked)
    answer = await jobs.answered(asked.backtest_id)

    overridden = dataclasses.replace(d, parameters={"fast": 4, "slow": 20})
    registry = InstrumentRegistry.with_standard_futures()
    direct = run_backtest(overridden, [series_of(bars)], options_of(asked), instruments=registry)
    want = completed(asked, direct, 0, 0)
    times = {"started_at", "finished_at"}
    assert answer.type == "BacktestCompleted", answer.payload
    assert answer.payload.model_dump(exclude=times) == want.model_dump(exclude=times)
    assert want.trade_count > 2 and want.bars_processed == len(bars)
    assert answer.causation_id == sent.message_id

    row = await world.store.backtest(asked.backtest_id, d.user_id)
    assert row is not None and row.status is BacktestStatus.COMPLETED
    assert row.summary["statistics"] == report.statistics(direct.statistics)
    assert row.trades == report.trades(direct)
    assert row.equity["points"] == len(direct.equity) == len(bars)
    assert row.request["parameters"] == {"fast": 4}
    assert (row.started_at_ns, row.finished_at_ns) == (
        answer.payload.started_at,
        answer.payload.finished_at,
    )

    async def committed() -> bool:
        return await jobs.committed() >= 1

    await until(committed, timeout_s=60)

    # delivered again (the gateway retrying): the stored answer again, under the same id
    await jobs.send(asked)
    again = await jobs.answered(asked.backtest_id, count=2)
    assert again.message_id == answer.message_id and again.payload == answer.payload
    row_again = await world.store.backtest(asked.backtest_id, d.user_id)
    assert row_again is not None and row_again.finished_at_ns == row.finished_at_ns


async def test_a_job_for_an_unknown_strategy_is_answered_unknown_and_not_stored(
    jobs: Jobs,
) -> None:
    world = jobs.world
    account, symbol = await world.orders.account(), unique_symbol()
    d = await world.crossover(account, symbol)
    now = time.time_ns() // MINUTE * MINUTE
    asked = RunBacktest(
        account_id=d.account_id, user_id=d.user_id, backtest_id=uuid.uuid4(),
        strategy_id=uuid.uuid4(), strategy_version=1, symbols=(symbol,), timeframe="1m",
        start_time=now - 60 * MINUTE, end_time=now, initial_capital=Decimal(10_000),
    )  # fmt: skip
    await jobs.send(asked)
    answer = await jobs.answered(asked.backtest_id)
    assert answer.type == "BacktestFailed"
    assert answer.payload.error is BacktestError.UNKNOWN_STRATEGY
    assert str(asked.strategy_id) in answer.payload.message
    assert await world.store.backtest(asked.backtest_id, d.user_id) is None
