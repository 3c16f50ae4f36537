"""Write the sample candles the examples and docs use (deterministic: the same file each run).

    uv run python scripts/make_sample_bars.py [--out examples/data/ESZ6-1m.csv]
        [--days 3] [--seed 7]

One-minute ESZ6 candles of a seeded random walk on the 0.25 tick from Monday 2026-01-05
00:00 UTC, without the bars of CME Globex's daily break (22:00-23:00 UTC in winter), so the
file has the gaps real futures data has.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from shared.backtest.exports import write_bars
from shared.backtest.synthetic import random_walk

HOUR_NS = 3_600_000_000_000
DAY_NS = 24 * HOUR_NS
BREAK_HOUR = 22


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="examples/data/ESZ6-1m.csv")
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    walk = random_walk(args.days * 1440, symbol="ESZ6", seed=args.seed)
    hour = (walk.open_time % DAY_NS) // HOUR_NS
    bars = walk.rows(np.flatnonzero(hour != BREAK_HOUR))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bars(out, [bars])
    print(f"wrote {len(bars)} bars of {bars.symbol} {bars.timeframe} to {out}")


if __name__ == "__main__":
    main()
