import uuid

import pytest

from shared.messages.schemas.risk import StateScope, TradingState, TradingStateChanged
from shared.trading.trading_state import TradingStates, most_restrictive

ACCOUNT = uuid.UUID(int=1)
USER = uuid.UUID(int=2)
STRATEGY = uuid.UUID(int=3)
OPERATOR = uuid.UUID(int=9)
OTHER_ACCOUNT = uuid.UUID(int=5)
ACTIVE, REDUCING, HALTED = TradingState.ACTIVE, TradingState.REDUCING, TradingState.HALTED


def test_everything_is_active_by_default():
    states = TradingStates()

    assert states.effective(ACCOUNT) is ACTIVE
    assert states.effective(ACCOUNT, STRATEGY) is ACTIVE


@pytest.mark.parametrize(
    ("global_state", "account", "strategy", "expected"),
    [
        (ACTIVE, ACTIVE, REDUCING, REDUCING),
        (ACTIVE, REDUCING, ACTIVE, REDUCING),
        (REDUCING, ACTIVE, ACTIVE, REDUCING),
        (REDUCING, HALTED, ACTIVE, HALTED),
        (ACTIVE, REDUCING, HALTED, HALTED),
        (HALTED, ACTIVE, REDUCING, HALTED),
    ],
)
def test_the_most_restrictive_state_applies(global_state, account, strategy, expected):
    states = TradingStates()
    states.set(StateScope.GLOBAL, None, None, None, global_state, "ops")
    states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, account, "user")
    states.set(StateScope.STRATEGY, ACCOUNT, USER, STRATEGY, strategy, "user")

    assert states.effective(ACCOUNT, STRATEGY) is expected
    assert most_restrictive(global_state, account, strategy) is expected


def test_a_strategy_state_binds_only_that_strategy():
    states = TradingStates()
    states.set(StateScope.STRATEGY, ACCOUNT, USER, STRATEGY, HALTED, "runaway")

    assert states.effective(ACCOUNT, STRATEGY) is HALTED
    assert states.effective(ACCOUNT) is ACTIVE
    assert states.effective(ACCOUNT, uuid.UUID(int=77)) is ACTIVE
    assert states.effective(OTHER_ACCOUNT, STRATEGY) is ACTIVE


def test_an_account_state_binds_its_strategies():
    states = TradingStates()
    states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, REDUCING, "margin")

    assert states.effective(ACCOUNT, STRATEGY) is REDUCING
    assert states.effective(OTHER_ACCOUNT) is ACTIVE


@pytest.mark.parametrize(
    ("scope", "account", "user", "strategy"),
    [
        (StateScope.GLOBAL, None, None, None),
        (StateScope.ACCOUNT, ACCOUNT, USER, None),
        (StateScope.STRATEGY, ACCOUNT, USER, STRATEGY),
    ],
)
def test_a_change_is_a_valid_trading_state_changed_event(scope, account, user, strategy):
    states = TradingStates()

    event = states.set(scope, account, user, strategy, REDUCING, "volatility", OPERATOR)

    assert event is not None
    payload = event.payload()
    assert isinstance(payload, TradingStateChanged)
    assert (payload.scope, payload.account_id, payload.strategy_id) == (scope, account, strategy)
    assert (payload.previous_state, payload.state) == (ACTIVE, REDUCING)
    assert payload.reason == "volatility"
    assert payload.changed_by == OPERATOR
    assert states.get(scope, account, strategy) is REDUCING


def test_no_event_when_the_state_is_unchanged():
    states = TradingStates()
    assert states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, ACTIVE, "noop") is None
    states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, HALTED, "loss")

    assert states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, HALTED, "again") is None


def test_back_to_active_reports_the_previous_state():
    states = TradingStates()
    states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, HALTED, "loss")

    event = states.set(StateScope.ACCOUNT, ACCOUNT, USER, None, ACTIVE, "new day")

    assert event is not None
    assert event.payload().previous_state is HALTED  # type: ignore[attr-defined]
    assert states.effective(ACCOUNT) is ACTIVE


@pytest.mark.parametrize(
    ("scope", "account", "strategy"),
    [
        (StateScope.GLOBAL, ACCOUNT, None),
        (StateScope.ACCOUNT, None, None),
        (StateScope.ACCOUNT, ACCOUNT, STRATEGY),
        (StateScope.STRATEGY, ACCOUNT, None),
    ],
)
def test_ids_that_do_not_fit_the_scope_are_refused(scope, account, strategy):
    with pytest.raises(ValueError, match="STRATEGY an account and a strategy"):
        TradingStates().set(scope, account, USER, strategy, HALTED, "x")


def test_an_account_change_needs_the_user():
    with pytest.raises(ValueError, match="user_id"):
        TradingStates().set(StateScope.ACCOUNT, ACCOUNT, None, None, HALTED, "x")


def test_loaded_states_apply_without_events_and_are_listed():
    states = TradingStates()
    states.load(StateScope.ACCOUNT, ACCOUNT, None, HALTED)
    states.load(StateScope.STRATEGY, ACCOUNT, STRATEGY, REDUCING)

    assert states.effective(ACCOUNT, STRATEGY) is HALTED
    assert sorted(states.items(), key=str) == sorted(
        [
            (StateScope.GLOBAL, None, None, ACTIVE),
            (StateScope.ACCOUNT, ACCOUNT, None, HALTED),
            (StateScope.STRATEGY, ACCOUNT, STRATEGY, REDUCING),
        ],
        key=str,
    )
