"""Backfill speed: ``uv run python bench/backfill.py [--bars 500000] [--rounds 2]``.

Writes N synthetic 1-minute ES bars (ISO times, OHLC, volume, trade count, VWAP) to a CSV
file, then per round, each into a fresh InfluxDB database (TICKSTREAM_INFLUX_URL, default
the local server): the baseline, a bare batched line-protocol write of the same 1-minute
points (lines made beforehand, 10,000 per request, one request at a time), and the backfill
of the file with every default timeframe derived (read, parse, merge, write, checkpoint).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

from market_data_engine.backfill import Backfill, Backfiller, InputKind, InputSpec
from market_data_engine.backfill.lines import candle_lines
from market_data_engine.domain.batch import CandleColumns
from market_data_engine.domain.candles import Scale
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from market_data_engine.queries import Catalog
from shared.instruments import InstrumentRegistry
from shared.tsdb import InfluxDB

INFLUX = os.environ.get("TICKSTREAM_INFLUX_URL", "http://127.0.0.1:8086")
MINUTE = 60_000_000_000
T0 = 1_704_067_200 * 1_000_000_000  # 2024-01-01T00:00:00Z
BATCH = 10_000


def synthetic_bars(count: int, seed: int = 1) -> CandleColumns:
    """A random walk of 1-minute bars in ticks (ES: 0.25), every minute."""
    rng = np.random.default_rng(seed)
    opens = T0 + np.arange(count, dtype=np.int64) * MINUTE
    o = 20_000 + np.cumsum(rng.integers(-3, 4, count))
    c = o + rng.integers(-4, 5, count)
    high = np.maximum(o, c) + rng.integers(0, 4, count)
    low = np.minimum(o, c) - rng.integers(0, 4, count)
    volume = rng.integers(1, 2_000, count)
    vwap = low + (high - low) * rng.random(count)
    return CandleColumns(
        opens, opens + MINUTE, o, high, low, c, volume, rng.integers(1, 300, count), vwap * volume
    )


def write_csv(bars: CandleColumns, path: Path) -> None:
    table = pa.table(
        {
            "ts": pa.array(bars.open_time, pa.timestamp("ns", "UTC")),
            **{k: getattr(bars, k) * 0.25 for k in ("open", "high", "low", "close")},
            "volume": bars.volume,
            "trades": bars.trade_count,
            "vwap": np.round(bars.turnover / bars.volume * 0.25, 6),
        }
    )
    pacsv.write_csv(table, path)


async def fresh(name: str) -> InfluxDB:
    influx = InfluxDB(
        INFLUX, f"bench_{name}_{uuid.uuid4().hex[:8]}", batch_lines=BATCH, timeout_s=120
    )
    await influx.start()
    await influx.create_database()
    return influx


async def bare_write(lines: list[str]) -> float:
    influx = await fresh("bare")
    try:
        start = time.perf_counter()
        await influx.write_lines(lines)
        return time.perf_counter() - start
    finally:
        await influx.drop_database(influx.database)
        await influx.close()


async def backfill(path: Path) -> tuple[float, int]:
    influx = await fresh("backfill")
    try:
        catalog = Catalog(InstrumentRegistry.with_standard_futures())
        spec = InputSpec(InputKind.BARS_1M, symbol="ESZ6")
        start = time.perf_counter()
        result = await Backfiller(influx, catalog).run(Backfill((path,), spec, DEFAULT_TIMEFRAMES))
        return time.perf_counter() - start, sum(result.candles.values())
    finally:
        await influx.drop_database(influx.database)
        await influx.close()


async def main(count: int, rounds: int) -> None:
    bars = synthetic_bars(count)
    lines = candle_lines("ESZ6", "1m", bars, Scale(Decimal("0.25")))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bars.csv"
        write_csv(bars, path)
        size = path.stat().st_size / 1e6
        timeframes = ", ".join(DEFAULT_TIMEFRAMES)
        print(f"{count:,} 1-minute bars ({size:.0f} MB CSV); timeframes {timeframes}")
        for round_ in range(1, rounds + 1):
            bare = await bare_write(lines)
            took, candles = await backfill(path)
            print(
                f"  round {round_}: bare write of the 1m lines {count / bare:>9,.0f} bars/s "
                f"({bare:.2f} s) | backfill {count / took:>9,.0f} bars/s ({took:.2f} s, "
                f"{candles:,} candles) = {bare / took:.0%} of bare"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.bars, args.rounds))
