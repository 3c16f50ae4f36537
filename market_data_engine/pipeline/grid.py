"""Decimal text to a whole number of grid steps (ticks, quantity steps), exactly and fast.

A plain decimal string (``"5000.25"``, ``"-37.63"``, ``"2"``) is converted with integer
arithmetic only: ``value / step`` = ``digits * 10**step_exp / (step_digits * 10**frac_len)``,
refused unless it divides exactly. Anything else that ``Decimal`` reads (exponents, a
``+`` sign), and JSON numbers, take a slower exact path. Results are remembered: live
prices repeat a lot.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_PLAIN = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_MAX_EXPONENT = 40  # beyond this no price or size is meant; refusing it bounds the integer work
_CACHE_LIMIT = 100_000
_POW10: list[int] = [10**n for n in range(2 * _MAX_EXPONENT + 1)]

MALFORMED = "malformed"
NON_FINITE = "non_finite"
OFF_GRID = "off_grid"


class BadNumber(ValueError):
    """A value that is not a number, not finite, or not a whole number of steps."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


class Grid:
    """Whole multiples of ``step`` (a positive decimal)."""

    __slots__ = ("_cache", "_num", "_scale", "step")

    def __init__(self, step: Decimal) -> None:
        if not step.is_finite() or step <= 0:
            raise ValueError(f"a grid step must be a positive finite decimal, got {step}")
        _sign, digits, exponent = step.normalize().as_tuple()
        number = int("".join(map(str, digits)))
        assert isinstance(exponent, int)  # finite, checked above
        self.step = step
        self._num: int = number * _POW10[exponent] if exponent > 0 else number
        self._scale = -exponent if exponent < 0 else 0
        self._cache: dict[str, int] = {}

    def multiples(self, value: object) -> int:
        """How many steps ``value`` (a decimal string or JSON number) is; BadNumber if not whole."""
        if type(value) is str:
            cached = self._cache.get(value)
            if cached is None:
                cached = self._text(value)
                if len(self._cache) >= _CACHE_LIMIT:
                    self._cache.clear()
                self._cache[value] = cached
            return cached
        if type(value) is int:
            return self._exact(Decimal(value))
        if type(value) is float:
            if not math.isfinite(value):
                raise BadNumber(NON_FINITE, f"{value!r} is not finite")
            return self._exact(Decimal(repr(value)))
        raise BadNumber(MALFORMED, f"expected a decimal string, got {type(value).__name__}")

    def _text(self, text: str) -> int:
        match = _PLAIN.fullmatch(text)
        if match is None or len(text) > _MAX_EXPONENT:
            return self._exact(_decimal(text))
        sign, whole, frac = match.groups()
        digits = int(whole + frac) if frac else int(whole)
        count = self._divide(digits, len(frac) if frac else 0, text)
        return -count if sign else count

    def _divide(self, digits: int, frac_len: int, shown: object) -> int:
        # value / step = (digits / 10**frac_len) / (num / 10**scale)
        count, rest = divmod(digits * _POW10[self._scale], self._num * _POW10[frac_len])
        if rest:
            raise BadNumber(OFF_GRID, f"{shown} is not a multiple of {self.step}")
        return count

    def _exact(self, value: Decimal) -> int:
        if not value.is_finite():
            raise BadNumber(NON_FINITE, f"{value} is not finite")
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        if len(digits) > _MAX_EXPONENT or abs(exponent) > _MAX_EXPONENT:
            raise BadNumber(MALFORMED, f"{value} is out of range")
        number = int("".join(map(str, digits)))
        if exponent >= 0:
            count = self._divide(number * _POW10[exponent], 0, value)
        else:
            count = self._divide(number, -exponent, value)
        return -count if sign else count


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise BadNumber(MALFORMED, f"{text[:40]!r} is not a decimal number") from None
