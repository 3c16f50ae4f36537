"""Builds the candle pipeline from the engine's settings and its connected stores."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from market_data_engine.pipeline.config import PipelineConfig, forming_ttls_ms
from market_data_engine.pipeline.decoding import BodyDecoder, TradeDecoder
from market_data_engine.pipeline.engine import CandlePipeline
from market_data_engine.pipeline.runner import LivePipeline
from market_data_engine.pipeline.snapshots import SnapshotStore
from market_data_engine.pipeline.symbols import SymbolDirectory
from market_data_engine.pipeline.writer import OutputWriter
from market_data_engine.settings import MarketDataEngineSettings
from shared.bus.batch import BatchConsumer
from shared.bus.options import ConsumerOptions
from shared.bus.producer import KafkaPublisher
from shared.bus.retry import RetryPolicy
from shared.cache import Cache
from shared.clock import Clock, SystemClock
from shared.instruments import InstrumentRegistry
from shared.tsdb import InfluxDB

NANOS_PER_SECOND = 1_000_000_000
PRODUCER = "market_data_engine"
LINGER_MS = 100
"""How long a batch may wait for more records: bigger batches, fewer writes per trade."""


@dataclass(frozen=True, slots=True)
class Stores:
    """The connections the pipeline writes through (the service's supervised resources)."""

    publisher: KafkaPublisher
    influx: InfluxDB
    cache: Cache


def pipeline_config(settings: MarketDataEngineSettings) -> PipelineConfig:
    """The aggregation settings."""
    return PipelineConfig(
        timeframes=settings.timeframes,
        grace_ns=round(settings.marketdata_grace_s * NANOS_PER_SECOND),
        live=settings.marketdata_live,
        snapshot_interval_ns=round(settings.marketdata_snapshot_interval_s * NANOS_PER_SECOND),
    )


def build_handler(
    settings: MarketDataEngineSettings,
    stores: Stores,
    *,
    decoders: Mapping[tuple[str, int], BodyDecoder],
    registry: InstrumentRegistry | None = None,
    clock: Clock | None = None,
    policy: RetryPolicy | None = None,
) -> CandlePipeline:
    """A fresh pipeline handler (no partition state yet)."""
    clock = clock or SystemClock()
    config = pipeline_config(settings)
    group = settings.marketdata_consumer_group
    symbols = SymbolDirectory(
        registry or InstrumentRegistry.with_standard_futures(), settings.non_positive_price_roots
    )
    writer = OutputWriter(
        publisher=stores.publisher,
        influx=stores.influx,
        cache=stores.cache,
        policy=policy or RetryPolicy(),
        rng=random.Random(),
        clock=clock,
        bars_topic=settings.marketdata_bars_topic,
        group_id=group,
        producer=PRODUCER,
        forming_ttl_ms=forming_ttls_ms(config.timeframes, config.grace_ns),
    )
    return CandlePipeline(
        config,
        decoder=TradeDecoder(decoders, symbols),
        symbols=symbols,
        writer=writer,
        snapshots=SnapshotStore(stores.cache, group),
        clock=clock,
    )


def build_live_pipeline(
    settings: MarketDataEngineSettings,
    stores: Stores,
    *,
    decoders: Mapping[tuple[str, int], BodyDecoder],
    registry: InstrumentRegistry | None = None,
    clock: Clock | None = None,
    options: ConsumerOptions | None = None,
) -> LivePipeline:
    """The pipeline the service runs: a new consumer and handler after each failure."""
    options = options or ConsumerOptions(
        client_id=f"{settings.kafka_client_id_prefix}-{settings.service_name}-candles",
        max_batch=settings.marketdata_batch_max_records,
        poll_timeout_ms=200,
    )

    def build() -> BatchConsumer:
        handler = build_handler(settings, stores, decoders=decoders, registry=registry, clock=clock)
        return BatchConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            group_id=settings.marketdata_consumer_group,
            topics=[settings.marketdata_trades_topic],
            handler=handler,
            options=options,
            linger_ms=LINGER_MS,
        )

    return LivePipeline(build, dependencies=(stores.publisher, stores.cache, stores.influx))
