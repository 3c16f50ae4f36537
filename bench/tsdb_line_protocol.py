"""Line-protocol encoding speed for candles: ``uv run python bench/tsdb_line_protocol.py``."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from shared.tsdb import FieldValue, line


def main(count: int = 200_000) -> None:
    rng = random.Random(1)
    symbols = ["ES", "NQ", "CL", "GC", "ZN", "6E"]
    bars: list[tuple[dict[str, str], dict[str, FieldValue], int]] = [
        (
            {"symbol": rng.choice(symbols), "timeframe": "1m"},
            {
                "open": rng.uniform(4000, 5000),
                "high": rng.uniform(4000, 5000),
                "low": rng.uniform(4000, 5000),
                "close": rng.uniform(4000, 5000),
                "volume": rng.randint(1, 10_000),
                "trades": rng.randint(1, 500),
                "vwap": Decimal("4321.25"),
            },
            1_700_000_000_000_000_000 + i * 60_000_000_000,
        )
        for i in range(count)
    ]
    start = time.perf_counter()
    for tags, fields, ts in bars:
        line("bars", tags, fields, ts)
    elapsed = time.perf_counter() - start
    print(f"encoded {count} candle lines in {elapsed:.3f} s: {count / elapsed:,.0f} lines/s")


if __name__ == "__main__":
    main()
