"""Candle aggregation speed, 6 timeframes: ``uv run python bench/aggregation.py [trades]``.

Measures, on the same synthetic ES trades (integer ticks, time-sorted): the streaming
aggregator fed one trade at a time, the numpy batch form, and pandas resampling of every
timeframe as the baseline. Prints the best and the median of a few runs (the machine is
shared, so the best run is the least disturbed one).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.batch import aggregate
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.instruments import CME_GLOBEX

START_NS = 1_709_800_000_000_000_000  # 2024-03-07: the run spans the DST change of 10 March
REPEATS = 3


def synthetic_trades(
    count: int, mean_gap_ns: float, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bursty trades: exponential gaps with occasional quiet spells, a tick random walk."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(mean_gap_ns, count).astype(np.int64)
    gaps[rng.random(count) < 0.001] *= 200  # quiet spells
    ts = START_NS + np.cumsum(gaps)
    price = 20_000 + np.cumsum(rng.integers(-1, 2, count))  # ES around 5000.00, in ticks
    size = rng.geometric(0.3, count).astype(np.int64)
    return ts, price, size


def streaming(ts: list[int], price: list[int], size: list[int]) -> int:
    aggregator = Aggregator(DEFAULT_TIMEFRAMES)
    index = aggregator.add_symbol("ES", CME_GLOBEX)
    on_trade = aggregator.on_trade
    for t, p, s in zip(ts, price, size, strict=True):
        on_trade(index, t, p, s)
    aggregator.flush()
    return len(aggregator.take_closed())


def batch(ts: np.ndarray, price: np.ndarray, size: np.ndarray) -> int:
    result = aggregate(ts, price, size, DEFAULT_TIMEFRAMES, CME_GLOBEX)
    return sum(len(columns.open_time) for columns in result.values())


def pandas_baseline(ts: np.ndarray, price: np.ndarray, size: np.ndarray) -> int:
    """Every timeframe resampled from the trades; the daily one grouped by CME session date."""
    frame = pd.DataFrame(
        {"price": price, "qty": size}, index=pd.to_datetime(ts, unit="ns", utc=True)
    )
    frame["turnover"] = frame["price"] * frame["qty"]
    how: dict[str, Any] = {
        "open": ("price", "first"),
        "high": ("price", "max"),
        "low": ("price", "min"),
        "close": ("price", "last"),
        "volume": ("qty", "sum"),
        "count": ("price", "count"),
        "turnover": ("turnover", "sum"),
    }
    candles = 0
    for rule in ("1min", "5min", "15min", "1h", "4h"):
        table = frame.resample(rule, origin="epoch", label="left", closed="left").agg(**how)
        candles += int((table["count"] > 0).sum())
    local = pd.DatetimeIndex(frame.index).tz_convert("America/Chicago").tz_localize(None)
    session = (local + pd.Timedelta(hours=7)).normalize()  # 17:00 Chicago starts the next day
    candles += len(frame.groupby(session).agg(**how))
    return candles


def measure(name: str, run: Callable[[], int], count: int) -> float:
    seconds, candles = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        candles = run()
        seconds.append(time.perf_counter() - started)
    best, median = count / min(seconds), count / statistics.median(seconds)
    print(f"{name:<28} {best:>14,.0f} trades/s (median {median:,.0f}), {candles} candles")
    return best


def main(count: int = 2_000_000) -> None:
    ts, price, size = synthetic_trades(count, mean_gap_ns=50e6)
    per_minute = count / len(np.unique(ts // 60_000_000_000))
    print(
        f"{count:,} trades, {per_minute:.0f} per 1-minute candle, timeframes {DEFAULT_TIMEFRAMES}"
    )
    lists = ts.tolist(), price.tolist(), size.tolist()
    stream = measure("streaming, one at a time", lambda: streaming(*lists), count)
    batched = measure("batch (numpy)", lambda: batch(ts, price, size), count)
    baseline = measure("pandas resample baseline", lambda: pandas_baseline(ts, price, size), count)
    print(
        f"streaming / pandas: {stream / baseline:.1f}x   batch / pandas: {batched / baseline:.1f}x"
    )
    sparse = synthetic_trades(count // 4, mean_gap_ns=5e9, seed=2)
    sparse_lists = tuple(column.tolist() for column in sparse)
    measure("streaming, 1 trade per 5 s", lambda: streaming(*sparse_lists), count // 4)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000)
