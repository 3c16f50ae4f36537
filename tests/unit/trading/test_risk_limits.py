import json
from decimal import Decimal

import pytest

from shared.trading.risk_limits import InvalidRiskLimits, RiskLimits

FULL = RiskLimits(
    max_order_quantity=Decimal(10),
    max_position=Decimal(20),
    max_open_contracts=Decimal(30),
    max_notional=Decimal("2500000.50"),
    max_daily_loss=Decimal(1000),
    max_orders_per_minute=60,
    allowed_symbols=frozenset({"ES", "NQH7"}),
    session_only=True,
    price_band_pct=Decimal("2.5"),
    flatten_on_daily_loss=True,
)


def test_limits_round_trip_through_json():
    data = json.loads(json.dumps(FULL.to_dict()))

    assert RiskLimits.from_dict(data) == FULL


def test_decimals_travel_as_strings_and_symbols_as_a_sorted_list():
    data = FULL.to_dict()

    assert data["max_notional"] == "2500000.50"
    assert data["price_band_pct"] == "2.5"
    assert data["allowed_symbols"] == ["ES", "NQH7"]
    assert data["max_orders_per_minute"] == 60


def test_no_limits_round_trip_as_nulls():
    data = RiskLimits().to_dict()

    assert data["max_position"] is None
    assert data["allowed_symbols"] is None
    assert data["session_only"] is False
    assert RiskLimits.from_dict(data) == RiskLimits()
    assert RiskLimits.from_dict({}) == RiskLimits()


def test_integers_are_accepted_for_decimal_limits():
    assert RiskLimits.from_dict({"max_position": 5}).max_position == Decimal(5)


@pytest.mark.parametrize(
    "field",
    ["max_order_quantity", "max_position", "max_open_contracts", "max_notional"],
)
def test_negative_limits_are_refused_naming_the_field(field):
    with pytest.raises(InvalidRiskLimits, match=field):
        RiskLimits.from_dict({field: "-1"})
    assert getattr(RiskLimits.from_dict({field: "0"}), field) == 0


@pytest.mark.parametrize("field", ["max_daily_loss", "price_band_pct"])
@pytest.mark.parametrize("value", ["0", "-5"])
def test_daily_loss_and_price_band_must_be_positive(field, value):
    with pytest.raises(InvalidRiskLimits, match=f"{field} must be greater than zero"):
        RiskLimits.from_dict({field: value})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"max_position": 1.5}, "max_position"),
        ({"max_position": "lots"}, "max_position"),
        ({"max_position": "NaN"}, "max_position"),
        ({"max_notional": "Infinity"}, "max_notional"),
        ({"max_order_quantity": True}, "max_order_quantity"),
        ({"max_orders_per_minute": -1}, "max_orders_per_minute"),
        ({"max_orders_per_minute": "ten"}, "max_orders_per_minute"),
        ({"max_orders_per_minute": 2.5}, "max_orders_per_minute"),
        ({"max_orders_per_minute": True}, "max_orders_per_minute"),
        ({"allowed_symbols": "ES"}, "allowed_symbols"),
        ({"allowed_symbols": ["ES", ""]}, "allowed_symbols"),
        ({"session_only": "yes"}, "session_only"),
        ({"flatten_on_daily_loss": 1}, "flatten_on_daily_loss"),
        ({"max_postion": "5"}, "max_postion"),
    ],
)
def test_bad_values_are_refused_naming_the_field(data, field):
    with pytest.raises(InvalidRiskLimits, match=field):
        RiskLimits.from_dict(data)


def test_direct_construction_is_validated_too():
    with pytest.raises(InvalidRiskLimits, match="max_position"):
        RiskLimits(max_position=Decimal(-3))


def test_the_rate_may_be_given_as_a_string():
    assert RiskLimits.from_dict({"max_orders_per_minute": "12"}).max_orders_per_minute == 12
