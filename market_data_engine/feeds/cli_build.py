"""Building the command line's feed, health monitor and dry-run publisher from its arguments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime

from prometheus_client import CollectorRegistry

from market_data_engine.feeds.base import Feed
from market_data_engine.feeds.health import FeedHealth
from market_data_engine.feeds.health_monitor import FeedHealthMonitor, FeedMetrics
from market_data_engine.feeds.publishing import BatchPublisher, producer_name
from market_data_engine.feeds.replay import ReplayFeed
from market_data_engine.feeds.replay_columns import ColumnMap, RecordKind
from market_data_engine.feeds.replay_rows import ReplayOptions
from market_data_engine.feeds.replay_values import Ambiguous
from market_data_engine.feeds.synthetic import SyntheticMarket, synthetic_feed
from shared.bus.types import AnyEnvelope
from shared.clock import SystemClock, datetime_to_ns
from shared.instruments import InstrumentRegistry, TradingSession
from shared.messages import encode


class NullPublisher:
    """Encodes every envelope (the real cost) and sends nothing: ``--dry-run``."""

    async def publish_many(
        self, envelopes: Sequence[AnyEnvelope], topic: str | None = None
    ) -> None:
        for envelope in envelopes:
            encode(envelope)


def build_feed(args: argparse.Namespace, registry: InstrumentRegistry) -> Feed:
    """The feed the arguments describe; ValueError/FeedError when they are wrong."""
    if args.feed == "synthetic":
        market = SyntheticMarket(
            _symbols(args.symbols),
            seed=args.seed,
            registry=registry,
            respect_sessions=not args.always_open,
            activity=args.activity,
        )
        start = SystemClock().now_ns()
        if args.start:
            start = datetime_to_ns(datetime.fromisoformat(args.start))
        end = start + args.duration if args.duration else None
        return synthetic_feed(
            market, speed=args.speed, start_ns=start, end_ns=end, max_batch=args.batch_size
        )
    kind = RecordKind.BARS if args.bars else RecordKind.TRADES
    options = ReplayOptions(
        columns=ColumnMap.parse(args.columns, kind),
        timestamp_format=args.ts_format,
        timezone=args.tz,
        ambiguous=Ambiguous(args.ambiguous),
        symbol=args.symbol,
        skip_bad_rows=args.skip_bad_rows,
        delimiter=args.delimiter,
        bar_width_ns=args.bar_width,
        bar_label=args.bar_label,
        instruments=registry if args.check_instruments else None,
    )
    feed = ReplayFeed(
        args.files,
        options,
        speed=args.speed,
        skip=args.skip,
        max_pause_s=args.max_pause,
        max_batch=args.batch_size,
    )
    stats = feed.stats
    print(
        f"loaded {stats.trades} trades from {stats.rows} rows of {stats.files} file(s); "
        f"{stats.bad_rows} bad rows skipped, {stats.unsorted_files} file(s) were unsorted"
        + (f"; first bad: {stats.first_bad}" if stats.first_bad else ""),
        file=sys.stderr,
    )
    return feed


def build_health(
    args: argparse.Namespace,
    feed: Feed,
    registry: InstrumentRegistry,
    publisher: BatchPublisher,
    metrics: CollectorRegistry,
) -> FeedHealthMonitor:
    """Feed health on the feed's market clock, for the symbols known up front and any seen."""
    around_the_clock = getattr(args, "always_open", False)

    def session_of(symbol: str) -> TradingSession | None:
        instrument = registry.find(symbol)
        return None if around_the_clock or instrument is None else instrument.session

    market_clock = feed.market_clock
    health = FeedHealth(
        args.stale_after,
        session_of,
        started_ns=market_clock.now_ns(),
        symbols=_symbols(args.symbols) if args.feed == "synthetic" else (),
    )
    return FeedHealthMonitor(
        health,
        publisher,
        FeedMetrics(metrics),
        clock=market_clock,
        producer=producer_name(feed.name),
        topic=args.status_topic,
    )


def _symbols(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]
