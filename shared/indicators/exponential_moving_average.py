"""Exponential moving average (TA-Lib ``EMA``, default compatibility)."""

from __future__ import annotations

from typing import ClassVar

import numpy.typing as npt

from shared.indicators._kernels import as_series, ema_tail, nan_array, sequential_sum
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, FloatArray


class EMA(BarUpdates[float]):
    """Streaming exponential moving average.

    TA-Lib conventions (``TA_COMPATIBILITY_DEFAULT``): alpha = 2 / (period + 1); the
    seed is the simple average of the first ``period`` closes, so the first value comes
    on the ``period``-th update (index ``period - 1``); then
    ``ema = (close - ema) * alpha + ema``, TA-Lib's exact expression. (Metastock mode,
    seeding with the first close, is not offered.)
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("close",)
    OUTPUTS: ClassVar[tuple[str, ...]] = ("ema",)
    __slots__ = ("_count", "_seed", "_value", "alpha", "period")

    def __init__(self, period: int = 20) -> None:
        self.period = check_period("period", period)
        self.alpha = 2.0 / (self.period + 1)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._count = 0
        self._seed = 0.0
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The latest EMA, or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first EMA is available."""
        return self._value is not None

    def update(self, close: float) -> float | None:
        """Add one close; the new EMA, or None during warm-up."""
        value = self._value
        if value is not None:
            value = (close - value) * self.alpha + value
            self._value = value
            return value
        self._seed += close
        self._count += 1
        if self._count < self.period:
            return None
        value = self._seed / self.period
        self._value = value
        return value


def ema(close: npt.ArrayLike, period: int = 20) -> FloatArray:
    """EMA of a whole series, same conventions as ``EMA``; NaN for the first period - 1."""
    period = check_period("period", period)
    x = as_series("close", close)
    out = nan_array(len(x))
    if len(x) >= period:
        values = x.tolist()
        seed = sequential_sum(values[:period]) / period
        out[period - 1 :] = ema_tail(seed, values[period:], 2.0 / (period + 1))
    return out
