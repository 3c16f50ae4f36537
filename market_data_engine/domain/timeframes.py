"""Candle timeframes: ``30s``, ``1m``, ``5m``, ``4h`` (UTC-aligned) and ``1d`` (session-based)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_TIMEFRAMES = ("1m", "5m", "15m", "1h", "4h", "1d")
_NS_PER_UNIT = {"s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_PATTERN = re.compile(r"^([1-9][0-9]{0,3})([smhd])$")
# Real time zones are offset from UTC by whole quarter hours, so a base of 15 minutes (or a
# divisor of it) lines up with any session day that starts on a quarter hour.
_DAY_ALIGNMENT_NS = 15 * _NS_PER_UNIT["m"]


@dataclass(frozen=True, slots=True)
class Timeframe:
    """A candle width; ``daily`` candles follow the instrument's trading day, not UTC."""

    name: str
    width_ns: int
    daily: bool = False


def parse_timeframe(name: str) -> Timeframe:
    """``"5m"`` -> a 5-minute timeframe; ``"1d"`` is the session day. Others raise ValueError."""
    match = _PATTERN.match(name)
    if match is None:
        raise ValueError(f"timeframe {name!r}: expected a count and a unit among s, m, h, d")
    count, unit = int(match[1]), match[2]
    if unit == "d":
        if count != 1:
            raise ValueError(f"timeframe {name!r}: only 1d (one trading session) is supported")
        return Timeframe(name, 86_400_000_000_000, daily=True)
    return Timeframe(name, count * _NS_PER_UNIT[unit])


def parse_timeframes(names: Iterable[str] = DEFAULT_TIMEFRAMES) -> tuple[Timeframe, ...]:
    """Distinct timeframes, narrowest first and the daily one last."""
    parsed = {tf.name: tf for tf in map(parse_timeframe, names)}
    if not parsed:
        raise ValueError("at least one timeframe is needed")
    return tuple(sorted(parsed.values(), key=lambda tf: (tf.daily, tf.width_ns)))


def base_width_ns(timeframes: Iterable[Timeframe]) -> int:
    """The widest interval every timeframe's boundaries fall on: each candle is built from these."""
    given = tuple(timeframes)
    widths = [tf.width_ns for tf in given if not tf.daily]
    if any(tf.daily for tf in given):
        widths.append(_DAY_ALIGNMENT_NS)
    return math.gcd(*widths)
