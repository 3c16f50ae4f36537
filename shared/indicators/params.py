"""Parameter checks shared by the streaming classes, the batch functions and the registry."""

from __future__ import annotations

import math


def check_period(name: str, value: object, minimum: int = 1) -> int:
    """``value`` as a period: an int (not a bool) of at least ``minimum``, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def check_multiplier(name: str, value: object) -> float:
    """``value`` as a band multiplier: a finite real number > 0, else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number > 0, got {value!r}")
    result = float(value)
    if not (math.isfinite(result) and result > 0.0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return result
