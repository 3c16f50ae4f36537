"""Compiled conditions: comparisons, crossings, arithmetic and three-valued logic."""

from __future__ import annotations

from typing import Any

import pytest

from shared.strategy.rules import parse_rules
from shared.strategy.rules.evaluate import Compiler, Leaf, Test, Vector
from shared.strategy.rules.nodes import FieldRef, IndicatorRef
from shared.strategy.rules.walk import references

TICK = 0.25
SLOTS = ("close", "open", "x")  # the vector: close, open, indicator x, position sign


def leaf(node: FieldRef | IndicatorRef) -> Leaf:
    if isinstance(node, FieldRef):
        return ("1m", "field", node.field)
    return ("1m", "indicator", node.name)


def compiled(condition: Any) -> Test:
    rules = parse_rules(
        {
            "indicators": {"x": {"type": "sma"}},
            "rules": [{"when": condition, "then": {"do": "exit"}}],
        }
    )
    assert {leaf(n)[2] for n in references(rules)} <= set(SLOTS)
    slots = {("1m", "field", "close"): 0, ("1m", "field", "open"): 1, ("1m", "indicator", "x"): 2}
    return Compiler(slots, leaf, TICK, 3).test(rules.rules[0].when)


def v(
    close: float | None = 1.0, open_: float | None = 1.0, x: float | None = 1.0, pos: float = 0
) -> Vector:
    return (close, open_, x, pos)


@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        (">", 2, 1, True),
        (">", 1, 1, False),
        (">", 0, 1, False),
        (">=", 2, 1, True),
        (">=", 1, 1, True),
        (">=", 0, 1, False),
        ("<", 2, 1, False),
        ("<", 1, 1, False),
        ("<", 0, 1, True),
        ("<=", 2, 1, False),
        ("<=", 1, 1, True),
        ("<=", 0, 1, True),
        ("==", 2, 1, False),
        ("==", 1, 1, True),
        ("==", 1, 1 + 1e-12, True),
        (">", None, 1, None),
        ("<=", 1, None, None),
        ("==", None, None, None),
    ],
)
def test_comparisons(op: str, a: float | None, b: float | None, expected: bool | None) -> None:
    assert compiled({op: ["close", "x"]})(v(close=a, x=b), None) is expected


def test_equality_within_a_tolerance() -> None:
    test = compiled({"==": ["close", "x"], "tolerance": 0.25})
    assert test(v(close=100.0, x=100.25), None) is True
    assert test(v(close=100.0, x=99.75), None) is True
    assert test(v(close=100.0, x=100.26), None) is False


@pytest.mark.parametrize(
    ("before", "after", "above", "below"),
    [
        ((1, 2), (3, 2), True, False),  # from below to above
        ((2, 2), (3, 2), True, False),  # from a touch to above
        ((1, 2), (2, 2), False, False),  # a touch is not a cross
        ((3, 2), (4, 2), False, False),  # staying above
        ((3, 2), (1, 2), False, True),  # from above to below
        ((2, 2), (1, 2), False, True),  # from a touch to below
        ((2, 2), (2, 2), False, False),
        ((None, 2), (3, 2), None, None),  # unknown before
        ((1, 2), (3, None), None, None),  # unknown now
    ],
)
def test_crossings_compare_this_bar_with_the_previous_one(
    before: tuple[float | None, float | None],
    after: tuple[float | None, float | None],
    above: bool | None,
    below: bool | None,
) -> None:
    prev, now = v(close=before[0], x=before[1]), v(close=after[0], x=after[1])
    assert compiled({"crosses_above": ["close", "x"]})(now, prev) is above
    assert compiled({"crosses_below": ["close", "x"]})(now, prev) is below


def test_a_crossing_on_the_first_bar_is_unknown() -> None:
    assert compiled({"crosses_above": ["close", "x"]})(v(close=3, x=2), None) is None


def test_arithmetic_and_ticks() -> None:
    over = compiled({">": ["close", {"+": ["open", {"ticks": 2}]}]})
    assert over(v(close=10.5, open_=10.0), None) is False
    assert over(v(close=10.75, open_=10.0), None) is True
    ratio = compiled({">": [{"/": ["close", "open"]}, 1.01]})
    assert ratio(v(close=102, open_=100), None) is True
    assert ratio(v(close=101, open_=100), None) is False
    assert ratio(v(close=101, open_=0), None) is None  # division by zero: unknown
    assert compiled({"<": [{"*": ["x", 2]}, {"-": ["close", 1]}]})(v(close=9, x=4), None) is False
    assert compiled({"<": [{"*": ["x", 2]}, {"-": ["close", 1]}]})(v(close=9, x=3.9), None) is True
    assert compiled({"<": [{"*": ["x", 2]}, "close"]})(v(x=None), None) is None


@pytest.mark.parametrize(
    ("form", "parts", "expected"),
    [
        ("all", (True, True), True),
        ("all", (True, None), None),
        ("all", (False, None), False),
        ("any", (False, False), False),
        ("any", (False, None), None),
        ("any", (True, None), True),
    ],
)
def test_all_and_any_are_three_valued(
    form: str, parts: tuple[bool | None, ...], expected: bool | None
) -> None:
    part = {True: {">": ["close", 0]}, False: {"<": ["close", 0]}, None: {">": ["x", 0]}}
    test = compiled({form: [part[p] for p in parts]})
    assert test(v(close=1, x=None), None) is expected


def test_not_keeps_unknown_unknown() -> None:
    test = compiled({"not": {">": ["x", 0]}})
    assert test(v(x=1), None) is False
    assert test(v(x=-1), None) is True
    assert test(v(x=None), None) is None


def test_position_reads_the_sign_at_the_end_of_the_vector() -> None:
    long, short, flat = (compiled({"position": side}) for side in ("long", "short", "flat"))
    assert [long(v(pos=1), None), short(v(pos=1), None), flat(v(pos=1), None)] == [
        True,
        False,
        False,
    ]
    assert [long(v(pos=-1), None), short(v(pos=-1), None), flat(v(pos=-1), None)] == [
        False,
        True,
        False,
    ]
    assert [long(v(pos=0), None), short(v(pos=0), None), flat(v(pos=0), None)] == [
        False,
        False,
        True,
    ]
