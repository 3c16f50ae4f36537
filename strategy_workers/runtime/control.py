"""``strategy.control``: start, pause and stop applied through the store, answered on
``strategy.signals``.

A command is applied once per message id (the store remembers it). It is answered with a
``StrategyStatusChanged``; a stop also sends the order processor a cancel-all or
flatten-all scoped to the strategy. A command for an unknown strategy or version, or from
someone who does not own it, is answered with a ``StrategyControlRejected`` and changes
nothing. Answers have ids derived from the command's, so a command handled again (a
redelivery after a crash between the store's commit and the publish) repeats the same
answers, which their consumers drop. The worker that runs the strategy follows the store
(its revision), this one at once.
"""

from __future__ import annotations

import uuid

from shared.bus.types import AnyEnvelope
from shared.messages.schemas.strategy import (
    ControlRejectReason,
    StopStrategy,
    StrategyControl,
    StrategyStatus,
)
from strategy_workers.domain import notices
from strategy_workers.runtime.desk import Desk
from strategy_workers.runtime.ports import Control

Refusal = tuple[ControlRejectReason, str]


class ControlHandler:
    """Handles one control command; returns the answers to publish."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def __call__(self, envelope: AnyEnvelope) -> list[AnyEnvelope]:
        control: Control = envelope.payload
        cause = envelope.message_id
        answers = await self._answers(cause, control)
        self._desk.wanted.set()
        return self._desk.envelopes(answers, cause=envelope)

    async def _answers(self, cause: uuid.UUID, control: Control) -> list[notices.Notice]:
        refusal = await self._check(control)
        if refusal is not None:
            return [notices.rejection(cause, control, *refusal)]
        store = self._desk.store
        try:
            change = await store.apply_control(cause, control, self._desk.clock.now_ns())
        except ValueError as exc:  # refused by the store, e.g. a version that vanished
            return [notices.rejection(cause, control, ControlRejectReason.INVALID, str(exc))]
        if change is None:  # handled before, or nothing to change: say how things stand
            return await self._as_it_stands(cause, control)
        answers = [
            notices.status_changed(
                cause,
                change.definition,
                StrategyStatus(change.status.value),
                StrategyStatus(change.previous.value),
                change.run_id,
                reason=control.reason,
            )
        ]
        if isinstance(control, StopStrategy):
            answers += notices.sweeps(cause, control, change.definition)
        return answers

    async def _check(self, control: StrategyControl) -> Refusal | None:
        info = await self._desk.store.info(control.strategy_id)
        if info is None or info.user_id != control.user_id:
            # another user's strategy is answered as unknown, as the store does
            return ControlRejectReason.UNKNOWN_STRATEGY, f"no strategy {control.strategy_id}"
        if info.account_id != control.account_id:
            why = f"strategy {control.strategy_id} trades on account {info.account_id}"
            return ControlRejectReason.NOT_AUTHORIZED, why
        if control.strategy_version > info.latest_version:
            why = f"strategy {control.strategy_id} has no version {control.strategy_version}"
            return ControlRejectReason.UNKNOWN_VERSION, f"{why} (latest: {info.latest_version})"
        return None

    async def _as_it_stands(self, cause: uuid.UUID, control: Control) -> list[notices.Notice]:
        store = self._desk.store
        info = await store.info(control.strategy_id)
        definition = await store.definition(control.strategy_id, info.version if info else None)
        if info is None or definition is None:
            why = f"no strategy {control.strategy_id}"
            return [notices.rejection(cause, control, ControlRejectReason.UNKNOWN_STRATEGY, why)]
        status = StrategyStatus(info.status.value)
        answers = [
            notices.status_changed(
                cause, definition, status, status, info.run_id, error=info.error,
                reason=control.reason,
            )
        ]  # fmt: skip
        if isinstance(control, StopStrategy):
            answers += notices.sweeps(cause, control, definition)
        return answers
