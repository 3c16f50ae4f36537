"""Indicator speed, streaming and batch: ``uv run python bench/indicators.py [bars]``.

Streaming: one ``update`` call per bar from a Python loop (the loop is counted).
Batch: one call over the whole series. Default 1,000,000 one-minute-like bars.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from shared.indicators import (
    ATR,
    EMA,
    MACD,
    RSI,
    SMA,
    BollingerBands,
    Donchian,
    SessionVWAP,
    atr,
    bollinger,
    donchian,
    ema,
    macd,
    rsi,
    sma,
    vwap,
)


def bars(count: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    close = 4000.0 + 0.25 * np.cumsum(rng.integers(-3, 4, count))
    previous = np.concatenate(([close[0]], close[:-1]))
    return {
        "high": np.maximum(close, previous) + 0.25 * rng.integers(0, 4, count),
        "low": np.minimum(close, previous) - 0.25 * rng.integers(0, 4, count),
        "close": close,
        "volume": rng.integers(1, 400, count).astype(float),
        "session": np.arange(count) // 1380,
    }


CASES: list[tuple[str, Callable[[], Any], Callable[..., Any], tuple[str, ...]]] = [
    ("SMA(20)", lambda: SMA(20), lambda d: sma(d["close"], 20), ("close",)),
    ("EMA(20)", lambda: EMA(20), lambda d: ema(d["close"], 20), ("close",)),
    ("RSI(14)", lambda: RSI(14), lambda d: rsi(d["close"], 14), ("close",)),
    ("MACD(12,26,9)", MACD, lambda d: macd(d["close"]), ("close",)),
    ("ATR(14)", lambda: ATR(14), lambda d: atr(d["high"], d["low"], d["close"]), ATR.INPUTS),
    ("Bollinger(20,2)", BollingerBands, lambda d: bollinger(d["close"]), ("close",)),
    (
        "VWAP(session)",
        SessionVWAP,
        lambda d: vwap(d["high"], d["low"], d["close"], d["volume"], d["session"]),
        ("high", "low", "close", "volume", "session"),
    ),
    (
        "Donchian(20)",
        lambda: Donchian(20),
        lambda d: donchian(d["high"], d["low"]),
        ("high", "low"),
    ),
]


def main(count: int = 1_000_000) -> None:
    data = bars(count)
    print(f"{count:,} bars; figures are values per second")
    print(f"{'indicator':<18}{'streaming':>14}{'batch':>16}")
    for name, make, run_batch, fields in CASES:
        columns = [data[f].tolist() for f in fields]
        update = make().update
        start = time.perf_counter()
        if len(columns) == 1:
            for value in columns[0]:
                update(value)
        else:
            for row in zip(*columns, strict=True):
                update(*row)
        streaming = count / (time.perf_counter() - start)
        start = time.perf_counter()
        run_batch(data)
        batch = count / (time.perf_counter() - start)
        print(f"{name:<18}{streaming:>14,.0f}{batch:>16,.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
