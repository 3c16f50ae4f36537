"""Validation rules of the payload schemas: each invalid variant names its problem."""

import uuid

import pydantic
import pytest

from shared.messages import all_schemas, topic_of
from shared.messages.samples import sample_payloads
from shared.messages.schemas.orders import CancelAll

SAMPLES = {p.TYPE: p for p in sample_payloads()}


def variant(type_: str, **changes):
    """The sample of ``type_`` with some fields changed, validated again."""
    sample = SAMPLES[type_]
    data = sample.model_dump()
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    return type(sample).model_validate(data)


def refused(type_: str, match: str, **changes) -> None:
    with pytest.raises(pydantic.ValidationError, match=match):
        variant(type_, **changes)


def test_every_schema_has_a_valid_sample():
    assert {(p.TYPE, p.VERSION) for p in sample_payloads()} == set(all_schemas())


@pytest.mark.parametrize("type_", sorted(SAMPLES))
def test_every_payload_carries_its_topic_key(type_):
    topic, sample = topic_of(type_), SAMPLES[type_]
    assert topic.key_field in type(sample).model_fields
    value = getattr(sample, topic.key_field)
    expected = topic.default_key if value is None else str(value)
    assert topic.key_for(sample) == str(expected).encode()


def test_platform_wide_commands_are_keyed_global():
    command = CancelAll(user_id=uuid.uuid4(), reason="operator emergency stop")
    assert topic_of("CancelAll").key_for(command) == b"global"
    state = variant("TradingStateChanged", scope="GLOBAL", account_id=None, user_id=None)
    assert topic_of("TradingStateChanged").key_for(state) == b"global"


@pytest.mark.parametrize("type_", sorted(SAMPLES))
def test_payloads_are_frozen_and_refuse_unknown_fields(type_):
    sample = SAMPLES[type_]
    with pytest.raises(pydantic.ValidationError):
        setattr(sample, next(iter(type(sample).model_fields)), None)
    with pytest.raises(pydantic.ValidationError, match="Extra inputs"):
        variant(type_, surprise=1)


def test_decimals_refuse_nan_and_infinity():
    refused("Trade", "finite", price="NaN")
    refused("SubmitOrder", "finite", quantity="Infinity")


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"high": "5120.50"}, "high is below"),
        ({"low": "5121.25"}, "low is above"),
        ({"close_time": 0}, "close_time must be after open_time"),
        ({"vwap": "5130"}, "vwap is outside"),
        ({"timeframe": "1x"}, "pattern"),
        ({"timeframe": "0m"}, "pattern"),
        ({"volume": "-1"}, "greater than or equal"),
    ],
)
def test_bar_must_be_consistent(changes, match):
    refused("Bar", match, **changes)


def test_trade_size_must_be_positive_but_price_may_be_negative():
    refused("Trade", "greater than 0", size="0")
    assert variant("Trade", price="-37.63").price < 0


def test_bar_without_vwap_is_accepted():
    assert variant("Bar", vwap=None).vwap is None


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"limit_price": None}, "LIMIT order needs a limit_price"),
        ({"order_type": "MARKET"}, "MARKET order takes no limit_price"),
        ({"order_type": "STOP", "limit_price": None}, "STOP order needs a stop_price"),
        ({"order_type": "STOP_LIMIT"}, "STOP_LIMIT order needs a stop_price"),
        ({"stop_price": "5121"}, "LIMIT order takes no stop_price"),
        ({"quantity": "0"}, "greater than 0"),
        ({"reduce_only": True}, "bracket goes only on an entry"),
        ({"side": "SELL"}, "take_profit_price must be below its stop_loss"),
        ({"limit_price": "5131.00"}, "take_profit_price must be above the entry"),
        ({"limit_price": "5114.00"}, "stop_loss_price must be on the losing side"),
        ({"bracket": {}}, "bracket needs a take_profit_price, a stop_loss_price or both"),
        ({"strategy_version": None}, "strategy_id and strategy_version go together"),
        ({"client_order_id": "has space"}, "pattern"),
        ({"account_id": ...}, "account_id"),
        ({"user_id": "not-a-uuid"}, "user_id"),
        ({"time_in_force": "GTD"}, "time_in_force"),
    ],
)
def test_submit_order_rules(changes, match):
    refused("SubmitOrder", match, **changes)


def test_submit_order_accepts_each_order_type_with_its_prices():
    assert variant("SubmitOrder", order_type="MARKET", limit_price=None, bracket=None)
    stop = variant("SubmitOrder", order_type="STOP", limit_price=None, stop_price="5121")
    assert stop.stop_price is not None
    both = variant("SubmitOrder", order_type="STOP_LIMIT", stop_price="5120.00")
    assert both.limit_price is not None
    exit_only = variant("SubmitOrder", reduce_only=True, bracket=None, time_in_force="IOC")
    assert exit_only.reduce_only


def test_commands_on_one_order_must_name_it():
    refused("CancelOrder", "order_id or client_order_id", order_id=None)
    refused("ModifyOrder", "must change quantity, limit_price or stop_price", limit_price=None)


def test_strategy_scoped_sweeps_need_the_account():
    refused("CancelAll", "needs the strategy's account_id", account_id=None)


def test_order_event_rules():
    refused("OrderRejected", "refused SUBMIT names its client_order_id", client_order_id=None)
    refused("OrderRejected", "reason", reason="BECAUSE")
    cancel_reject = variant(
        "OrderRejected", command="CANCEL", symbol=None, reason="ORDER_NOT_WORKING"
    )
    assert cancel_reject.order_id is None
    refused("OrderFilled", "cum_quantity is less", cum_quantity="0.5")
    refused("OrderFilled", "greater than or equal", leaves_quantity="-1")
    refused("OrderModified", "leaves_quantity exceeds", leaves_quantity="4")
    refused("OrderCanceled", "greater than 0", leaves_quantity="0")
    refused("OrderAccepted", "STOP_LIMIT order needs a limit_price", limit_price=None)


def test_position_rules():
    refused("PositionOpened", "realized_pnl must equal", realized_pnl="0")
    refused("PositionOpened", "quantity exceeds max_quantity", quantity="2")
    refused("PositionChanged", "avg_exit_price is given exactly", avg_exit_price=None)
    refused("PositionClosed", "closed_at is before opened_at", closed_at=0)
    refused("PositionClosed", "closed_quantity is less", closed_quantity="1")
    closed = SAMPLES["PositionClosed"]
    assert closed.duration_ns == 42 * 60_000_000_000  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "changes",
    [
        {"scope": "GLOBAL"},
        {"scope": "STRATEGY"},
        {"scope": "ACCOUNT", "user_id": None},
        {"scope": "GLOBAL", "account_id": None, "user_id": None, "strategy_id": uuid.uuid4()},
    ],
)
def test_trading_state_scope_matches_its_ids(changes):
    refused("TradingStateChanged", "GLOBAL scope takes no account", **changes)


def test_trading_state_change_must_change_something():
    refused("TradingStateChanged", "nothing changed", state="ACTIVE")


def test_risk_breach_names_at_least_one_action():
    refused("RiskLimitBreached", "at least 1 item", actions=[])


def test_backtest_rules():
    refused("RunBacktest", "end_time must be after start_time", end_time=0)
    refused("RunBacktest", "symbols are repeated", symbols=["ESM6", "ESM6"])
    refused("RunBacktest", "at least 1 item", symbols=[])
    refused("BacktestCompleted", "exceed trade_count", winning_trades=40)
    refused("BacktestCompleted", "net_pnl must equal", net_pnl="0")
    refused("BacktestFailed", "error", error="OOPS")
