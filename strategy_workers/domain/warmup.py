"""Warm-up: the stored candles a strategy is fed before its first live bar, in what order.

A strategy's first live bar (after a start, a restart or a rebalance) first gets the
stored candles of every subscription that the market data engine published before it,
fed in publication order; the live bar follows. Per symbol, candles are published in the
order of their close time and, at the same close time, the shorter timeframe first (a 1m
candle closing at 10:05 before the 5m one). ``precedes`` is that order, so a worker that
starts again at any bar rebuilds the state the previous one had when it got there.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence

from shared.strategy.candles import Candle


def order_key(candle: Candle) -> tuple[int, int]:
    """Where a candle comes in its symbol's stream: close time, then length."""
    return candle.close_time, candle.close_time - candle.open_time


def precedes(candle: Candle, live: Candle) -> bool:
    """True when ``candle`` was published before ``live`` (and so belongs to its warm-up)."""
    return order_key(candle) < order_key(live)


def warm_sequence(series: Iterable[Sequence[Candle]], live: Candle, depth: int) -> list[Candle]:
    """The newest ``depth`` candles of each series that precede ``live``, merged in order.

    Each series is one subscription's candles, oldest first (it may hold more, or
    ``live`` itself: they are left out).
    """
    kept: list[list[Candle]] = []
    for candles in series:
        before = [c for c in candles if precedes(c, live)]
        kept.append(before[-depth:] if depth > 0 else [])
    return list(heapq.merge(*kept, key=lambda c: (*order_key(c), c.symbol, c.timeframe)))
