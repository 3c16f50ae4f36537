"""The synthetic market: seeded trade streams of several instruments, merged in event time.

Each symbol draws from its own generator seeded by (seed, symbol), so adding a symbol never
changes another's trades. The same seed and start give the same trades, trade ids included.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import itertools
from collections.abc import Iterator, Mapping, Sequence
from operator import attrgetter

import numpy as np

from market_data_engine.feeds.base import FeedTrade
from market_data_engine.feeds.paced import PacedFeed, Sleep
from market_data_engine.feeds.synthetic_profiles import MarketProfile, profile_for
from market_data_engine.feeds.synthetic_symbol import SymbolGenerator
from shared.clock import Clock, SystemClock
from shared.instruments import InstrumentRegistry

DEMO_SYMBOLS = ("ESZ6", "NQZ6", "CLF7", "GCG7")
_BY_TS = attrgetter("ts")


class SyntheticMarket:
    """Trades of ``symbols`` (each a registered instrument or futures contract of one)."""

    def __init__(
        self,
        symbols: Sequence[str],
        *,
        seed: int,
        registry: InstrumentRegistry | None = None,
        profiles: Mapping[str, MarketProfile] | None = None,
        respect_sessions: bool = True,
        activity: float = 1.0,
    ) -> None:
        if not symbols:
            raise ValueError("the synthetic market needs at least one symbol")
        if len(set(symbols)) != len(symbols):
            raise ValueError(f"symbols repeat: {', '.join(symbols)}")
        if activity <= 0:
            raise ValueError("activity must be positive")
        registry = registry or InstrumentRegistry.with_standard_futures()
        self.instruments = [registry.get(symbol) for symbol in symbols]  # unknown ones raise
        self.seed = seed
        self._profiles = dict(profiles or {})
        self._respect_sessions = respect_sessions
        self._activity = activity

    @property
    def symbols(self) -> list[str]:
        return [instrument.symbol for instrument in self.instruments]

    def trades(self, start_ns: int, end_ns: int | None = None) -> Iterator[FeedTrade]:
        """Every trade from ``start_ns`` (up to ``end_ns``, exclusive), in event-time order."""
        tag = hashlib.blake2b(f"{self.seed}:{start_ns}".encode(), digest_size=3).hexdigest()
        streams = []
        for instrument in self.instruments:
            generator = SymbolGenerator(
                instrument,
                profile_for(instrument.symbol, instrument.root, self._profiles),
                _rng(self.seed, instrument.symbol),
                start_ns,
                trade_id_prefix=f"{instrument.symbol}-{tag}-",
                respect_sessions=self._respect_sessions,
                activity=self._activity,
            )
            streams.append(iter(generator))
        merged = heapq.merge(*streams, key=_BY_TS)
        if end_ns is None:
            return merged
        return itertools.takewhile(lambda trade: trade.ts < end_ns, merged)


def _rng(seed: int, symbol: str) -> np.random.Generator:
    digest = hashlib.blake2b(f"{seed}:{symbol}".encode(), digest_size=16).digest()
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest, "big")))


def synthetic_feed(
    market: SyntheticMarket,
    *,
    speed: float = 1.0,
    start_ns: int | None = None,
    end_ns: int | None = None,
    max_batch: int = 1000,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> PacedFeed:
    """The market as a ``Feed``: from ``start_ns`` (default now) at ``speed`` (1 = live)."""
    clock = clock or SystemClock()
    start = clock.now_ns() if start_ns is None else start_ns
    return PacedFeed(
        "synthetic",
        market.trades(start, end_ns),
        speed=speed,
        max_batch=max_batch,
        origin_ns=start,
        clock=clock,
        sleep=sleep or asyncio.sleep,
    )
