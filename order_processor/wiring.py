"""Builds the order processor's work loop from its settings and connected resources."""

from __future__ import annotations

from collections.abc import Sequence

from order_processor.processing.faults import CrashPoint
from order_processor.processing.ledger import Ledger
from order_processor.processing.runner import ProcessorRunner, build_parts
from order_processor.settings import OrderProcessorSettings
from shared.bus.options import ConsumerOptions
from shared.bus.producer import KafkaPublisher
from shared.clock import Clock, SystemClock
from shared.db.pool import Database
from shared.instruments import InstrumentRegistry
from shared.messages.topics import ORDERS_COMMANDS, ORDERS_EVENTS, POSITIONS_EVENTS, RISK_EVENTS
from shared.resources import Resource
from shared.trading.matching import FillConfig
from shared.trading.state import EngineConfig

PRODUCER = "order_processor"


def engine_config(settings: OrderProcessorSettings) -> EngineConfig:
    """The paper exchange's fill rules from the settings."""
    return EngineConfig(
        fills=FillConfig(
            slippage_ticks=settings.paper_slippage_ticks,
            limit_fill=settings.paper_limit_fill,
            partial_fills=settings.paper_partial_fills,
        )
    )


def _topic_overrides(settings: OrderProcessorSettings) -> dict[str, str]:
    """Event type -> topic, where settings rename a registered topic (tests do)."""
    renamed = {
        ORDERS_EVENTS: settings.orders_events_topic,
        POSITIONS_EVENTS: settings.positions_events_topic,
        RISK_EVENTS: settings.risk_events_topic,
    }
    return {
        message_type: name
        for topic, name in renamed.items()
        if name != topic.name
        for message_type in topic.message_types
    }


def find(resources: Sequence[Resource]) -> tuple[KafkaPublisher, Database] | None:
    publisher = next((r for r in resources if isinstance(r, KafkaPublisher)), None)
    db = next((r for r in resources if isinstance(r, Database)), None)
    return None if publisher is None or db is None else (publisher, db)


def build_runner(
    settings: OrderProcessorSettings,
    publisher: KafkaPublisher,
    db: Database,
    *,
    instruments: InstrumentRegistry | None = None,
    clock: Clock | None = None,
) -> ProcessorRunner:
    """The processor's work loop over the service's publisher and database."""
    registry = instruments or InstrumentRegistry.with_standard_futures()
    crash = CrashPoint(settings.orders_crash_at, settings.orders_crash_after)

    def build() -> object:
        ledger = Ledger(
            db,
            registry,
            engine_config(settings),
            clock or SystemClock(),
            consumer=settings.orders_consumer_group,
            producer=PRODUCER,
            outbox_topics=_topic_overrides(settings),
            crash=crash,
            commands_topic=settings.orders_commands_topic,
        )
        options = ConsumerOptions(
            client_id=f"{settings.kafka_client_id_prefix}-{PRODUCER}-commands",
            max_batch=settings.orders_batch_max_records,
            poll_timeout_ms=100,
        )
        return build_parts(
            ledger,
            publisher,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=settings.orders_consumer_group,
            commands_topic=settings.orders_commands_topic,
            partitions=ORDERS_COMMANDS.partitions,
            market_topics=(settings.orders_trades_topic, settings.orders_bars_topic),
            bar_timeframe=settings.orders_bar_timeframe,
            options=options,
            client_id=f"{settings.kafka_client_id_prefix}-{PRODUCER}-market",
        )

    return ProcessorRunner(build, dependencies=(publisher, db))  # type: ignore[arg-type]
