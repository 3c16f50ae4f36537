"""Donchian channel (TA-Lib ``DONCHIAN``: MAX of highs, MIN of lows, their midpoint)."""

from __future__ import annotations

from collections import deque
from typing import ClassVar

import numpy.typing as npt

from shared.indicators._kernels import as_columns, nan_array, rolling_max, rolling_min
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, Channel, FloatArray


class Donchian(BarUpdates[Channel[float]]):
    """Streaming Donchian channel over the last ``period`` bars, the current bar included.

    upper = highest high, lower = lowest low, middle = (upper + lower) / 2. The first
    value is at index ``period - 1``, as for TA-Lib's ``MAX``/``MIN``/``DONCHIAN``.
    Amortised constant cost per update: monotonic deques of candidate extremes.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("high", "low")
    OUTPUTS: ClassVar[tuple[str, ...]] = ("upper", "lower", "middle")
    __slots__ = ("_highs", "_index", "_lows", "_value", "period")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._index = 0
        # (bar index, price) pairs; highs strictly decreasing, lows strictly increasing.
        self._highs: deque[tuple[int, float]] = deque()
        self._lows: deque[tuple[int, float]] = deque()
        self._value: Channel[float] | None = None

    @property
    def value(self) -> Channel[float] | None:
        """The latest (upper, lower, middle), or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first channel is available."""
        return self._value is not None

    def update(self, high: float, low: float) -> Channel[float] | None:
        """Add one bar; the new (upper, lower, middle), or None during warm-up."""
        index = self._index
        self._index = index + 1
        expired = index - self.period
        highs = self._highs
        while highs and highs[-1][1] <= high:
            highs.pop()
        highs.append((index, high))
        if highs[0][0] <= expired:
            highs.popleft()
        lows = self._lows
        while lows and lows[-1][1] >= low:
            lows.pop()
        lows.append((index, low))
        if lows[0][0] <= expired:
            lows.popleft()
        if index < self.period - 1:
            return None
        upper = highs[0][1]
        lower = lows[0][1]
        value = Channel(upper, lower, (upper + lower) / 2.0)
        self._value = value
        return value


def donchian(high: npt.ArrayLike, low: npt.ArrayLike, period: int = 20) -> Channel[FloatArray]:
    """Donchian channel of whole series; NaN for the first ``period - 1`` values."""
    period = check_period("period", period)
    h, lo = as_columns(high=high, low=low)
    upper = nan_array(len(h))
    lower = nan_array(len(h))
    if len(h) >= period:
        upper[period - 1 :] = rolling_max(h, period)
        lower[period - 1 :] = rolling_min(lo, period)
    return Channel(upper, lower, (upper + lower) / 2.0)
