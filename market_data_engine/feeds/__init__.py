"""Market data feeds: the adapter interface, the synthetic market, replay, publishing, health.

A ``Feed`` delivers ``FeedTrade`` batches in event-time order to a sink; ``run_feed``
publishes them as ``Trade`` envelopes on ``marketdata.trades``. ``SyntheticMarket`` (via
``synthetic_feed``) and ``ReplayFeed`` are the two implementations; live providers
implement the same ``Feed`` protocol. ``FeedHealth`` (pure) and ``FeedHealthMonitor``
(its shell) report stale feeds as metrics and ``FeedStatusChanged`` events.
"""

from market_data_engine.feeds.base import Feed, FeedError, FeedTrade, TradeBatch, TradeSink
from market_data_engine.feeds.health import FeedHealth, StatusChange
from market_data_engine.feeds.health_monitor import FeedHealthMonitor, FeedMetrics
from market_data_engine.feeds.paced import PacedFeed
from market_data_engine.feeds.pacing import Schedule, parse_speed
from market_data_engine.feeds.publishing import (
    BatchPublisher,
    FeedReport,
    producer_name,
    run_feed,
    trade_envelopes,
)
from market_data_engine.feeds.replay import ReplayFeed, ReplayStats, load_trades
from market_data_engine.feeds.replay_columns import ColumnMap, ColumnMapError, RecordKind
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.feeds.replay_rows import ReplayOptions
from market_data_engine.feeds.replay_values import Ambiguous, TimestampParser
from market_data_engine.feeds.synthetic import DEMO_SYMBOLS, SyntheticMarket, synthetic_feed
from market_data_engine.feeds.synthetic_profiles import PROFILES, MarketProfile

__all__ = [
    "DEMO_SYMBOLS",
    "PROFILES",
    "Ambiguous",
    "BatchPublisher",
    "ColumnMap",
    "ColumnMapError",
    "Feed",
    "FeedError",
    "FeedHealth",
    "FeedHealthMonitor",
    "FeedMetrics",
    "FeedReport",
    "FeedTrade",
    "MarketProfile",
    "PacedFeed",
    "RecordKind",
    "ReplayError",
    "ReplayFeed",
    "ReplayOptions",
    "ReplayStats",
    "Schedule",
    "StatusChange",
    "SyntheticMarket",
    "TimestampParser",
    "TradeBatch",
    "TradeSink",
    "load_trades",
    "parse_speed",
    "producer_name",
    "run_feed",
    "synthetic_feed",
    "trade_envelopes",
]
