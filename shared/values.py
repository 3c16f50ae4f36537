"""Immutable decimal values: Price, Quantity, Money, and arithmetic on tick sizes.

Floats are refused at construction (convert deliberately with ``Price.from_float``), and so
are NaN and infinities. Values compare only with their own kind; Money only within one
currency.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from decimal import localcontext as _localcontext
from enum import StrEnum
from typing import Any, NoReturn, Self, TypeVar, overload

DecimalLike = Decimal | int | str
_CURRENCY = re.compile(r"^[A-Z][A-Z0-9]{2,5}$")
_PRECISION = 60  # enough digits that tick division and remainders are exact


def to_decimal(value: object, what: str = "value") -> Decimal:
    """A finite Decimal from a Decimal, int or numeric string; anything else raises."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str) and not isinstance(value, bool):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{what}: {value!r} is not a number") from None
    else:
        raise TypeError(f"{what}: expected Decimal, int or str, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{what}: {result} is not finite")
    return result


class _Immutable:
    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")


class _Scalar(_Immutable):
    """A finite Decimal ordered only against values of its own class."""

    __slots__ = ("value",)
    value: Decimal

    def __init__(self, value: DecimalLike) -> None:
        checked = self._check(to_decimal(value, type(self).__name__))
        object.__setattr__(self, "value", checked)

    @classmethod
    def _check(cls, value: Decimal) -> Decimal:
        return value

    def __reduce__(self) -> tuple[type[Self], tuple[Decimal]]:
        return type(self), (self.value,)

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self.value}')"

    def __str__(self) -> str:
        return str(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.value))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.value == other.value

    def __lt__(self, other: Self) -> bool:
        return self.value < other.value if type(other) is type(self) else NotImplemented

    def __le__(self, other: Self) -> bool:
        return self.value <= other.value if type(other) is type(self) else NotImplemented

    def __gt__(self, other: Self) -> bool:
        return self.value > other.value if type(other) is type(self) else NotImplemented

    def __ge__(self, other: Self) -> bool:
        return self.value >= other.value if type(other) is type(self) else NotImplemented


class Price(_Scalar):
    """A price in the instrument's quote units. It may be zero or negative (spreads, CL 2020)."""

    __slots__ = ()

    @classmethod
    def from_float(cls, value: float, tick: Decimal) -> Price:
        """The nearest on-tick price to a float from a numeric hot loop."""
        return round_to_tick(cls(repr(value)), tick)

    def __add__(self, points: Decimal | int) -> Price:
        return Price(self.value + points)

    @overload
    def __sub__(self, other: Price) -> Decimal: ...
    @overload
    def __sub__(self, other: Decimal | int) -> Price: ...
    def __sub__(self, other: Price | Decimal | int) -> Price | Decimal:
        """Price minus price is a distance in points; price minus points is a price."""
        if isinstance(other, Price):
            return self.value - other.value
        return Price(self.value - other)

    def is_on_tick(self, tick: Decimal) -> bool:
        return is_on_tick(self, tick)


class Quantity(_Scalar):
    """A non-negative amount of an instrument: contracts, shares or coins."""

    __slots__ = ()

    @classmethod
    def _check(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError(f"Quantity: {value} is negative")
        return value

    @property
    def is_integral(self) -> bool:
        """True for whole contracts or shares."""
        return self.value == self.value.to_integral_value()

    def __bool__(self) -> bool:
        return self.value != 0

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.value + other.value)

    def __sub__(self, other: Quantity) -> Quantity:
        """Raises ValueError if the result would be negative."""
        return Quantity(self.value - other.value)

    def __mul__(self, factor: Decimal | int) -> Quantity:
        return Quantity(self.value * factor)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""


class Money(_Immutable):
    """An amount in one currency; arithmetic and ordering refuse to mix currencies."""

    __slots__ = ("amount", "currency")
    amount: Decimal
    currency: str

    def __init__(self, amount: DecimalLike, currency: str) -> None:
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            raise ValueError(f"Money: {currency!r} is not a currency code like USD")
        object.__setattr__(self, "amount", to_decimal(amount, "Money"))
        object.__setattr__(self, "currency", currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> Decimal:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if self.currency != other.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")
        return other.amount

    def __reduce__(self) -> tuple[type[Money], tuple[Decimal, str]]:
        return Money, (self.amount, self.currency)

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other)

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other)

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other)

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other)

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other), self.currency)

    def __radd__(self, other: Any) -> Money:
        if other == 0 and not isinstance(other, Money):  # lets sum() start from 0
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor, "factor"), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        return Money(self.amount / to_decimal(divisor, "divisor"), self.currency)

    def rounded(self, places: int = 2) -> Money:
        """Rounded half-even to ``places`` decimals (cents by default)."""
        return Money(
            self.amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN), self.currency
        )


class TickRounding(StrEnum):
    """Which way to move a price onto the tick grid; NEAREST breaks ties to the even tick."""

    NEAREST = "NEAREST"
    UP = "UP"
    DOWN = "DOWN"


_ROUNDING = {
    TickRounding.NEAREST: ROUND_HALF_EVEN,
    TickRounding.UP: ROUND_CEILING,
    TickRounding.DOWN: ROUND_FLOOR,
}
PriceT = TypeVar("PriceT", Price, Decimal)


def _check_tick(tick: Decimal) -> Decimal:
    tick = to_decimal(tick, "tick")
    if tick <= 0:
        raise ValueError(f"tick: {tick} is not positive")
    return tick


def is_on_tick(price: Price | Decimal, tick: Decimal) -> bool:
    """True if the price is a whole number of ticks."""
    value = price.value if isinstance(price, Price) else to_decimal(price, "price")
    with _localcontext() as ctx:
        ctx.prec = _PRECISION
        return value % _check_tick(tick) == 0


def round_to_tick(
    price: PriceT, tick: Decimal, mode: TickRounding = TickRounding.NEAREST
) -> PriceT:
    """The on-tick price nearest (or next above, or next below) ``price``, in the tick's scale."""
    value = price.value if isinstance(price, Price) else to_decimal(price, "price")
    tick = _check_tick(tick)
    with _localcontext() as ctx:
        ctx.prec = _PRECISION
        ticks = (value / tick).to_integral_value(rounding=_ROUNDING[TickRounding(mode)])
        result = ticks * tick
    result = abs(result) if result == 0 else result  # no "-0.00"
    return Price(result) if isinstance(price, Price) else result
