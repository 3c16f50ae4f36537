"""Risk limits and trading states changed by command, with the events that announce them.

Only an account's owner changes its limits and states (an account or strategy scope);
platform-wide states are for operators, which the gateway enforces before publishing.
"""

from __future__ import annotations

import uuid

from shared.messages.schemas.order_events import OrderRejected
from shared.messages.schemas.reasons import RejectedCommand, RejectReason
from shared.messages.schemas.risk import StateScope
from shared.messages.schemas.risk_limits import RiskLimitsChanged, SetRiskLimits, SetTradingState
from shared.trading.events import Event
from shared.trading.risk_limits import InvalidRiskLimits, RiskLimits
from shared.trading.state import EngineState


def _owner_problem(st: EngineState, account_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    account = st.accounts.get(account_id)
    if account is None:
        return f"account {account_id} does not exist"
    if account.user_id != user_id:
        return f"account {account_id} is not this user's"
    return None


def _refused(account_id: uuid.UUID, user_id: uuid.UUID, reason: RejectReason, text: str) -> Event:
    """A refused admin command, reported like a refused order command (without an order)."""
    fields = {
        "account_id": account_id,
        "user_id": user_id,
        "command": RejectedCommand.RISK_SETTINGS,
        "reason": reason,
        "message": text,
    }
    return Event(OrderRejected, fields)


def set_limits(st: EngineState, cmd: SetRiskLimits) -> list[Event]:
    problem = _owner_problem(st, cmd.account_id, cmd.user_id)
    if problem is not None:
        return [_refused(cmd.account_id, cmd.user_id, RejectReason.NOT_AUTHORIZED, problem)]
    try:
        limits = RiskLimits.from_dict(cmd.limits.model_dump(mode="json"))
    except InvalidRiskLimits as exc:
        return [_refused(cmd.account_id, cmd.user_id, RejectReason.INVALID_ORDER, str(exc))]
    scope = (cmd.account_id, cmd.strategy_id)
    st.set_limits(scope, limits)
    st.changes.limits.add(scope)
    fields = {
        "account_id": cmd.account_id,
        "user_id": cmd.user_id,
        "strategy_id": cmd.strategy_id,
        "limits": cmd.limits,
        "changed_by": cmd.user_id,
        "reason": cmd.reason,
    }
    return [Event(RiskLimitsChanged, fields)]


def set_state(st: EngineState, cmd: SetTradingState) -> list[Event]:
    owner = None
    if cmd.scope is not StateScope.GLOBAL:
        assert cmd.account_id is not None
        problem = _owner_problem(st, cmd.account_id, cmd.user_id)
        if problem is not None:
            return [_refused(cmd.account_id, cmd.user_id, RejectReason.NOT_AUTHORIZED, problem)]
        owner = cmd.user_id
    event = st.states.set(
        cmd.scope, cmd.account_id, owner, cmd.strategy_id, cmd.state, cmd.reason, cmd.user_id
    )
    if event is None:
        return []
    st.changes.states.add((cmd.account_id or uuid.UUID(int=0), cmd.strategy_id))
    return [event]
