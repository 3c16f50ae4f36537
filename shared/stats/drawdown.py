"""Drawdowns of an equity curve: how far and how long it fell below its running peak."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Times = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Drawdown:
    """The worst fall of an equity curve from a running peak.

    ``amount`` (currency, >= 0) is the largest ``peak - equity``; ``percent`` (a fraction,
    0.12 for 12 %) the largest ``(peak - equity) / peak``, which may come from another dip
    than the largest amount. ``peak_time`` and ``trough_time`` bound the largest amount.
    ``duration_ns`` is the longest time spent below a peak: from the peak until equity is
    back at it, or until the end of the curve if it never is.
    """

    amount: float
    percent: float
    duration_ns: int
    peak_time: int | None
    trough_time: int | None


NONE = Drawdown(0.0, 0.0, 0, None, None)


def max_drawdown(times: Times, equity: Floats, start_value: float, start_ns: int) -> Drawdown:
    """The drawdown of ``equity`` (at ``times``) starting from ``start_value`` at ``start_ns``.

    The starting value counts as the first peak, so a curve that only falls from the start
    has a drawdown. A flat or rising curve has none.
    """
    if len(equity) == 0:
        return NONE
    values = np.concatenate(([start_value], np.asarray(equity, dtype=np.float64)))
    stamps = np.concatenate(([start_ns], np.asarray(times, dtype=np.int64)))
    peaks = np.maximum.accumulate(values)
    falls = peaks - values
    deepest = int(np.argmax(falls))
    amount = float(falls[deepest])
    if amount <= 0:
        return Drawdown(0.0, 0.0, 0, None, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(peaks > 0, falls / np.where(peaks > 0, peaks, 1.0), 0.0)
    peak_at = int(np.flatnonzero(values[: deepest + 1] == peaks[deepest])[-1])
    return Drawdown(
        amount,
        float(ratios.max()),
        _longest_underwater(stamps, values, peaks),
        int(stamps[peak_at]),
        int(stamps[deepest]),
    )


def _longest_underwater(stamps: Times, values: Floats, peaks: Floats) -> int:
    """The longest stretch from a peak to the first time equity is back at or above it."""
    under = values < peaks
    if not under.any():
        return 0
    # Each underwater run starts right after a peak (the point before it) and ends at the
    # first point back at the peak, or at the last point when it never recovers.
    edges = np.diff(np.concatenate(([0], under.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    last = len(values) - 1
    longest = 0
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        recovered = min(end, last)
        longest = max(longest, int(stamps[recovered] - stamps[start - 1]))
    return longest
