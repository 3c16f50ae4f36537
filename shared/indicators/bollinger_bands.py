"""Bollinger Bands (TA-Lib ``BBANDS`` with a simple moving average)."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy.typing as npt

from shared.indicators._kernels import as_series, nan_array, rolling_mean, rolling_std
from shared.indicators.params import check_multiplier, check_period
from shared.indicators.types import Bands, BarUpdates, FloatArray

# Recompute exactly when n * variance < this * (sum of squares added and removed since the
# last exact sum): rounding then could exceed ~1e-9 of the variance.
_CANCELLATION = 1e-6


class BollingerBands(BarUpdates[Bands[float]]):
    """Streaming Bollinger Bands: SMA(period) and SMA +/- k * population standard deviation.

    TA-Lib conventions: the middle band is the simple moving average, the deviation is
    the population standard deviation (ddof=0, divide by ``period``) of the same
    window, the first value is at index ``period - 1``, and k defaults to 2.
    Deviations: one multiplier ``k`` serves both bands (TA-Lib has separate up/down
    multipliers and a choice of moving average; only its default, the SMA, is offered);
    TA-Lib reports a zero deviation whenever the variance is below a fixed epsilon
    (1e-8 in 0.4.x), which flattens the bands of instruments quoted in small units --
    here only a variance that is not positive does.

    Numerics: running sums of ``x - shift`` and ``(x - shift)**2``, where ``shift`` is
    reset to the window mean and both sums recomputed exactly once every ``period``
    updates -- and also early, whenever the variance has become so small against the
    squares that went through the sums that rounding could dominate it (a market going
    flat after a move). TA-Lib sums raw ``x**2``, which loses most digits to
    cancellation when the price is large and the spread small; the results agree in
    exact arithmetic. Cost is amortised constant per update.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("close",)
    OUTPUTS: ClassVar[tuple[str, ...]] = ("middle", "upper", "lower")
    __slots__ = (
        "_buffer",
        "_count",
        "_noise",
        "_pos",
        "_shift",
        "_sum",
        "_sum_sq",
        "_value",
        "k",
        "period",
    )

    def __init__(self, period: int = 20, k: float = 2.0) -> None:
        self.period = check_period("period", period)
        self.k = check_multiplier("k", k)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._buffer = [0.0] * self.period
        self._pos = 0
        self._count = 0
        self._shift = 0.0
        self._sum = 0.0
        self._sum_sq = 0.0
        self._noise = 0.0
        self._value: Bands[float] | None = None

    @property
    def value(self) -> Bands[float] | None:
        """The latest (middle, upper, lower), or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first bands are available."""
        return self._value is not None

    def _resum(self) -> None:
        buffer = self._buffer
        shift = math.fsum(buffer) / self.period
        self._shift = shift
        self._sum = math.fsum([v - shift for v in buffer])
        self._sum_sq = math.fsum([(v - shift) * (v - shift) for v in buffer])
        self._noise = 0.0

    def update(self, close: float) -> Bands[float] | None:
        """Add one close; the new (middle, upper, lower), or None during warm-up."""
        period = self.period
        buffer = self._buffer
        pos = self._pos
        old = buffer[pos]
        buffer[pos] = close
        pos += 1
        if pos == period:
            pos = 0
            self._resum()
        else:
            new_dev = close - self._shift
            old_dev = old - self._shift
            new_sq = new_dev * new_dev
            old_sq = old_dev * old_dev
            self._sum += new_dev - old_dev
            self._sum_sq += new_sq - old_sq
            self._noise += new_sq + old_sq
        self._pos = pos
        if self._count < period:
            self._count += 1
            if self._count < period:
                return None
        mean_dev = self._sum / period
        spread = self._sum_sq - self._sum * mean_dev  # period * variance
        if spread < _CANCELLATION * self._noise:
            self._resum()
            mean_dev = self._sum / period
            spread = self._sum_sq - self._sum * mean_dev
        width = self.k * math.sqrt(spread / period) if spread > 0.0 else 0.0
        middle = self._shift + mean_dev
        value = Bands(middle, middle + width, middle - width)
        self._value = value
        return value


def bollinger(close: npt.ArrayLike, period: int = 20, k: float = 2.0) -> Bands[FloatArray]:
    """Bollinger Bands of a whole series, same conventions as ``BollingerBands``.

    NaN for the first ``period - 1`` values. The deviation is computed two-pass per
    window (exact to rounding), so it can differ from the streaming form in the last
    few bits only.
    """
    period = check_period("period", period)
    k = check_multiplier("k", k)
    x = as_series("close", close)
    middle = nan_array(len(x))
    width = nan_array(len(x))
    if len(x) >= period:
        middle[period - 1 :] = rolling_mean(x, period)
        width[period - 1 :] = k * rolling_std(x, period)
    return Bands(middle, middle + width, middle - width)
