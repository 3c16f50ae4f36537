"""Simple moving average (TA-Lib ``SMA``)."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy.typing as npt

from shared.indicators._kernels import as_series, nan_array, rolling_mean
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, FloatArray


class SMA(BarUpdates[float]):
    """Streaming simple moving average of the last ``period`` closes.

    TA-Lib conventions: the first value comes on the ``period``-th update (index
    ``period - 1``); earlier updates return None. Constant cost per update: a ring
    buffer and a running sum. The sum is recomputed exactly (``math.fsum``) each time
    the ring wraps, i.e. once every ``period`` updates, so rounding drift cannot build up
    over millions of bars and an outlier stops affecting the sum once it leaves the
    window. Inputs are assumed finite.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("close",)
    OUTPUTS: ClassVar[tuple[str, ...]] = ("sma",)
    __slots__ = ("_buffer", "_count", "_pos", "_total", "_value", "period")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._buffer = [0.0] * self.period
        self._pos = 0
        self._count = 0
        self._total = 0.0
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The latest average, or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first average is available."""
        return self._value is not None

    def update(self, close: float) -> float | None:
        """Add one close; the average of the last ``period`` closes, or None in warm-up."""
        buffer = self._buffer
        pos = self._pos
        old = buffer[pos]
        buffer[pos] = close
        pos += 1
        if pos == self.period:
            pos = 0
            self._total = math.fsum(buffer)
        else:
            self._total += close - old
        self._pos = pos
        if self._count < self.period:
            self._count += 1
            if self._count < self.period:
                return None
        value = self._total / self.period
        self._value = value
        return value


def sma(close: npt.ArrayLike, period: int = 20) -> FloatArray:
    """Simple moving average of a whole series; NaN for the first ``period - 1`` values."""
    period = check_period("period", period)
    x = as_series("close", close)
    out = nan_array(len(x))
    if len(x) >= period:
        out[period - 1 :] = rolling_mean(x, period)
    return out
