"""Average true range with Wilder's smoothing (TA-Lib ``ATR`` and ``TRANGE``)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import numpy.typing as npt

from shared.indicators._kernels import as_columns, nan_array, sequential_sum, wilder_tail
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, FloatArray


class ATR(BarUpdates[float]):
    """Streaming Wilder ATR, following TA-Lib exactly.

    The true range of a bar is ``max(high - low, |high - prev_close|, |low - prev_close|)``
    and, as in TA-Lib's ``TRANGE``, is undefined for the very first bar (no previous
    close). The first ATR is the simple average of the first ``period`` true ranges,
    i.e. of bars 1..period, so it appears at index ``period`` (the ``period + 1``-th bar);
    then ``atr = (atr * (period - 1) + tr) / period``.

    Charting sites such as StockCharts instead take ``high - low`` as the first bar's
    true range and publish the first ATR at index ``period - 1``; feeding a leading bar
    whose close lies inside the first real bar's range reproduces their numbers.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("high", "low", "close")
    OUTPUTS: ClassVar[tuple[str, ...]] = ("atr",)
    __slots__ = ("_count", "_previous_close", "_total", "_value", "period")

    def __init__(self, period: int = 14) -> None:
        self.period = check_period("period", period)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._previous_close: float | None = None
        self._count = 0
        self._total = 0.0
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The latest ATR, or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first ATR is available."""
        return self._value is not None

    def update(self, high: float, low: float, close: float) -> float | None:
        """Add one bar; the new ATR, or None during warm-up."""
        previous = self._previous_close
        self._previous_close = close
        if previous is None:
            return None
        true_range = max(high - low, abs(previous - high), abs(previous - low))
        value = self._value
        if value is None:
            self._total += true_range
            self._count += 1
            if self._count < self.period:
                return None
            value = self._total / self.period
        else:
            value = (value * (self.period - 1) + true_range) / self.period
        self._value = value
        return value


def true_range(high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike) -> FloatArray:
    """True range per bar (TA-Lib ``TRANGE``): NaN for the first bar, which has no prior close."""
    h, lo, c = as_columns(high=high, low=low, close=close)
    out = nan_array(len(c))
    if len(c) > 1:
        previous = c[:-1]
        hl = h[1:] - lo[1:]
        out[1:] = np.maximum(np.maximum(hl, np.abs(previous - h[1:])), np.abs(previous - lo[1:]))
    return out


def atr(
    high: npt.ArrayLike, low: npt.ArrayLike, close: npt.ArrayLike, period: int = 14
) -> FloatArray:
    """Wilder ATR of whole series, same conventions as ``ATR``; NaN for the first period."""
    period = check_period("period", period)
    ranges = true_range(high, low, close)
    out = nan_array(len(ranges))
    if len(ranges) > period:
        values = ranges.tolist()
        seed = sequential_sum(values[1 : period + 1]) / period
        out[period:] = wilder_tail(seed, values[period + 1 :], period)
    return out
