"""Engine: the daily-loss breach (halt, cancel, flatten) and the 17:00 Chicago reset."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from shared.messages.schemas.reasons import CancelReason, RejectReason
from shared.messages.schemas.risk import RiskAction, RiskLimit, StateScope, TradingState
from shared.trading.risk_limits import RiskLimits
from shared.trading.state import Account, EngineConfig
from tests.unit.trading.engine_support import (
    ACCOUNT,
    BUY,
    LIMIT,
    OTHER_STRATEGY,
    SELL,
    STOP,
    STRATEGY,
    USER,
    D,
    Harness,
    chicago_ns,
    of,
    one,
    types,
)


def long_one(h: Harness, **kw) -> None:
    """Long 1 ES at 5000 (2.25 commission), with a resting buy limit far below."""
    h.submit(BUY, 1, cid="entry", **kw)
    h.trade("5000")
    h.submit(BUY, 1, LIMIT, limit="4900", cid="rest", **kw)


def test_a_loss_past_the_limit_halts_cancels_and_flattens() -> None:
    h = Harness()
    h.set_limits(max_daily_loss="1000", flatten_on_daily_loss=True)
    long_one(h)
    assert h.trade("4980.25") == []  # -987.50 - 2.25: not yet

    events = h.trade("4980")  # -1000 - 2.25

    assert types(events) == [
        "TradingStateChanged",
        "OrderCanceled",
        "OrderAccepted",
        "RiskLimitBreached",
    ]
    state = one(events, "TradingStateChanged")
    assert (state.scope, state.account_id, state.state) == (
        StateScope.ACCOUNT,
        ACCOUNT,
        TradingState.HALTED,
    )
    canceled = one(events, "OrderCanceled")
    assert (canceled.client_order_id, canceled.reason) == ("rest", CancelReason.RISK)
    flatten = one(events, "OrderAccepted")
    assert (flatten.side, flatten.quantity, flatten.reduce_only) == (SELL, D(1), True)
    breach = one(events, "RiskLimitBreached")
    assert (breach.limit, breach.limit_value, breach.observed_value) == (
        RiskLimit.MAX_DAILY_LOSS,
        D(1000),
        D("1002.25"),
    )
    assert breach.actions == (
        RiskAction.HALTED,
        RiskAction.ORDERS_CANCELED,
        RiskAction.POSITIONS_FLATTENED,
    )
    changes = h.engine.take_changes()
    assert (ACCOUNT, None) in changes.states

    closed = h.trade("4979")

    assert types(closed) == ["OrderFilled", "PositionClosed"]  # no second breach
    assert h.position() is None
    assert one(h.submit(BUY, 1), "OrderRejected").reason is RejectReason.TRADING_HALTED


def test_without_flatten_a_breach_halts_and_cancels_but_keeps_the_position() -> None:
    h = Harness()
    h.set_limits(max_daily_loss="1000")
    long_one(h)

    events = h.trade("4970")

    assert types(events) == ["TradingStateChanged", "OrderCanceled", "RiskLimitBreached"]
    assert one(events, "RiskLimitBreached").actions == (
        RiskAction.HALTED,
        RiskAction.ORDERS_CANCELED,
    )
    assert h.net() == 1
    assert h.trade("4960") == []  # halted already: reported once
    assert types(h.submit(SELL, 1)) == ["OrderRejected"]


def test_a_realized_loss_that_closes_the_position_breaches_too() -> None:
    h = Harness()
    h.set_limits(max_daily_loss="1000")
    long_one(h)
    h.submit(SELL, 1, STOP, stop="4980", cid="stop")

    events = h.trade("4979")  # the stop closes the position at -1050 - 4.50

    assert "PositionClosed" in types(events)
    breach = one(events, "RiskLimitBreached")
    assert breach.observed_value == D("1054.50")
    assert h.st.states.effective(ACCOUNT) is TradingState.HALTED


def test_platform_default_limits_breach_like_the_accounts_own() -> None:
    limits = RiskLimits(max_daily_loss=Decimal(1000), flatten_on_daily_loss=True)
    h = Harness(EngineConfig(default_limits=limits))
    long_one(h)

    events = h.trade("4970")

    assert one(events, "RiskLimitBreached").limit is RiskLimit.MAX_DAILY_LOSS
    h.trade("4969")
    assert h.net() == 0


def test_a_breach_of_a_strategy_halts_only_that_strategy() -> None:
    h = Harness()
    h.set_limits(strategy=STRATEGY, max_daily_loss="500")
    h.submit(BUY, 1, cid="a", strategy=STRATEGY)
    h.submit(BUY, 1, cid="b", strategy=OTHER_STRATEGY)
    h.trade("5000")
    h.submit(BUY, 1, LIMIT, limit="4900", cid="a-rest", strategy=STRATEGY)
    h.submit(BUY, 1, LIMIT, limit="4900", cid="b-rest", strategy=OTHER_STRATEGY)
    h.submit(SELL, 1, cid="a-out", strategy=STRATEGY)

    events = h.trade("4989")  # the strategy realizes -550 - 4.50

    state = one(events, "TradingStateChanged")
    assert (state.scope, state.strategy_id) == (StateScope.STRATEGY, STRATEGY)
    assert [p.client_order_id for p in of(events, "OrderCanceled")] == ["a-rest"]
    assert h.order("b-rest").is_working
    assert one(h.submit(BUY, 1, strategy=STRATEGY), "OrderRejected").reason is (
        RejectReason.TRADING_HALTED
    )
    assert types(h.submit(BUY, 1, strategy=OTHER_STRATEGY)) == ["OrderAccepted"]


@pytest.mark.parametrize(
    ("second_loss_at", "breached"),
    [(chicago_ns(2026, 3, 3, 16, 59), True), (chicago_ns(2026, 3, 3, 17, 1), False)],
    ids=["same-day", "after-17:00"],
)
def test_the_daily_pnl_resets_at_17_chicago(second_loss_at: int, breached: bool) -> None:
    h = Harness()
    h.set_limits(max_daily_loss="1000")
    h.submit(BUY, 1)
    h.trade("5000", ts=chicago_ns(2026, 3, 3, 14))
    h.submit(SELL, 1)
    h.trade("4988", ts=chicago_ns(2026, 3, 3, 15))  # realized -600 - 4.50
    h.submit(BUY, 1, ts=second_loss_at - 2)
    h.trade("5000", ts=second_loss_at - 1)
    h.submit(SELL, 1, ts=second_loss_at - 1)

    events = h.trade("4990", ts=second_loss_at)  # realized -500 - 4.50 more

    assert ("RiskLimitBreached" in types(events)) is breached


def test_a_loss_at_the_limit_refuses_new_risk_until_the_day_rolls() -> None:
    h = Harness()
    h.set_limits(max_daily_loss="1000")
    long_one(h)
    h.trade("4970")  # breach: halted
    h.set_state(TradingState.ACTIVE)  # the owner lifts the halt; the loss is still there

    refused = one(h.submit(BUY, 1, LIMIT, limit="4900"), "OrderRejected")
    assert refused.reason is RejectReason.MAX_DAILY_LOSS
    assert types(h.submit(SELL, 1, reduce_only=True)) == ["OrderAccepted"]
    closing = h.trade("4970")
    assert types(closing)[-1] == "RiskLimitBreached"  # still beyond the limit: halted again
    assert h.net() == 0
    h.set_state(TradingState.ACTIVE)

    refused = one(h.submit(BUY, 1, LIMIT, limit="4900"), "OrderRejected")
    assert refused.reason is RejectReason.MAX_DAILY_LOSS  # the realized loss of today
    later = chicago_ns(2026, 3, 3, 17, 5)
    assert types(h.submit(BUY, 1, LIMIT, limit="4900", ts=later)) == ["OrderAccepted"]


def test_an_account_known_only_later_is_watched_under_the_default_limits() -> None:
    limits = RiskLimits(max_daily_loss=Decimal(1000))
    h = Harness(EngineConfig(default_limits=limits))
    h.trade("5000")  # the engine has looked at its accounts once already
    late = uuid.UUID(int=0x1A7E)
    h.st.accounts[late] = Account(late, USER, "USD", D(100000))
    h.submit(BUY, 1, account=late)
    h.trade("5000")

    events = h.trade("4970")

    assert one(events, "RiskLimitBreached").account_id == late
