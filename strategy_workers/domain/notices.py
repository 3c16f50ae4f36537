"""The messages the workers publish about strategies: status changes, refusals, sweeps.

Their message ids derive from what caused them (the control command, or the failed run),
so publishing one again after a crash or a redelivery repeats the same message, which
consumers (the order processor's inbox among them) drop as a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.messages.envelope import Payload
from shared.messages.schemas.orders import CancelAll, FlattenAll, SubmitOrder
from shared.messages.schemas.strategy import (
    ControlCommand,
    ControlRejectReason,
    PauseStrategy,
    StartStrategy,
    StopStrategy,
    StrategyControl,
    StrategyControlRejected,
    StrategyStatus,
    StrategyStatusChanged,
)
from shared.strategy.definition import StrategyDefinition
from shared.trading.ids import derive_id

MAX_TEXT = 1000
COMMANDS: dict[type[StrategyControl], ControlCommand] = {
    StartStrategy: ControlCommand.START,
    PauseStrategy: ControlCommand.PAUSE,
    StopStrategy: ControlCommand.STOP,
}

Notice = tuple[uuid.UUID, Payload]
"""A message to publish: its deterministic id and payload."""


def clip(text: str) -> str:
    """Text that fits a message's text field."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def failure_text(where: str, exc: BaseException) -> str:
    """What a failed strategy's status says: the callback, the error class and message."""
    return clip(f"{where}: {type(exc).__name__}: {exc}")


def status_changed(
    cause: uuid.UUID,
    definition: StrategyDefinition,
    status: StrategyStatus,
    previous: StrategyStatus,
    run_id: uuid.UUID | None,
    *,
    error: str | None = None,
    reason: str = "",
) -> Notice:
    """A ``StrategyStatusChanged`` caused by ``cause`` (a control command, a failed run)."""
    payload = StrategyStatusChanged(
        account_id=definition.account_id,
        user_id=definition.user_id,
        strategy_id=definition.strategy_id,
        strategy_version=definition.version,
        status=status,
        previous=previous,
        run_id=run_id,
        error=None if error is None else clip(error),
        reason=clip(reason),
    )
    return derive_id(cause, "status"), payload


def failed(
    definition: StrategyDefinition, previous: StrategyStatus, run_key: str, error: str
) -> Notice:
    """The FAILED status of a strategy version's run; the same id for the same run."""
    cause = derive_id(definition.strategy_id, definition.version, run_key, "failed")
    return status_changed(cause, definition, StrategyStatus.FAILED, previous, None, error=error)


def sweeps(cause: uuid.UUID, stop: StopStrategy, definition: StrategyDefinition) -> list[Notice]:
    """What a stop asks of the order processor for the strategy's own orders and holdings.

    ``flatten`` closes the strategy's positions (cancelling its working orders first when
    ``cancel_orders``); ``cancel_orders`` alone cancels its working orders.
    """
    scope = {
        "account_id": definition.account_id,
        "user_id": definition.user_id,
        "strategy_id": definition.strategy_id,
        "reason": clip(stop.reason or "strategy stopped"),
    }
    if stop.flatten:
        flatten = FlattenAll(**scope, cancel_working=stop.cancel_orders)
        return [(derive_id(cause, "flatten"), flatten)]
    if stop.cancel_orders:
        return [(derive_id(cause, "cancel"), CancelAll(**scope))]
    return []


def rejection(
    cause: uuid.UUID, control: StrategyControl, reason: ControlRejectReason, message: str
) -> Notice:
    """A refused control command, answered to its sender's account."""
    payload = StrategyControlRejected(
        account_id=control.account_id,
        user_id=control.user_id,
        strategy_id=control.strategy_id,
        strategy_version=control.strategy_version,
        command=COMMANDS[type(control)],
        reason=reason,
        message=clip(message),
    )
    return derive_id(cause, "rejected"), payload


def orders_of(notices: Sequence[Notice]) -> int:
    """How many of the messages are new orders."""
    return sum(isinstance(payload, SubmitOrder) for _, payload in notices)
