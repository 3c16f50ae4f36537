import uuid
from decimal import Decimal

import pytest

from shared.messages.schemas.risk import RiskAction, RiskLimit, RiskLimitBreached
from shared.trading.risk_breach import (
    breach_actions,
    daily_loss_breached,
    daily_loss_event,
    limit_breached_event,
)
from shared.trading.risk_limits import RiskLimits

ACCOUNT = uuid.UUID(int=1)
USER = uuid.UUID(int=2)
STRATEGY = uuid.UUID(int=3)
LIMITS = RiskLimits(max_daily_loss=Decimal(1000))


@pytest.mark.parametrize(
    ("pnl", "breached"),
    [("-1000", True), ("-1000.01", True), ("-999.99", False), ("0", False), ("250", False)],
)
def test_daily_loss_is_breached_at_or_beyond_the_limit(pnl, breached):
    assert daily_loss_breached(LIMITS, Decimal(pnl)) is breached


def test_no_daily_loss_limit_is_never_breached():
    assert not daily_loss_breached(None, Decimal(-(10**9)))
    assert not daily_loss_breached(RiskLimits(), Decimal(-(10**9)))


def test_a_breach_halts_and_cancels_and_flattens_only_when_configured():
    assert breach_actions(LIMITS) == (RiskAction.HALTED, RiskAction.ORDERS_CANCELED)
    flattening = RiskLimits(max_daily_loss=Decimal(1000), flatten_on_daily_loss=True)
    assert RiskAction.POSITIONS_FLATTENED in breach_actions(flattening)


@pytest.mark.parametrize("strategy", [None, STRATEGY])
def test_the_daily_loss_event_validates_and_names_the_numbers(strategy):
    event = daily_loss_event(ACCOUNT, USER, strategy, LIMITS, Decimal("-1234.50"))

    payload = event.payload()
    assert isinstance(payload, RiskLimitBreached)
    assert payload.limit is RiskLimit.MAX_DAILY_LOSS
    assert (payload.limit_value, payload.observed_value) == (Decimal(1000), Decimal("1234.50"))
    assert payload.strategy_id == strategy
    assert payload.actions == (RiskAction.HALTED, RiskAction.ORDERS_CANCELED)
    assert "1234.50" in payload.message
    assert "1000" in payload.message
    assert str(strategy or ACCOUNT) in payload.message


def test_any_limit_breach_event_validates():
    event = limit_breached_event(
        account_id=ACCOUNT,
        user_id=USER,
        strategy_id=None,
        limit=RiskLimit.RATE_LIMIT,
        limit_value=Decimal(10),
        observed_value=Decimal(10),
        actions=(RiskAction.ORDER_REJECTED,),
        message="10 orders in the last 60 s",
        symbol="ESZ6",
        client_order_id="abc-1",
    )

    payload = event.payload()
    assert isinstance(payload, RiskLimitBreached)
    assert (payload.symbol, payload.client_order_id) == ("ESZ6", "abc-1")
