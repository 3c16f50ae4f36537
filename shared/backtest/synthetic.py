"""Seeded synthetic candles for examples, tests and benchmarks (not a market model)."""

from __future__ import annotations

import numpy as np

from shared.backtest.bars import BarSeries, series
from shared.backtest.timeframes import width_ns

START_NS = 1_767_571_200_000_000_000
"""2026-01-05 00:00 UTC, a Monday."""


def random_walk(
    bars: int,
    *,
    symbol: str = "ESZ6",
    timeframe: str = "1m",
    start_ns: int = START_NS,
    price: float = 5000.0,
    tick: float = 0.25,
    step_ticks: float = 2.0,
    seed: int = 7,
) -> BarSeries:
    """``bars`` contiguous candles of a random walk on the tick grid, the same for a seed.

    Each bar opens at the previous close, moves by a normal step of ``step_ticks`` ticks
    (standard deviation) and reaches a little beyond its open and close each way; the walk
    is reflected at a tenth of the starting price so prices stay positive.
    """
    rng = np.random.default_rng(seed)
    steps = np.rint(rng.normal(0.0, step_ticks, bars))
    ticks = np.rint(price / tick) + np.cumsum(steps)
    floor = np.rint(price / tick / 10)
    ticks = np.where(ticks < floor, 2 * floor - ticks, ticks)
    closes = ticks * tick
    opens = np.concatenate(([price], closes[:-1]))
    up = np.rint(np.abs(rng.normal(0.0, step_ticks / 2, bars))) * tick
    down = np.rint(np.abs(rng.normal(0.0, step_ticks / 2, bars))) * tick
    highs = np.maximum(opens, closes) + up
    lows = np.maximum(np.minimum(opens, closes) - down, tick)
    volume = rng.integers(50, 5000, bars).astype(np.float64)
    width = width_ns(timeframe)
    open_time = start_ns + np.arange(bars, dtype=np.int64) * width
    return series(
        symbol,
        timeframe,
        open_time,
        open_time + width,
        opens,
        highs,
        lows,
        closes,
        volume,
        np.round((highs + lows + closes) / 3, 6),
        where="synthetic",
    )
