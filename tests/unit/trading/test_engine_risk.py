"""Engine: pre-trade risk end to end, every reason code once, set by command."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from shared.messages.schemas.reasons import RejectedCommand, RejectReason
from shared.messages.schemas.risk import StateScope, TradingState
from shared.trading.orders import OrderStatus
from shared.trading.risk_limits import RiskLimits
from shared.trading.state import EngineConfig
from tests.unit.trading.engine_support import (
    ACCOUNT,
    BUY,
    LIMIT,
    OTHER_ACCOUNT,
    OTHER_STRATEGY,
    OTHER_USER,
    SELL,
    STOP,
    STRATEGY,
    USER,
    D,
    Harness,
    chicago_ns,
    one,
    types,
)

REJECTED = "OrderRejected"


def refused(events: list, reason: RejectReason) -> None:
    """Exactly one rejection of a submit, with this reason and a message."""
    payload = one(events, REJECTED)
    assert (payload.command, payload.reason) == (RejectedCommand.SUBMIT, reason)
    assert payload.message
    assert types(events) == [REJECTED]


def long(h: Harness, quantity: int, price: str = "5000") -> None:
    h.submit(BUY, quantity)
    h.trade(price)


def test_limits_are_set_by_command_and_announced() -> None:
    h = Harness()

    changed = one(
        h.set_limits(max_order_quantity="5", allowed_symbols=("ES",)), "RiskLimitsChanged"
    )

    assert changed.limits.max_order_quantity == D(5)
    assert h.st.limits[(ACCOUNT, None)] == RiskLimits(
        max_order_quantity=D(5), allowed_symbols=frozenset({"ES"})
    )
    assert (ACCOUNT, None) in h.engine.take_changes().limits


def test_max_order_quantity() -> None:
    h = Harness()
    h.set_limits(max_order_quantity="2")

    refused(h.submit(BUY, 3), RejectReason.MAX_ORDER_QTY)
    assert types(h.submit(BUY, 2)) == ["OrderAccepted"]


def test_max_position_counts_fills_and_working_orders_and_lets_reductions_pass() -> None:
    h = Harness()
    h.set_limits(max_position="3")
    long(h, 2)
    h.submit(BUY, 1, LIMIT, limit="4990")

    refused(h.submit(BUY, 1), RejectReason.MAX_POSITION)
    assert types(h.submit(SELL, 2)) == ["OrderAccepted"]


def test_max_open_contracts_counts_every_instrument() -> None:
    h = Harness()
    h.set_limits(max_open_contracts="3")
    long(h, 1)
    h.submit(BUY, 1, LIMIT, limit="4990")

    refused(h.submit(SELL, 2, symbol="NQZ6"), RejectReason.MAX_OPEN_CONTRACTS)
    assert types(h.submit(SELL, 1, symbol="NQZ6")) == ["OrderAccepted"]


def test_max_notional_values_the_order_at_the_last_trade() -> None:
    h = Harness()
    h.set_limits(max_notional="300000")  # one ES at 5000 is 250000
    h.trade("5000")

    refused(h.submit(BUY, 2), RejectReason.MAX_NOTIONAL)
    assert types(h.submit(BUY, 1)) == ["OrderAccepted"]


def test_rate_limit_counts_accepted_orders_over_a_sliding_minute() -> None:
    h = Harness()
    h.set_limits(max_orders_per_minute=2)
    start = h.now
    h.submit(BUY, 1, LIMIT, limit="4900", ts=start)
    h.submit(BUY, 1, LIMIT, limit="4900", ts=start + 1)

    refused(h.submit(BUY, 1, LIMIT, limit="4900", ts=start + 2), RejectReason.RATE_LIMIT)
    accepted = h.submit(BUY, 1, LIMIT, limit="4900", ts=start + 60_000_000_001)
    assert types(accepted) == ["OrderAccepted"]


def test_price_band_around_the_last_trade() -> None:
    h = Harness()
    h.set_limits(price_band_pct="1")
    h.trade("5000")

    refused(h.submit(BUY, 1, LIMIT, limit="4900"), RejectReason.PRICE_BAND)
    refused(h.submit(BUY, 1, STOP, stop="5100"), RejectReason.PRICE_BAND)
    assert types(h.submit(BUY, 1, LIMIT, limit="4960")) == ["OrderAccepted"]


def test_allowed_instruments_by_root_or_symbol() -> None:
    h = Harness()
    h.set_limits(allowed_symbols=("NQ", "ESH7"))

    refused(h.submit(BUY, 1), RejectReason.INSTRUMENT_NOT_ALLOWED)
    assert types(h.submit(BUY, 1, symbol="NQZ6")) == ["OrderAccepted"]
    assert types(h.submit(BUY, 1, symbol="ESH7")) == ["OrderAccepted"]


@pytest.mark.parametrize(
    "at",
    [chicago_ns(2026, 3, 7, 12), chicago_ns(2026, 3, 3, 16, 30)],
    ids=["saturday", "daily-break"],
)
def test_outside_session(at: int) -> None:
    h = Harness(now=at)
    h.set_limits(session_only=True)

    refused(h.submit(BUY, 1, ts=at), RejectReason.OUTSIDE_SESSION)
    assert types(h.submit(BUY, 1, ts=chicago_ns(2026, 3, 3, 17, 30))) == ["OrderAccepted"]


@pytest.mark.parametrize(
    ("scope", "account", "strategy"),
    [
        (StateScope.ACCOUNT, ACCOUNT, None),
        (StateScope.STRATEGY, ACCOUNT, STRATEGY),
        (StateScope.GLOBAL, None, None),
    ],
)
def test_trading_halted_refuses_every_order_of_its_scope(scope, account, strategy) -> None:
    h = Harness()
    long(h, 1)
    changed = one(h.set_state(TradingState.HALTED, scope, strategy=strategy), "TradingStateChanged")
    assert (changed.previous_state, changed.state) == (TradingState.ACTIVE, TradingState.HALTED)

    refused(h.submit(SELL, 1, strategy=STRATEGY), RejectReason.TRADING_HALTED)
    other = types(h.submit(SELL, 1, strategy=OTHER_STRATEGY))
    assert other == ([REJECTED] if scope is not StateScope.STRATEGY else ["OrderAccepted"])
    elsewhere = h.submit(BUY, 1, account=OTHER_ACCOUNT, user=OTHER_USER)
    assert types(elsewhere) == ([REJECTED] if scope is StateScope.GLOBAL else ["OrderAccepted"])


def test_reducing_only_lets_only_reducing_orders_pass() -> None:
    h = Harness()
    long(h, 2)
    h.set_state(TradingState.REDUCING)

    refused(h.submit(BUY, 1), RejectReason.REDUCING_ONLY)
    refused(h.submit(SELL, 3), RejectReason.REDUCING_ONLY)  # would flip short
    assert types(h.submit(SELL, 2)) == ["OrderAccepted"]

    h.set_state(TradingState.ACTIVE)
    assert types(h.submit(BUY, 1)) == ["OrderAccepted"]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"symbol": "ZZZZ9"}, RejectReason.UNKNOWN_INSTRUMENT),
        ({"account": uuid.UUID(int=0xBAD)}, RejectReason.UNKNOWN_ACCOUNT),
        ({"account": OTHER_ACCOUNT}, RejectReason.NOT_AUTHORIZED),
        ({"order_type": LIMIT, "limit": "5000.1"}, RejectReason.INVALID_PRICE_TICK),
        ({"take_profit": "5010.3", "stop_loss": "4990"}, RejectReason.INVALID_PRICE_TICK),
        ({"quantity": "1.5"}, RejectReason.INVALID_QUANTITY),
    ],
)
def test_orders_that_are_wrong_in_themselves(kwargs: dict, reason: RejectReason) -> None:
    h = Harness()
    kwargs.setdefault("quantity", 1)
    quantity = kwargs.pop("quantity")

    refused(h.submit(BUY, quantity, **kwargs), reason)
    assert h.trade("5000") == []


def test_strategy_limits_bind_only_that_strategy_and_the_account_limits_bind_all() -> None:
    h = Harness()
    h.set_limits(strategy=STRATEGY, max_order_quantity="1")
    h.set_limits(max_order_quantity="5")

    refused(h.submit(BUY, 2, strategy=STRATEGY), RejectReason.MAX_ORDER_QTY)
    assert types(h.submit(BUY, 2, strategy=OTHER_STRATEGY)) == ["OrderAccepted"]
    refused(h.submit(BUY, 6, strategy=OTHER_STRATEGY), RejectReason.MAX_ORDER_QTY)


def test_default_limits_apply_to_accounts_without_their_own() -> None:
    h = Harness(EngineConfig(default_limits=RiskLimits(max_order_quantity=Decimal(1))))

    refused(h.submit(BUY, 2), RejectReason.MAX_ORDER_QTY)
    h.set_limits(max_order_quantity="3")
    assert types(h.submit(BUY, 2)) == ["OrderAccepted"]


def test_only_the_owner_changes_an_accounts_limits_and_state() -> None:
    h = Harness()

    for events in (
        h.set_limits(user=OTHER_USER, max_order_quantity="1"),
        h.set_state(TradingState.HALTED, user=OTHER_USER),
    ):
        payload = one(events, REJECTED)
        assert (payload.command, payload.reason) == (
            RejectedCommand.RISK_SETTINGS,
            RejectReason.NOT_AUTHORIZED,
        )
    assert types(h.submit(BUY, 5)) == ["OrderAccepted"]
    assert h.st.states.effective(ACCOUNT) is TradingState.ACTIVE


def test_setting_the_same_state_again_announces_nothing() -> None:
    h = Harness()
    h.set_state(TradingState.REDUCING)

    assert h.set_state(TradingState.REDUCING) == []


def test_a_refused_order_is_kept_as_rejected_and_counts_nowhere() -> None:
    h = Harness()
    h.set_limits(max_order_quantity="1", max_open_contracts="2")
    h.submit(BUY, 5, cid="big")

    assert h.order("big").status is OrderStatus.REJECTED
    assert h.order("big").reason == "MAX_ORDER_QTY"
    assert types(h.submit(BUY, 1)) == ["OrderAccepted"]
    assert types(h.submit(BUY, 1)) == ["OrderAccepted"]
    assert h.order("big").user_id == USER
