"""``python -m market_data_engine.feeds``: run one feed into Kafka until it ends or SIGINT/SIGTERM.

    python -m market_data_engine.feeds synthetic --symbols ESZ6,NQZ6 --seed 7 --speed 1
    python -m market_data_engine.feeds replay day.csv --columns ts=timestamp,price=px \\
        --tz America/Chicago --speed 10
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Callable, Sequence

from prometheus_client import CollectorRegistry, start_http_server

from market_data_engine.feeds.base import Feed, FeedError
from market_data_engine.feeds.cli_args import build_parser
from market_data_engine.feeds.cli_build import NullPublisher, build_feed, build_health
from market_data_engine.feeds.publishing import BatchPublisher, FeedReport, run_feed
from market_data_engine.feeds.replay import ReplayFeed
from shared.bus import KafkaPublisher
from shared.clock import SystemClock
from shared.instruments import InstrumentRegistry
from shared.settings import CommonSettings

PROGRESS_EVERY_NS = 5 * 10**9


def _progress_printer() -> Callable[[FeedReport], None]:
    last = [0]

    def show(report: FeedReport) -> None:
        now = SystemClock().now_ns()
        if now - last[0] >= PROGRESS_EVERY_NS:
            last[0] = now
            print(report.summary(), file=sys.stderr)

    return show


async def run(args: argparse.Namespace, feed: Feed, registry: InstrumentRegistry) -> FeedReport:
    """Connect, run the feed until done or SIGINT/SIGTERM, return the report."""
    settings = CommonSettings()
    publisher: BatchPublisher = NullPublisher()
    kafka: KafkaPublisher | None = None
    if not args.dry_run:
        kafka = KafkaPublisher(
            args.bootstrap or settings.kafka_bootstrap_servers,
            client_id=f"{settings.kafka_client_id_prefix}-feed-{feed.name}",
        )
        await kafka.start()
        publisher = kafka
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    metrics = CollectorRegistry()
    if args.metrics_port:
        start_http_server(args.metrics_port, registry=metrics)
    health = None if args.no_health else build_health(args, feed, registry, publisher, metrics)
    try:
        return await run_feed(
            feed,
            publisher,
            batch_size=args.batch_size,
            stop=stop,
            topic=args.topic,
            health=health,
            on_progress=_progress_printer(),
        )
    finally:
        if kafka is not None:
            await kafka.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, print the report; exit status 2 when the arguments or files are wrong."""
    args = build_parser().parse_args(argv)
    registry = InstrumentRegistry.with_standard_futures()
    try:
        feed = build_feed(args, registry)
    except (FeedError, ValueError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(run(args, feed, registry))
    finally:
        if isinstance(feed, ReplayFeed):
            print(f"to resume after what was published: --skip {feed.position}", file=sys.stderr)
    print(report.summary(), file=sys.stderr)
    return 0
