"""Conditions compiled into closures over a vector of the bar's values.

Each primary bar gives a tuple ``now`` of every value the rules read (bar fields and
indicator lines, the primary timeframe's and the other timeframes' latest closed ones, and
the position's sign last); ``prev`` is the tuple of the symbol's previous primary bar. A
value is None while unknown (warm-up, no bar of that timeframe yet), and the logic is
three-valued: a comparison with an unknown side is unknown, ``all`` is false if a part is
false, else unknown if a part is, ``any`` the mirror image, ``not`` keeps unknown. A rule
acts only on True.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from shared.strategy.rules.nodes import (
    AllOf,
    Arith,
    Compare,
    Condition,
    Const,
    Cross,
    FieldRef,
    IndicatorRef,
    Not,
    Operand,
    PositionIs,
    Ticks,
)

Vector = tuple[float | None, ...]
Value = Callable[[Vector], float | None]
Test = Callable[[Vector, Vector | None], bool | None]
Leaf = tuple[str, str, str]
"""One slot of the vector: (timeframe, "field", field) or (timeframe, "indicator", line),
a line being ``name`` or ``name.output``."""

EQUAL_TOLERANCE = 1e-9
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_COMPARE = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


class Compiler:
    """Compiles the nodes of one symbol's rules; ``leaf`` maps a reference to its slot key."""

    def __init__(
        self,
        slots: Mapping[Leaf, int],
        leaf: Callable[[FieldRef | IndicatorRef], Leaf],
        tick: float,
        position: int,
    ) -> None:
        self.slots, self.leaf, self.tick, self.position = slots, leaf, tick, position

    def value(self, node: Operand) -> Value:
        """A closure giving the operand's value from a vector."""
        if isinstance(node, Const):
            number = float(node.value)
            return lambda _: number
        if isinstance(node, Ticks):
            assert isinstance(node.count, Const), "parameters are bound before compiling"
            distance = node.count.value * self.tick
            return lambda _: distance
        if isinstance(node, (FieldRef, IndicatorRef)):
            return operator.itemgetter(self.slots[self.leaf(node)])
        if not isinstance(node, Arith):
            raise TypeError(f"unbound parameter {node!r}")
        return _arith(node.op, self.value(node.left), self.value(node.right))

    def test(self, node: Condition) -> Test:
        """A closure giving the condition's truth (None: unknown) from ``now`` and ``prev``."""
        if isinstance(node, Compare):
            return _compare(node, self.value(node.left), self.value(node.right))
        if isinstance(node, Cross):
            return _cross(node.op == "crosses_above", self.value(node.left), self.value(node.right))
        if isinstance(node, Not):
            part = self.test(node.part)
            return lambda now, prev: None if (r := part(now, prev)) is None else not r
        if isinstance(node, PositionIs):
            slot, side = self.position, node.side
            if side == "long":
                return lambda now, prev: now[slot] > 0  # type: ignore[operator]
            if side == "short":
                return lambda now, prev: now[slot] < 0  # type: ignore[operator]
            return lambda now, prev: now[slot] == 0
        parts = tuple(self.test(p) for p in node.parts)
        return _all(parts) if isinstance(node, AllOf) else _any(parts)


def _arith(op: str, left: Value, right: Value) -> Value:
    if op == "/":

        def divide(v: Vector) -> float | None:
            a, b = left(v), right(v)
            return None if a is None or b is None or b == 0 else a / b

        return divide
    fn = _ARITH[op]

    def apply(v: Vector) -> float | None:
        a, b = left(v), right(v)
        return None if a is None or b is None else fn(a, b)

    return apply


def _compare(node: Compare, left: Value, right: Value) -> Test:
    if node.op == "==":
        assert node.tolerance is None or isinstance(node.tolerance, Const)
        tol = float(node.tolerance.value) if node.tolerance is not None else EQUAL_TOLERANCE

        def equal(now: Vector, prev: Vector | None) -> bool | None:
            a, b = left(now), right(now)
            return None if a is None or b is None else abs(a - b) <= tol

        return equal
    fn = _COMPARE[node.op]

    def compare(now: Vector, prev: Vector | None) -> bool | None:
        a, b = left(now), right(now)
        return None if a is None or b is None else fn(a, b)

    return compare


def _cross(above: bool, left: Value, right: Value) -> Test:
    def cross(now: Vector, prev: Vector | None) -> bool | None:
        if prev is None:
            return None
        a1, b1, a0, b0 = left(now), right(now), left(prev), right(prev)
        if a1 is None or b1 is None or a0 is None or b0 is None:
            return None
        return (a0 <= b0 and a1 > b1) if above else (a0 >= b0 and a1 < b1)

    return cross


def _all(parts: tuple[Test, ...]) -> Test:
    def every(now: Vector, prev: Vector | None) -> bool | None:
        unknown = False
        for part in parts:
            result = part(now, prev)
            if result is False:
                return False
            unknown = unknown or result is None
        return None if unknown else True

    return every


def _any(parts: tuple[Test, ...]) -> Test:
    def some(now: Vector, prev: Vector | None) -> bool | None:
        unknown = False
        for part in parts:
            result = part(now, prev)
            if result is True:
                return True
            unknown = unknown or result is None
        return None if unknown else False

    return some
