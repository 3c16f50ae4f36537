"""Trading states: one for the platform, one per account, one per strategy of an account.

An order is governed by the most restrictive of the states that apply to it: global, its
account's, and its strategy's (HALTED over REDUCING over ACTIVE). A scope without a state
of its own is ACTIVE.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TypeVar

from shared.messages.schemas.risk import StateScope, TradingState, TradingStateChanged
from shared.trading.events import Event

ACTIVE = TradingState.ACTIVE
_K = TypeVar("_K")
_RANK = {TradingState.ACTIVE: 0, TradingState.REDUCING: 1, TradingState.HALTED: 2}


def most_restrictive(*states: TradingState) -> TradingState:
    """HALTED over REDUCING over ACTIVE."""
    return max(states, key=_RANK.__getitem__)


class TradingStates:
    """The states the engine keeps; ``set`` returns the event to publish for a change."""

    def __init__(self) -> None:
        self.global_state = ACTIVE
        self._accounts: dict[uuid.UUID, TradingState] = {}
        self._strategies: dict[tuple[uuid.UUID, uuid.UUID], TradingState] = {}

    def effective(
        self, account_id: uuid.UUID, strategy_id: uuid.UUID | None = None
    ) -> TradingState:
        """The state an order of this account (and strategy) trades under."""
        state = self._accounts.get(account_id, ACTIVE)
        if strategy_id is not None:
            other = self._strategies.get((account_id, strategy_id), ACTIVE)
            if _RANK[other] > _RANK[state]:
                state = other
        if _RANK[self.global_state] > _RANK[state]:
            state = self.global_state
        return state

    def get(
        self,
        scope: StateScope,
        account_id: uuid.UUID | None = None,
        strategy_id: uuid.UUID | None = None,
    ) -> TradingState:
        """The state set on one scope itself (not combined with the others)."""
        _check_ids(scope, account_id, strategy_id)
        if scope is StateScope.GLOBAL:
            return self.global_state
        assert account_id is not None
        if scope is StateScope.ACCOUNT:
            return self._accounts.get(account_id, ACTIVE)
        assert strategy_id is not None
        return self._strategies.get((account_id, strategy_id), ACTIVE)

    def load(
        self,
        scope: StateScope,
        account_id: uuid.UUID | None,
        strategy_id: uuid.UUID | None,
        state: TradingState,
    ) -> None:
        """Set a stored state without an event (rebuilding after a restart)."""
        _check_ids(scope, account_id, strategy_id)
        if scope is StateScope.GLOBAL:
            self.global_state = state
            return
        assert account_id is not None
        if scope is StateScope.ACCOUNT:
            _put(self._accounts, account_id, state)
        else:
            assert strategy_id is not None
            _put(self._strategies, (account_id, strategy_id), state)

    def set(  # noqa: PLR0917 -- the fields of the event, in its order
        self,
        scope: StateScope,
        account_id: uuid.UUID | None,
        user_id: uuid.UUID | None,
        strategy_id: uuid.UUID | None,
        state: TradingState,
        reason: str,
        changed_by: uuid.UUID | None = None,
    ) -> Event | None:
        """Change a scope's state; the ``TradingStateChanged`` event, or None if unchanged.

        ``user_id`` is the account's owner (required with an account); ``changed_by`` is who
        acted, None when a rule such as a daily-loss breach did.
        """
        if scope is not StateScope.GLOBAL and user_id is None:
            raise ValueError(f"{scope} state change needs the account's user_id")
        previous = self.get(scope, account_id, strategy_id)
        if previous is state:
            return None
        self.load(scope, account_id, strategy_id, state)
        fields = {
            "scope": scope,
            "account_id": account_id,
            "user_id": user_id if scope is not StateScope.GLOBAL else None,
            "strategy_id": strategy_id,
            "previous_state": previous,
            "state": state,
            "reason": reason,
            "changed_by": changed_by,
        }
        return Event(TradingStateChanged, fields)

    def items(
        self,
    ) -> Iterator[tuple[StateScope, uuid.UUID | None, uuid.UUID | None, TradingState]]:
        """Every state that is not ACTIVE, and the global one: (scope, account, strategy, state)."""
        yield StateScope.GLOBAL, None, None, self.global_state
        for account_id, state in self._accounts.items():
            yield StateScope.ACCOUNT, account_id, None, state
        for (account_id, strategy_id), state in self._strategies.items():
            yield StateScope.STRATEGY, account_id, strategy_id, state


def _put(table: dict[_K, TradingState], key: _K, state: TradingState) -> None:
    # ACTIVE is the default: keeping only the others makes effective() a few dict misses.
    if state is ACTIVE:
        table.pop(key, None)
    else:
        table[key] = state


def _check_ids(
    scope: StateScope, account_id: uuid.UUID | None, strategy_id: uuid.UUID | None
) -> None:
    expected = {
        StateScope.GLOBAL: account_id is None and strategy_id is None,
        StateScope.ACCOUNT: account_id is not None and strategy_id is None,
        StateScope.STRATEGY: account_id is not None and strategy_id is not None,
    }
    if not expected[scope]:
        raise ValueError(
            f"{scope} state: GLOBAL takes no account or strategy, ACCOUNT an account, "
            f"STRATEGY an account and a strategy (got account={account_id}, "
            f"strategy={strategy_id})"
        )
