"""The parsed values and conditions of a rule set: immutable, compared by value."""

from __future__ import annotations

from dataclasses import dataclass

BAR_FIELDS = ("open", "high", "low", "close", "volume", "vwap")
"""The candle fields a rule can read."""


@dataclass(frozen=True, slots=True)
class Const:
    """A number written in the rule set."""

    value: int | float


@dataclass(frozen=True, slots=True)
class ParamRef:
    """A number taken from a declared parameter: ``{"param": "fast"}``."""

    name: str


Number = Const | ParamRef


@dataclass(frozen=True, slots=True)
class Ticks:
    """``count`` ticks of the symbol's instrument, as a price distance: ``{"ticks": 4}``."""

    count: Number


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field of the latest closed candle; ``timeframe`` None is the primary one."""

    field: str
    timeframe: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorRef:
    """A declared indicator's value, or one line of a multi-line one (``bands.upper``)."""

    name: str
    output: str | None = None


@dataclass(frozen=True, slots=True)
class Arith:
    """``left op right`` for op in ``+ - * /``; unknown when either side is."""

    op: str
    left: Operand
    right: Operand


Operand = Const | ParamRef | Ticks | FieldRef | IndicatorRef | Arith


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right`` for op in ``> >= < <= ==``; ``==`` within ``tolerance``."""

    op: str
    left: Operand
    right: Operand
    tolerance: Number | None = None


@dataclass(frozen=True, slots=True)
class Cross:
    """``crosses_above`` or ``crosses_below``: on the bar the order of the two changes."""

    op: str
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class AllOf:
    """True when every part is."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """True when some part is."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """True when the part is false."""

    part: Condition


@dataclass(frozen=True, slots=True)
class PositionIs:
    """The strategy's intended position in the symbol is ``long``, ``short`` or ``flat``."""

    side: str


Condition = Compare | Cross | AllOf | AnyOf | Not | PositionIs
