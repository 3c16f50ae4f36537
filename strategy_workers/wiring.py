"""Builds the strategy workers' work loop from their settings and connected resources."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from shared.backtest.influx_source import load_influx
from shared.bus.batch import BatchConsumer
from shared.bus.consumer import ConsumerLoop
from shared.bus.options import ConsumerOptions
from shared.bus.producer import KafkaPublisher
from shared.clock import Clock, SystemClock
from shared.db.pool import Database
from shared.db.strategies import StrategyStore
from shared.instruments import InstrumentRegistry
from shared.messages.topics import BACKTEST_RESULTS, ORDERS_COMMANDS, STRATEGY_SIGNALS
from shared.resources import Resource
from shared.tsdb import InfluxDB
from strategy_workers.adapters.candles import InfluxCandleHistory
from strategy_workers.adapters.partitions import partition_count, placement, starts
from strategy_workers.handlers import (
    backtest_handlers,
    bar_handlers,
    control_handlers,
    order_event_handlers,
)
from strategy_workers.runtime.backtests import BacktestHandler
from strategy_workers.runtime.backtests_lane import BacktestLane
from strategy_workers.runtime.backtests_pool import ProcessCompute
from strategy_workers.runtime.backtests_runner import BacktestRunner
from strategy_workers.runtime.bars import BarBatches
from strategy_workers.runtime.desk import PRODUCER, Desk, DeskConfig
from strategy_workers.runtime.faults import CrashPoint
from strategy_workers.runtime.order_events import OrderEventsFeed
from strategy_workers.runtime.outbound import Outbound, topic_map
from strategy_workers.runtime.records import Intake
from strategy_workers.runtime.refresh import Refresher
from strategy_workers.runtime.worker import Parts, WorkerRunner
from strategy_workers.settings import StrategyWorkersSettings


def find(resources: Sequence[Resource]) -> tuple[KafkaPublisher, Database, InfluxDB] | None:
    """The Kafka publisher, Postgres and InfluxDB among the resources (None if not all)."""
    publisher = next((r for r in resources if isinstance(r, KafkaPublisher)), None)
    db = next((r for r in resources if isinstance(r, Database)), None)
    influx = next((r for r in resources if isinstance(r, InfluxDB)), None)
    if publisher is None or db is None or influx is None:
        return None
    return publisher, db, influx


def outbound_for(settings: StrategyWorkersSettings, publisher: KafkaPublisher) -> Outbound:
    """Orders to the commands topic, signals and statuses to the signals topic, backtest
    answers to the results topic."""
    renamed = {
        ORDERS_COMMANDS.name: settings.strategy_commands_topic,
        STRATEGY_SIGNALS.name: settings.strategy_signals_topic,
        BACKTEST_RESULTS.name: settings.strategy_backtest_results_topic,
    }
    return Outbound(publisher, topic_map(renamed))


def build_runner(
    settings: StrategyWorkersSettings,
    publisher: KafkaPublisher,
    db: Database,
    influx: InfluxDB,
    *,
    instruments: InstrumentRegistry | None = None,
    clock: Clock | None = None,
) -> WorkerRunner:
    """The workers' loop over the service's publisher, database and InfluxDB."""
    registry = instruments or InstrumentRegistry.with_standard_futures()
    time = clock or SystemClock()
    crash = CrashPoint(settings.strategy_crash_at, settings.strategy_crash_after)
    outbound = outbound_for(settings, publisher)
    bootstrap = settings.kafka_bootstrap_servers
    prefix = f"{settings.kafka_client_id_prefix}-{PRODUCER}"
    config = DeskConfig(settings.strategy_warmup_bars, settings.strategy_history_size)

    async def build() -> Parts:
        count = await partition_count(bootstrap, settings.strategy_bars_topic)
        store = StrategyStore(db.pool, registry)
        history = InfluxCandleHistory(influx)
        desk = Desk(store, history, registry, time, place=placement(count), config=config)
        group = settings.strategy_bars_group
        intake = Intake(bar_handlers(desk), outbound, group, time)
        bars = BatchConsumer(
            bootstrap_servers=bootstrap,
            group_id=group,
            topics=[settings.strategy_bars_topic],
            handler=BarBatches(
                desk, intake, outbound, starts=partial(starts, bootstrap, group), crash=crash
            ),
            options=ConsumerOptions(
                client_id=f"{prefix}-bars",
                max_batch=settings.strategy_batch_max_records,
                poll_timeout_ms=200,
            ),
        )
        control = ConsumerLoop(
            bootstrap_servers=bootstrap,
            group_id=settings.strategy_control_group,
            topics=[settings.strategy_control_topic],
            handlers=control_handlers(desk),
            publisher=outbound,
            options=ConsumerOptions(client_id=f"{prefix}-control", poll_timeout_ms=200),
            clock=time,
        )
        events = OrderEventsFeed(
            desk,
            order_event_handlers(desk),
            outbound,
            bootstrap,
            settings.strategy_order_events_topic,
            client_id=f"{prefix}-events",
        )
        refresher = Refresher(desk, outbound, settings.strategy_refresh_interval_s)
        return Parts(desk, events, bars, control, refresher)

    backtests = build_backtests(settings, publisher, db, influx, instruments=registry, clock=time)
    return WorkerRunner(build, dependencies=(publisher, db, influx), beside=[backtests])


def build_backtests(
    settings: StrategyWorkersSettings,
    publisher: KafkaPublisher,
    db: Database,
    influx: InfluxDB,
    *,
    instruments: InstrumentRegistry,
    clock: Clock,
) -> BacktestRunner:
    """The backtest jobs' loop: ``backtest.requests`` run in worker processes."""
    outbound = outbound_for(settings, publisher)
    compute = ProcessCompute(settings.strategy_backtest_workers)
    prefix = f"{settings.kafka_client_id_prefix}-{PRODUCER}"

    handlers: list[BacktestHandler] = []  # one for every lane: its runs outlive a lane

    def build() -> BacktestLane:
        if not handlers:  # made once the pool is up
            handlers.append(BacktestHandler(
                StrategyStore(db.pool, instruments), partial(load_influx, influx), compute,
                instruments, clock, equity_points=settings.strategy_backtest_equity_points,
            ))  # fmt: skip
        return BacktestLane(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=settings.strategy_backtest_group,
            topic=settings.strategy_backtest_requests_topic,
            handlers=backtest_handlers(handlers[0]),
            publisher=outbound,
            slots=settings.strategy_backtest_workers,
            options=ConsumerOptions(client_id=f"{prefix}-backtests", poll_timeout_ms=200),
            clock=clock,
        )

    return BacktestRunner(build, (publisher, db, influx), compute)
