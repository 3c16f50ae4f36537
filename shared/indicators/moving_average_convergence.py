"""Moving average convergence/divergence (TA-Lib ``MACD``)."""

from __future__ import annotations

from typing import ClassVar

import numpy.typing as npt

from shared.indicators._kernels import as_series, nan_array
from shared.indicators.exponential_moving_average import EMA, ema
from shared.indicators.params import check_period
from shared.indicators.types import BarUpdates, FloatArray, MACDLines


def _check(fast: int, slow: int, signal: int) -> tuple[int, int, int]:
    fast = check_period("fast", fast)
    slow = check_period("slow", slow, minimum=2)
    signal = check_period("signal", signal)
    if fast >= slow:
        raise ValueError(f"fast must be less than slow, got fast={fast}, slow={slow}")
    return fast, slow, signal


class MACD(BarUpdates[MACDLines[float]]):
    """Streaming MACD: line = EMA(fast) - EMA(slow), signal = EMA(signal) of the line.

    TA-Lib alignment, followed exactly: both EMAs start at the same bar. The slow EMA
    is seeded with the average of closes 0..slow-1; the fast EMA is *not* started at bar
    0 but seeded with the average of the ``fast`` closes ending at bar ``slow - 1``, so
    the two become ready together at index ``slow - 1`` (this differs from running
    EMA(fast) from the start, as StockCharts does, by an amount that decays with
    (1 - 2/(fast+1))**bars). The signal EMA is seeded with the average of the first
    ``signal`` line values; all three outputs start at index ``slow + signal - 2``
    (33 for 12/26/9) -- TA-Lib does not publish the line before the signal exists either.
    EMAs use alpha = 2/(n+1) and TA-Lib's update expression (see ``EMA``).

    Deviation: TA-Lib silently swaps ``fast`` and ``slow`` when fast > slow; here
    ``fast >= slow`` raises ValueError.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("close",)
    OUTPUTS: ClassVar[tuple[str, ...]] = ("macd", "signal", "histogram")
    __slots__ = ("_fast", "_signal", "_skip", "_slow", "_value", "fast", "signal", "slow")

    def __init__(self, fast: int = 12, slow: int = 26, signal: int = 9) -> None:
        self.fast, self.slow, self.signal = _check(fast, slow, signal)
        self._fast = EMA(self.fast)
        self._slow = EMA(self.slow)
        self._signal = EMA(self.signal)
        self.reset()

    def reset(self) -> None:
        """Forget all history; the next update starts a new warm-up."""
        self._fast.reset()
        self._slow.reset()
        self._signal.reset()
        self._skip = self.slow - self.fast  # closes the fast EMA never sees (TA-Lib seeding)
        self._value: MACDLines[float] | None = None

    @property
    def value(self) -> MACDLines[float] | None:
        """The latest (macd, signal, histogram), or None during warm-up."""
        return self._value

    @property
    def ready(self) -> bool:
        """True once the first triple is available."""
        return self._value is not None

    def update(self, close: float) -> MACDLines[float] | None:
        """Add one close; the new (macd, signal, histogram), or None during warm-up."""
        slow = self._slow.update(close)
        if self._skip:
            self._skip -= 1
            return None
        fast = self._fast.update(close)
        if fast is None or slow is None:
            return None
        line = fast - slow
        signal = self._signal.update(line)
        if signal is None:
            return None
        value = MACDLines(line, signal, line - signal)
        self._value = value
        return value


def macd(
    close: npt.ArrayLike, fast: int = 12, slow: int = 26, signal: int = 9
) -> MACDLines[FloatArray]:
    """MACD of a whole series, same conventions as ``MACD``; NaN before slow + signal - 2."""
    fast, slow, signal = _check(fast, slow, signal)
    x = as_series("close", close)
    length = len(x)
    line = nan_array(length)
    signal_line = nan_array(length)
    if length >= slow:
        line[slow - 1 :] = ema(x[slow - fast :], fast)[fast - 1 :] - ema(x, slow)[slow - 1 :]
        signal_line[slow - 1 :] = ema(line[slow - 1 :], signal)
    line[: slow + signal - 2] = float("nan")
    return MACDLines(line, signal_line, line - signal_line)
