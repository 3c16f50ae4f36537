"""Declared parameters: conversion, ranges, choices, defaults, and the messages naming them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.strategy.params import Param, ParameterError, describe, resolve

PERIOD = Param("period", int, 14, low=2, high=500, doc="Bars.")
LEVEL = Param("level", float, 30.0, low=0, high=100, doc="A level.")
FRACTION = Param("fraction", Decimal, Decimal("0.5"), low=0, high=1)
MODE = Param("mode", str, "sma", choices=("sma", "ema"))
FLAG = Param("flag", bool, False)
REQUIRED = Param("needed", int)


def problem(param: Param, raw: object) -> str:
    with pytest.raises(ParameterError) as caught:
        param.check(raw)
    assert caught.value.name == param.name
    assert str(caught.value) == f"parameter {param.name!r}: {caught.value.problem}"
    return caught.value.problem


@pytest.mark.parametrize(
    ("raw", "value"),
    [(7, 7), (7.0, 7), ("7", 7), (" 12 ", 12), (Decimal("9"), 9), (Decimal("9.0"), 9)],
)
def test_int_accepts_whole_numbers_in_any_form(raw: object, value: int) -> None:
    assert PERIOD.check(raw) == value
    assert type(PERIOD.check(raw)) is int


@pytest.mark.parametrize("raw", [7.5, "7.5", "--5", "seven", "²", True, None, [7], Decimal("NaN")])
def test_int_refuses_what_is_not_a_whole_number(raw: object) -> None:
    assert problem(PERIOD, raw) == f"{raw!r} is not an integer"


@pytest.mark.parametrize(("raw", "value"), [(2, 2.0), ("2.5", 2.5), (Decimal("3.25"), 3.25)])
def test_float_accepts_numbers_and_numeric_text(raw: object, value: float) -> None:
    assert LEVEL.check(raw) == value
    assert type(LEVEL.check(raw)) is float


@pytest.mark.parametrize("raw", ["abc", True, None, [1], {}])
def test_float_refuses_what_is_not_a_number(raw: object) -> None:
    assert problem(LEVEL, raw) == f"{raw!r} is not a number"


@pytest.mark.parametrize("raw", ["nan", "inf", float("inf"), float("nan"), "1e400"])
def test_float_refuses_non_finite_numbers(raw: object) -> None:
    assert problem(Param("x", float), raw) == f"{raw!r} is not a finite number"


def test_decimal_keeps_the_exact_value() -> None:
    assert FRACTION.check("0.1") == Decimal("0.1")
    assert FRACTION.check(0.1) == Decimal("0.1")  # via str, not the binary float
    assert type(FRACTION.check(1)) is Decimal


@pytest.mark.parametrize(
    ("raw", "value"), [(True, True), (False, False), ("true", True), ("FALSE", False)]
)
def test_bool_accepts_booleans_and_their_names(raw: object, value: bool) -> None:
    assert FLAG.check(raw) is value


@pytest.mark.parametrize("raw", [1, 0, "yes", None])
def test_bool_refuses_anything_else(raw: object) -> None:
    assert problem(FLAG, raw) == f"{raw!r} is not true or false"


def test_str_refuses_non_text() -> None:
    assert problem(Param("name", str), 5) == "5 is not text"


def test_choices_name_the_allowed_values() -> None:
    assert MODE.check("ema") == "ema"
    assert problem(MODE, "wma") == "'wma' is not one of sma, ema"


def test_range_is_inclusive_and_named_in_the_message() -> None:
    assert PERIOD.check(2) == 2
    assert PERIOD.check(500) == 500
    assert problem(PERIOD, 1) == "1 is below the minimum 2"
    assert problem(PERIOD, "501") == "'501' is above the maximum 500"
    assert problem(FRACTION, "1.5") == "'1.5' is above the maximum 1"


def test_unsupported_kind_is_named() -> None:
    assert problem(Param("when", list), []) == "has an unsupported type list"


def test_a_default_that_breaks_its_own_range_fails_at_declaration() -> None:
    with pytest.raises(ParameterError, match="below the minimum"):
        Param("period", int, 1, low=2)


def test_a_default_is_kept_in_the_declared_type() -> None:
    assert Param("level", float, 2).default == 2.0
    assert type(Param("level", float, 2).default) is float


def test_resolve_checks_given_values_and_fills_defaults() -> None:
    values = resolve((PERIOD, LEVEL, MODE, FLAG), {"period": "20", "flag": "true"})
    assert values == {"period": 20, "level": 30.0, "mode": "sma", "flag": True}


def test_resolve_names_an_unknown_parameter_and_the_accepted_ones() -> None:
    with pytest.raises(ParameterError) as caught:
        resolve((PERIOD, LEVEL), {"periods": 3})
    assert caught.value.name == "periods"
    assert caught.value.problem == "is not a parameter of this strategy (accepted: period, level)"


def test_resolve_with_nothing_declared_accepts_nothing() -> None:
    with pytest.raises(ParameterError, match=r"\(accepted: none\)"):
        resolve((), {"x": 1})


def test_resolve_names_a_missing_required_parameter() -> None:
    with pytest.raises(ParameterError) as caught:
        resolve((PERIOD, REQUIRED), {})
    assert (caught.value.name, caught.value.problem) == ("needed", "is required")
    assert resolve((REQUIRED,), {"needed": 3}) == {"needed": 3}


def test_resolve_names_the_bad_value() -> None:
    with pytest.raises(ParameterError) as caught:
        resolve((PERIOD, LEVEL), {"level": 101})
    assert str(caught.value) == "parameter 'level': 101 is above the maximum 100"


def test_describe_gives_plain_data() -> None:
    assert describe((PERIOD, MODE)) == [
        {
            "name": "period",
            "type": "int",
            "default": 14,
            "min": 2,
            "max": 500,
            "choices": [],
            "doc": "Bars.",
        },
        {
            "name": "mode",
            "type": "str",
            "default": "sma",
            "min": None,
            "max": None,
            "choices": ["sma", "ema"],
            "doc": "",
        },
    ]


@given(st.integers(min_value=2, max_value=500))
def test_any_integer_in_range_round_trips_through_text(n: int) -> None:
    assert PERIOD.check(str(n)) == n
    assert PERIOD.check(float(n)) == n


@given(st.integers().filter(lambda n: not 2 <= n <= 500))
def test_any_integer_out_of_range_is_refused(n: int) -> None:
    with pytest.raises(ParameterError):
        PERIOD.check(n)
