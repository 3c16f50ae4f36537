import copy
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.values import (
    CurrencyMismatch,
    Money,
    Price,
    Quantity,
    TickRounding,
    is_on_tick,
    round_to_tick,
    to_decimal,
)

prices = st.decimals(min_value=-100_000, max_value=100_000, places=6, allow_nan=False)
ticks = st.sampled_from([Decimal(t) for t in ("0.25", "0.01", "0.1", "1", "0.005", "5", "0.3")])
amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False)
seeded = settings(derandomize=True)  # the same examples on every run
quantities = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "sNaN", Decimal("NaN")])
def test_values_refuse_nan_and_infinity(bad):
    for make in (Price, Quantity, lambda v: Money(v, "USD")):
        with pytest.raises(ValueError, match="not finite"):
            make(bad)


@pytest.mark.parametrize("bad", [0.1, True, None, [1]])
def test_values_refuse_floats_and_non_numbers(bad):
    with pytest.raises(TypeError):
        Price(bad)
    with pytest.raises(TypeError):
        Money(bad, "USD")


def test_garbage_string_is_a_value_error():
    with pytest.raises(ValueError, match="not a number"):
        to_decimal("12,5", "price")


def test_values_are_immutable():
    price, money = Price("1"), Money("1", "USD")
    with pytest.raises(AttributeError):
        price.value = Decimal(2)
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)
    with pytest.raises(AttributeError):
        price.other = 1


def test_values_survive_pickle_and_copy():
    for value in (Price("5120.25"), Quantity("3"), Money("12.50", "USD")):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value


def test_equal_values_hash_equal_and_kinds_do_not_mix():
    assert Price("1.50") == Price("1.5")
    assert hash(Price("1.50")) == hash(Price("1.5"))
    assert Price("1") != Quantity("1")
    assert Price("1") != Decimal(1)
    with pytest.raises(TypeError):
        _ = Price("1") < Quantity("2")  # type: ignore[operator]


def test_price_arithmetic():
    assert Price("5120.25") - Price("5119.00") == Decimal("1.25")
    assert Price("5120.25") + Decimal("0.25") == Price("5120.50")
    assert Price("5120.25") - Decimal("0.25") == Price("5120.00")
    assert Price("-37.63") < Price("0")  # negative prices are prices


def test_quantity_cannot_go_negative():
    assert Quantity("3") - Quantity("1") == Quantity("2")
    with pytest.raises(ValueError, match="negative"):
        Quantity("1") - Quantity("3")
    with pytest.raises(ValueError, match="negative"):
        Quantity("-1")


def test_quantity_integrality_and_truthiness():
    assert Quantity("2").is_integral
    assert not Quantity("0.5").is_integral
    assert not Quantity("0")
    assert Quantity("2") * 3 == Quantity("6")


def test_money_refuses_to_mix_currencies():
    usd, eur = Money("10", "USD"), Money("10", "EUR")
    with pytest.raises(CurrencyMismatch):
        _ = usd + eur
    with pytest.raises(CurrencyMismatch):
        _ = usd - eur
    with pytest.raises(CurrencyMismatch):
        _ = usd < eur
    assert usd != eur


def test_money_refuses_bad_currency_and_non_money_operands():
    with pytest.raises(ValueError, match="currency"):
        Money("1", "usd")
    with pytest.raises(TypeError):
        _ = Money("1", "USD") + Decimal(1)  # type: ignore[operator]


def test_money_sums_scales_and_rounds():
    total = sum([Money("1.25", "USD"), Money("2.50", "USD")])
    assert total == Money("3.75", "USD")
    assert Money("12.50", "USD") * 4 == Money("50", "USD")
    assert 2 * Money("1.5", "USD") == Money("3", "USD")
    assert Money("10", "USD") / 4 == Money("2.5", "USD")
    assert Money("2.345", "USD").rounded() == Money("2.34", "USD")
    assert -Money("1", "USD") == Money("-1", "USD")
    assert abs(Money("-1", "USD")) == Money("1", "USD")
    assert str(Money("12.50", "USD")) == "12.50 USD"


@seeded
@given(a=amounts, b=amounts, c=amounts)
def test_money_addition_is_commutative_and_associative(a, b, c):
    x, y, z = Money(a, "USD"), Money(b, "USD"), Money(c, "USD")
    assert x + y == y + x
    assert (x + y) + z == x + (y + z)
    assert x - x == Money.zero("USD")


@seeded
@given(a=quantities, b=quantities)
def test_quantity_add_then_subtract_is_identity(a, b):
    assert (Quantity(a) + Quantity(b)) - Quantity(b) == Quantity(a)


@seeded
@given(price=prices, tick=ticks)
def test_nearest_tick_is_on_tick_and_within_half_a_tick(price, tick):
    rounded = round_to_tick(price, tick)
    assert is_on_tick(rounded, tick)
    assert abs(rounded - price) <= tick / 2


@seeded
@given(price=prices, tick=ticks)
def test_rounding_up_and_down_brackets_the_price(price, tick):
    up = round_to_tick(Price(price), tick, TickRounding.UP)
    down = round_to_tick(Price(price), tick, TickRounding.DOWN)
    assert up.is_on_tick(tick) and down.is_on_tick(tick)
    assert down.value <= price <= up.value
    assert up.value - down.value in (Decimal(0), tick)
    assert (up == down) == is_on_tick(price, tick)


@seeded
@given(price=prices, tick=ticks)
def test_rounding_is_idempotent(price, tick):
    once = round_to_tick(price, tick)
    assert round_to_tick(once, tick) == once


@seeded
@given(n=st.integers(min_value=-(10**9), max_value=10**9), tick=ticks)
def test_every_whole_number_of_ticks_is_on_tick(n, tick):
    assert is_on_tick(n * tick, tick)
    assert round_to_tick(Price(n * tick), tick) == Price(n * tick)


def test_rounding_examples():
    tick = Decimal("0.25")
    assert str(round_to_tick(Price("5120.30"), tick)) == "5120.25"
    assert str(round_to_tick(Price("5120.30"), tick, TickRounding.UP)) == "5120.50"
    assert str(round_to_tick(Decimal("-0.1"), tick)) == "0.00"  # never "-0.00"
    assert round_to_tick(Decimal("0.125"), tick) == Decimal("0")  # ties go to the even tick
    assert not is_on_tick(Price("5120.30"), tick)
    assert Price.from_float(5120.2500000001, tick) == Price("5120.25")


def test_tick_must_be_positive():
    with pytest.raises(ValueError, match="tick"):
        is_on_tick(Decimal(1), Decimal(0))
    with pytest.raises(ValueError, match="tick"):
        round_to_tick(Decimal(1), Decimal("-0.25"))
