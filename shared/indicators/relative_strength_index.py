"""Relative strength index with Wilder's smoothing (TA-Lib ``RSI``, default compatibility)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import numpy.typing as npt

from shared.indicators._kernels import as_series, nan_array, sequential_sum, wilder_tail
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, FloatArray


class RSI(BarUpdates[float]):
    """Streaming Wilder RSI.

    TA-Lib conventions: the average gain and average loss are seeded with the simple
    averages of the first ``period`` close-to-close changes, so the first value is at
    index ``period`` (the ``period + 1``-th close); afterwards each is smoothed as
    ``avg = (avg * (period - 1) + change) / period``. RSI is computed as
    ``100 * gain / (gain + loss)``, equal to ``100 - 100 / (1 + gain / loss)``.

    Deviation: when both averages are exactly zero (a flat market) the value is 0, as in
    TA-Lib, but TA-Lib also returns 0 whenever ``gain + loss`` is below a fixed epsilon
    (1e-8 in 0.4.x); here only an exact zero does, so instruments quoted in tiny units
    still get an RSI.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("close",)
    OUTPUTS: ClassVar[tuple[str, ...]] = ("rsi",)
    __slots__ = ("_count", "_gain", "_loss", "_previous", "_value", "period")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._previous: float | None = None
        self._count = 0
        self._gain = 0.0
        self._loss = 0.0
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The latest RSI in [0, 100], or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first RSI is available."""
        return self._value is not None

    def update(self, close: float) -> float | None:
        """Add one close; the new RSI, or None during warm-up."""
        previous = self._previous
        self._previous = close
        if previous is None:
            return None
        change = close - previous
        period = self.period
        gain = self._gain
        loss = self._loss
        if self._value is None:
            if change < 0.0:
                loss -= change
            else:
                gain += change
            self._count += 1
            if self._count < period:
                self._gain, self._loss = gain, loss
                return None
        else:
            gain *= period - 1
            loss *= period - 1
            if change < 0.0:
                loss -= change
            else:
                gain += change
        gain /= period
        loss /= period
        self._gain, self._loss = gain, loss
        total = gain + loss
        value = 100.0 * (gain / total) if total != 0.0 else 0.0
        self._value = value
        return value


def rsi(close: npt.ArrayLike, period: int = 14) -> FloatArray:
    """Wilder RSI of a whole series, same conventions as ``RSI``; NaN for the first period."""
    period = check_period("period", period)
    x = as_series("close", close)
    out = nan_array(len(x))
    if len(x) <= period:
        return out
    change = np.diff(x)
    gains = np.where(change < 0.0, 0.0, change).tolist()
    losses = np.where(change < 0.0, -change, 0.0).tolist()
    gain = np.array(wilder_tail(sequential_sum(gains[:period]) / period, gains[period:], period))
    loss = np.array(wilder_tail(sequential_sum(losses[:period]) / period, losses[period:], period))
    total = gain + loss
    ratio = np.divide(gain, total, out=np.zeros_like(total), where=total != 0.0)
    out[period:] = np.where(total != 0.0, 100.0 * ratio, 0.0)
    return out
