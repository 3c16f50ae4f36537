"""Session VWAP: volume-weighted typical price, cumulative within a trading session."""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from shared.indicators._kernels import as_columns, nan_array
from shared.indicators.types import BarLike, FloatArray


class SessionVWAP:
    """Streaming session VWAP of bars: sum(typical * volume) / sum(volume) since session start.

    typical = (high + low + close) / 3. TA-Lib has no VWAP; this is the usual intraday
    definition (StockCharts, TradingView). A session starts on the first update, after
    ``start_session()`` (the caller signals the boundary), or whenever the ``session``
    key passed to ``update`` differs from the previous one (e.g. a trading date). The
    value is None until the session has traded volume. Volume must be >= 0.

    Numerics: prices are accumulated relative to the session's first typical price,
    which keeps the running sums small and the result exact for a one-bar session.
    """

    INPUTS: ClassVar[tuple[str, ...]] = ("high", "low", "close", "volume")
    OUTPUTS: ClassVar[tuple[str, ...]] = ("vwap",)
    __slots__ = ("_anchor", "_session", "_value", "_volume", "_weighted")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget all history, including the session key."""
        self._session: Hashable | None = None
        self.start_session()

    def start_session(self) -> None:
        """Start a new session: the next bar's VWAP covers only bars from here on."""
        self._anchor: float | None = None
        self._weighted = 0.0
        self._volume = 0.0
        self._value: float | None = None

    @property
    def value(self) -> float | None:
        """The latest session VWAP, or None until the session has volume."""
        return self._value

    @property
    def ready(self) -> bool:
        """True while the current session has a VWAP."""
        return self._value is not None

    def update(
        self, high: float, low: float, close: float, volume: float, session: Hashable = None
    ) -> float | None:
        """Add one bar (optionally tagged with its session key); the session's VWAP so far."""
        if session is not None and session != self._session:
            if self._session is not None:
                self.start_session()
            self._session = session
        if not volume >= 0.0:
            raise ValueError(f"volume must be >= 0, got {volume!r}")
        typical = (high + low + close) / 3.0
        anchor = self._anchor
        if anchor is None:
            anchor = self._anchor = typical
        self._weighted += (typical - anchor) * volume
        self._volume += volume
        if self._volume == 0.0:
            return None
        value = anchor + self._weighted / self._volume
        self._value = value
        return value

    def update_bar(self, bar: BarLike, session: Hashable = None) -> float | None:
        """``update`` with the bar's high, low, close and volume."""
        return self.update(
            float(bar.high), float(bar.low), float(bar.close), float(bar.volume), session
        )


def vwap(
    high: npt.ArrayLike,
    low: npt.ArrayLike,
    close: npt.ArrayLike,
    volume: npt.ArrayLike,
    session: npt.ArrayLike | None = None,
) -> FloatArray:
    """Session VWAP of whole series, same conventions as ``SessionVWAP``.

    ``session`` holds one key per bar (e.g. the trading date as an integer); a new
    session starts wherever the key changes. Without it the whole series is one
    session. NaN while a session has no volume yet.
    """
    h, lo, c, v = as_columns(high=high, low=low, close=close, volume=volume)
    length = len(c)
    if np.any(~(v >= 0.0)):
        raise ValueError("volume must be >= 0 everywhere")
    starts = np.zeros(length, dtype=bool)
    starts[:1] = True
    if session is not None:
        keys = np.asarray(session)
        if keys.shape != (length,):
            raise ValueError(f"session must have one key per bar, got shape {keys.shape}")
        starts[1:] = keys[1:] != keys[:-1]
    first = np.maximum.accumulate(np.where(starts, np.arange(length), 0))
    typical = (h + lo + c) / 3.0
    anchor = typical[first]
    weighted = _session_cumsum((typical - anchor) * v, first)
    volume_so_far = _session_cumsum(v, first)
    out = nan_array(length)
    traded = volume_so_far != 0.0
    out[traded] = anchor[traded] + weighted[traded] / volume_so_far[traded]
    return out


def _session_cumsum(values: FloatArray, first: npt.NDArray[np.intp]) -> FloatArray:
    """Running sum of ``values`` restarting at each session start."""
    total = np.cumsum(values)
    before = np.concatenate(([0.0], total[:-1]))  # running total just before each bar
    result: FloatArray = total - before[first]
    return result
