"""Decimal text to whole grid steps: exact, integer arithmetic, refusing what is off the grid."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market_data_engine.pipeline.grid import MALFORMED, NON_FINITE, OFF_GRID, BadNumber, Grid

STEPS = ["0.25", "0.01", "0.1", "1", "5", "0.0001", "1E+1", "0.125"]


@settings(max_examples=300, derandomize=True)
@given(st.sampled_from(STEPS), st.integers(-(10**12), 10**12), st.integers(0, 3))
def test_a_multiple_of_the_step_gives_exactly_its_count(step: str, count: int, zeros: int) -> None:
    grid = Grid(Decimal(step))
    text = format(Decimal(step) * count, "f")
    if "." in text:
        text += "0" * zeros  # trailing zeros change nothing
    assert grid.multiples(text) == count
    assert grid.multiples(text) == count  # from the cache


@settings(max_examples=300, derandomize=True)
@given(st.sampled_from(STEPS), st.integers(-(10**9), 10**9), st.integers(1, 99))
def test_a_value_between_two_steps_is_off_the_grid(step: str, count: int, part: int) -> None:
    value = Decimal(step) * count + Decimal(step) * Decimal(part) / 100
    with pytest.raises(BadNumber) as caught:
        Grid(Decimal(step)).multiples(str(value))
    assert caught.value.kind == OFF_GRID


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000.25", 20001),
        ("-37.50", -150),
        ("0", 0),
        ("+5", 20),
        ("1E+2", 400),
        ("5000.2500000", 20001),
        (" 5 ", 20),
        (5, 20),
        (5.25, 21),
    ],
)
def test_readable_forms_convert_exactly(text: object, expected: int) -> None:
    assert Grid(Decimal("0.25")).multiples(text) == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("NaN", NON_FINITE),
        ("Infinity", NON_FINITE),
        ("-inf", NON_FINITE),
        (float("nan"), NON_FINITE),
        (float("inf"), NON_FINITE),
        ("5000.1", OFF_GRID),
        ("abc", MALFORMED),
        ("", MALFORMED),
        ("1e400", MALFORMED),
        ("0." + "0" * 60 + "25", MALFORMED),
        (None, MALFORMED),
        (True, MALFORMED),
        ([1], MALFORMED),
    ],
)
def test_bad_numbers_say_what_is_wrong(value: object, kind: str) -> None:
    with pytest.raises(BadNumber) as caught:
        Grid(Decimal("0.25")).multiples(value)
    assert caught.value.kind == kind


def test_a_step_must_be_positive() -> None:
    for step in ("0", "-0.25", "NaN"):
        with pytest.raises(ValueError, match="positive"):
            Grid(Decimal(step))
