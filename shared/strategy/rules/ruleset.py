"""The parsed rule set: its rules, actions, indicators and window (immutable values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from shared.strategy.params import Param
from shared.strategy.rules.nodes import Condition, Number, Operand


@dataclass(frozen=True, slots=True)
class Exit:
    """A bracket leg: ``ticks`` or a price ``offset`` from the entry, or an absolute
    ``price`` (any operand)."""

    kind: str
    value: Operand


@dataclass(frozen=True, slots=True)
class Action:
    """What a rule does: ``enter_long``, ``enter_short``, ``exit`` or ``reverse``."""

    do: str
    quantity: Number | None = None
    take_profit: Exit | None = None
    stop_loss: Exit | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """When ``when`` holds on a primary bar, ``then`` may act."""

    when: Condition
    then: Action
    name: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """A named indicator: registry type, parameters, timeframe (None: primary), source."""

    name: str
    type: str
    params: tuple[tuple[str, Number], ...] = ()
    timeframe: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Window:
    """Local hours (``start`` to ``end``, overnight when end <= start) on ``days``
    (0 = Monday, the day a window opens) during which entries are allowed."""

    start: time
    end: time
    timezone: str = "UTC"
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    flatten: bool = False


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A whole parsed rule set."""

    rules: tuple[Rule, ...]
    indicators: tuple[IndicatorSpec, ...] = ()
    parameters: tuple[Param, ...] = ()
    timeframe: str | None = None
    window: Window | None = None
    description: str = ""

    def indicator(self, name: str) -> IndicatorSpec:
        """The indicator declared as ``name``."""
        return next(spec for spec in self.indicators if spec.name == name)
