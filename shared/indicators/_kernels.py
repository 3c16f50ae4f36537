"""Batch building blocks: input coercion, the EMA/Wilder recursions and rolling windows.

The recursions repeat the streaming classes' arithmetic operation for operation, so the
batch and streaming forms agree to the last bit; the rolling windows are vectorised.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from shared.indicators.types import FloatArray

_CHUNK = 1 << 16  # window elements per block in rolling_std: bounds its temporary memory


def as_series(name: str, values: npt.ArrayLike) -> FloatArray:
    """``values`` as a contiguous 1-D float64 array (ValueError naming ``name`` otherwise)."""
    array = np.ascontiguousarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def as_columns(**columns: npt.ArrayLike) -> list[FloatArray]:
    """Several named inputs as 1-D float64 arrays of one common length."""
    arrays = [as_series(name, values) for name, values in columns.items()]
    lengths = {name: len(array) for name, array in zip(columns, arrays, strict=True)}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"inputs must have the same length, got {lengths}")
    return arrays


def nan_array(length: int) -> FloatArray:
    """A float64 array of NaN: the warm-up filler."""
    return np.full(length, np.nan)


def sequential_sum(values: list[float]) -> float:
    """Left-to-right sum from 0.0, as TA-Lib and the streaming classes accumulate seeds."""
    total = 0.0
    for value in values:
        total += value
    return total


def ema_tail(seed: float, values: list[float], k: float) -> list[float]:
    """``seed`` followed by ``prev = (x - prev) * k + prev`` over ``values`` (TA-Lib's form)."""
    out = [seed]
    append = out.append
    prev = seed
    for value in values:
        prev = (value - prev) * k + prev
        append(prev)
    return out


def wilder_tail(seed: float, values: list[float], period: int) -> list[float]:
    """``seed`` followed by Wilder's ``prev = (prev * (n - 1) + x) / n`` over ``values``."""
    out = [seed]
    append = out.append
    prev = seed
    keep = float(period - 1)
    n = float(period)
    for value in values:
        prev = (prev * keep + value) / n
        append(prev)
    return out


def rolling_mean(x: FloatArray, n: int) -> FloatArray:
    """Mean of each full window of ``n``; ``len(x) - n + 1`` values (caller checks length)."""
    result: FloatArray = sliding_window_view(x, n).mean(axis=1)
    return result


def rolling_std(x: FloatArray, n: int) -> FloatArray:
    """Population standard deviation (ddof=0) of each full window, two-pass per window.

    Two-pass, not running sums of x and x**2: with prices around 5000 and a spread of a
    few ticks, ``E[x**2] - E[x]**2`` cancels away most significant digits.
    """
    count = len(x) - n + 1
    out = np.empty(count)
    rows = max(1, _CHUNK // n)
    for start in range(0, count, rows):
        windows = sliding_window_view(x[start : start + rows + n - 1], n)
        out[start : start + len(windows)] = windows.std(axis=1)
    return out


def rolling_max(x: FloatArray, n: int) -> FloatArray:
    """Maximum of each full window of ``n`` in O(len(x)) (van Herk / Gil-Werman)."""
    length = len(x)
    blocks = np.concatenate([x, np.full(-length % n, -np.inf)]).reshape(-1, n)
    prefix = np.maximum.accumulate(blocks, axis=1).ravel()
    suffix = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    # A window [i - n + 1, i] spans at most two blocks: the tail of one, the head of the next.
    result: FloatArray = np.maximum(suffix[: length - n + 1], prefix[n - 1 : length])
    return result


def rolling_min(x: FloatArray, n: int) -> FloatArray:
    """Minimum of each full window of ``n`` (negation is exact, so this reuses rolling_max)."""
    result: FloatArray = -rolling_max(-x, n)
    return result
