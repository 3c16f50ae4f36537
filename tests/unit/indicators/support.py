"""Run an indicator's batch or streaming form over columns and get arrays back."""

from collections.abc import Callable, Sequence
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

# name -> (batch function, streaming class); both take the columns in the class's INPUTS order.
FORMS: dict[str, tuple[Callable[..., Any], type[Any]]] = {
    "sma": (sma, SMA),
    "ema": (ema, EMA),
    "rsi": (rsi, RSI),
    "macd": (macd, MACD),
    "atr": (atr, ATR),
    "bollinger": (bollinger, BollingerBands),
    "vwap": (vwap, SessionVWAP),
    "donchian": (donchian, Donchian),
}


def stream(indicator: Any, *columns: Sequence[float]) -> list[np.ndarray]:
    """Feed the bars one at a time: one array per output, NaN where update returned None."""
    length = len(columns[0])
    outputs = [np.full(length, np.nan) for _ in indicator.OUTPUTS]
    for i, row in enumerate(zip(*columns, strict=True)):
        value = indicator.update(*(float(v) for v in row))
        if value is None:
            continue
        values = value if isinstance(value, tuple) else (value,)
        for output, v in zip(outputs, values, strict=True):
            output[i] = v
    return outputs


def batch(name: str, *columns: Sequence[float], **params: Any) -> list[np.ndarray]:
    """The batch form's outputs as a list of arrays, in the class's OUTPUTS order."""
    result = FORMS[name][0](*columns, **params)
    return list(result) if isinstance(result, tuple) else [result]


def compute(form: str, name: str, *columns: Sequence[float], **params: Any) -> list[np.ndarray]:
    """``batch`` or ``stream`` (with a fresh instance built from ``params``)."""
    if form == "batch":
        return batch(name, *columns, **params)
    return stream(FORMS[name][1](**params), *columns)


def random_bars(seed: int, length: int = 3000) -> dict[str, np.ndarray]:
    """E-mini-like 1-minute bars on a 0.25 tick grid, with flat spells and idle bars."""
    rng = np.random.default_rng(seed)
    ticks = np.cumsum(rng.integers(-3, 4, length) * (rng.random(length) < 0.7))
    close = 4000.0 + 0.25 * ticks
    previous = np.concatenate(([close[0]], close[:-1]))
    high = np.maximum(close, previous) + 0.25 * rng.integers(0, 4, length)
    low = np.minimum(close, previous) - 0.25 * rng.integers(0, 4, length)
    volume = rng.integers(0, 400, length) * (rng.random(length) < 0.9)
    session = np.arange(length) // 390
    return {
        "high": high,
        "low": low,
        "close": close,
        "volume": volume.astype(float),
        "session": session,
    }
