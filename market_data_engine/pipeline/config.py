"""How the pipeline aggregates: timeframes, grace, live mode, how often states are saved."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES, parse_timeframes

NANOS_PER_SECOND = 1_000_000_000


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """How trades become candles."""

    timeframes: tuple[str, ...] = DEFAULT_TIMEFRAMES
    grace_ns: int = 2 * NANOS_PER_SECOND
    live: bool = True
    """Close candles by the clock too (off when history is replayed into the engine)."""
    snapshot_interval_ns: int = 0
    """Save a partition's state at most this often (0: after every batch that changed it)."""


def forming_ttls_ms(timeframes: Collection[str], grace_ns: int) -> Mapping[str, int]:
    """How long a forming candle stays in Redis untouched: its width, the grace and a margin."""
    margin = 60 * NANOS_PER_SECOND
    return {
        tf.name: (tf.width_ns + grace_ns + max(margin, tf.width_ns // 10)) // 1_000_000
        for tf in parse_timeframes(timeframes)
    }
