from decimal import Decimal

import pytest

from shared.messages.schemas.common import OrderType
from shared.messages.schemas.reasons import RejectReason
from shared.trading.exposure import Exposure
from shared.trading.risk import RiskContext, check_order
from shared.trading.risk_limits import RiskLimits
from tests.unit.trading.test_risk_check import ACCOUNT, ES, NOW, STRATEGY, Scoped, make_order

R = RejectReason
LAST = Decimal(5000)  # one ESZ6 contract: 5000 x 50 = 250,000 USD


@pytest.fixture(params=["account", "strategy"])
def scoped(request: pytest.FixtureRequest) -> Scoped:
    return Scoped(request.param)


def test_max_position_counts_working_orders_of_the_same_side_as_filled(scoped):
    scoped.hold(5)
    scoped.work("BUY", 4)
    scoped.work("SELL", 7)  # the other side cannot add to a long
    limits = RiskLimits(max_position=Decimal(10))

    reason, message = scoped.check(scoped.order("BUY", 3), limits)

    assert reason is R.MAX_POSITION
    assert "would reach 12 if all filled (net 5, working buy 4, order 3)" in message
    assert f"over max_position 10 for {scoped.label}" in message
    assert scoped.check(scoped.order("BUY", 1), limits) == (None, "")


def test_max_position_on_the_short_side(scoped):
    scoped.hold(5)
    scoped.work("SELL", 2)
    limits = RiskLimits(max_position=Decimal(10))

    reason, message = scoped.check(scoped.order("SELL", 14), limits)

    assert reason is R.MAX_POSITION
    assert "would reach 11" in message
    assert scoped.check(scoped.order("SELL", 13), limits) == (None, "")


def test_max_open_contracts_sums_every_instrument_and_working_order(scoped):
    scoped.hold(3)
    scoped.hold(-2, "NQZ6")
    scoped.work("SELL", 2, "NQZ6")
    limits = RiskLimits(max_open_contracts=Decimal(10))

    reason, message = scoped.check(scoped.order("BUY", 4), limits)

    assert reason is R.MAX_OPEN_CONTRACTS
    assert "open contracts would reach 11 (positions 5, working 2, order 4)" in message
    assert f"over max_open_contracts 10 for {scoped.label}" in message
    assert scoped.check(scoped.order("BUY", 3), limits) == (None, "")


def test_max_notional_values_every_instrument_at_its_last_price(scoped):
    scoped.hold(-1, "NQZ6")
    limits = RiskLimits(max_notional=Decimal(1_000_000))
    nq_value = {"NQZ6": Decimal(20000) * 20}  # 400,000 per contract

    reason, message = scoped.check(
        scoped.order("BUY", 3), limits, last_price=LAST, contract_values=nq_value
    )

    assert reason is R.MAX_NOTIONAL
    assert "notional exposure would reach 1150000 USD (3 ESZ6 at 5000 if all filled)" in message
    assert f"over max_notional 1000000 for {scoped.label}" in message
    # Without a value for NQ it is left out: 3 x 250,000 fits.
    assert scoped.check(scoped.order("BUY", 3), limits, last_price=LAST) == (None, "")


def test_max_notional_counts_the_worse_side_of_working_orders(scoped):
    scoped.hold(2)
    scoped.work("BUY", 1)
    limits = RiskLimits(max_notional=Decimal(1_000_000))

    reason, _ = scoped.check(scoped.order("BUY", 2), limits, last_price=LAST)
    passed = scoped.check(scoped.order("SELL", 3), limits, last_price=LAST)

    assert reason is R.MAX_NOTIONAL  # 2 + 1 + 2 = 5 contracts
    assert passed == (None, "")  # worst side stays the long 3


def test_max_notional_without_a_last_trade_uses_the_order_price(scoped):
    limits = RiskLimits(max_notional=Decimal(1_000_000))
    order = scoped.order("BUY", 6, order_type=OrderType.LIMIT, limit="4000")

    reason, message = scoped.check(order, limits)

    assert reason is R.MAX_NOTIONAL
    assert "would reach 1200000 USD (6 ESZ6 at 4000 if all filled)" in message
    assert scoped.check(scoped.order("BUY", 6), limits) == (None, "")  # market: no price known


def test_max_daily_loss_reached_refuses_new_exposure(scoped):
    limits = RiskLimits(max_daily_loss=Decimal(1000))

    reason, message = scoped.check(scoped.order(), limits, pnl="-1000")

    assert reason is R.MAX_DAILY_LOSS
    assert f"daily loss 1000 has reached max_daily_loss 1000 for {scoped.label}" in message
    assert scoped.check(scoped.order(), limits, pnl="-999.99") == (None, "")


def test_a_reducing_order_passes_every_holding_limit_at_or_over_it(scoped):
    scoped.hold(12)
    scoped.work("BUY", 3)
    limits = RiskLimits(
        max_position=Decimal(10),
        max_open_contracts=Decimal(10),
        max_notional=Decimal(100),
        max_daily_loss=Decimal(1000),
    )

    reducing = scoped.check(scoped.order("SELL", 12), limits, pnl="-5000", last_price=LAST)
    adding = scoped.check(scoped.order("BUY", 1), limits, pnl="-5000", last_price=LAST)
    flipping = scoped.check(scoped.order("SELL", 13), limits, pnl="-5000", last_price=LAST)

    assert reducing == (None, "")
    assert adding[0] is R.MAX_POSITION
    assert flipping[0] is R.MAX_OPEN_CONTRACTS  # |12 - 13| fits max_position; 12 + 3 + 13 not


def test_the_first_failing_check_in_order_is_reported(scoped):
    limits = RiskLimits(
        max_order_quantity=Decimal(1), max_position=Decimal(1), max_daily_loss=Decimal(1)
    )

    reason, _ = scoped.check(scoped.order("BUY", 5), limits, pnl="-10")

    assert reason is R.MAX_ORDER_QTY


def test_the_account_scope_is_checked_before_the_strategy_scope():
    limits = RiskLimits(max_order_quantity=Decimal(1))
    ctx = RiskContext(ES, Exposure(), NOW, account_limits=limits, strategy_limits=limits)

    rejection = check_order(make_order("BUY", 2, strategy=STRATEGY), ctx)

    assert rejection is not None
    assert rejection.message.endswith(f"for account {ACCOUNT}")


def test_the_stricter_strategy_limit_binds_a_strategy_order():
    ctx = RiskContext(
        ES,
        Exposure(),
        NOW,
        account_limits=RiskLimits(max_order_quantity=Decimal(10)),
        strategy_limits=RiskLimits(max_order_quantity=Decimal(2)),
    )

    rejection = check_order(make_order("BUY", 3, strategy=STRATEGY), ctx)

    assert rejection is not None
    assert rejection.message.endswith(f"for strategy {STRATEGY} of account {ACCOUNT}")
    assert check_order(make_order("BUY", 3), ctx) is None  # no strategy: its limits don't apply
