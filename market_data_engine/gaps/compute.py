"""Gaps: intervals without a candle while the session was open, merged into ranges."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from market_data_engine.gaps.intervals import Array


class Gap(NamedTuple):
    """Consecutive missing intervals covering [start, end)."""

    start_ns: int
    end_ns: int
    missing: int


class GapCount(NamedTuple):
    """How many intervals a session touched, and the missing ones as ranges."""

    expected: int
    missing: int
    gaps: list[Gap]


def in_session(opens: Array, closes: Array, session_opens: Array, session_closes: Array) -> Array:
    """Per interval: True if some session window overlaps it (even partly)."""
    if not len(session_opens):
        return np.zeros(len(opens), dtype=bool)
    index = np.searchsorted(session_closes, opens, side="right")  # first window ending after
    found = index < len(session_opens)
    starts = session_opens[np.minimum(index, len(session_opens) - 1)]
    result: Array = found & (starts < closes)
    return result


def find_gaps(opens: Array, closes: Array, expected: Array, present: Array) -> GapCount:
    """Missing intervals among the ``expected`` ones, given the open times ``present``.

    Intervals merge into one gap when each ends where the next begins, so a session break
    (or an interval that has its candle) separates gaps.
    """
    have = np.isin(opens, present)
    missing = np.flatnonzero(expected & ~have)
    if not len(missing):
        return GapCount(int(expected.sum()), 0, [])
    breaks = np.flatnonzero(closes[missing[:-1]] != opens[missing[1:]]) + 1
    firsts = np.concatenate(([0], breaks))
    lasts = np.concatenate((breaks, [len(missing)])) - 1
    gaps = [
        Gap(int(opens[missing[a]]), int(closes[missing[b]]), int(b - a + 1))
        for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True)
    ]
    return GapCount(int(expected.sum()), len(missing), gaps)
