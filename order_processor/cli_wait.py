"""What an order command waits for on ``orders.events``, decided one event at a time.

The answer to a command is every event whose envelope ``causation_id`` is the command's
message id. A submit may also follow its order until it is done: fills and bracket children
come later, caused by market data, and are recognised by the order id, which for a new order
is the submit's message id.
"""

from __future__ import annotations

import uuid

from order_processor.cli_options import Exit
from shared.messages.envelope import Envelope, Payload
from shared.messages.schemas.order_events import (
    OrderAccepted,
    OrderCanceled,
    OrderExpired,
    OrderFilled,
    OrderRejected,
)


class Conversation:
    """The events of one command: its answer and, when ``follow``, its order's fills.

    ``submit`` says the command is a ``SubmitOrder`` (``follow`` implies it).
    """

    def __init__(
        self, command_id: uuid.UUID, *, submit: bool = False, follow: bool = False
    ) -> None:
        self.command_id = command_id
        self.submit = submit or follow
        self.follow = follow
        self.events: list[Envelope[Payload]] = []
        self.rejection: OrderRejected | None = None
        self.order_id: uuid.UUID | None = command_id if follow else None
        self.repeated = False
        """The submit's client order id was known: the answer is the original order's."""
        self.ended: OrderFilled | OrderCanceled | OrderExpired | None = None

    @property
    def answered(self) -> bool:
        return any(e.causation_id == self.command_id for e in self.events)

    @property
    def done(self) -> bool:
        """Nothing more to wait for (events of the same transaction may still follow)."""
        if not self.answered:
            return False
        if not self.follow or self.rejection is not None or self.repeated:
            return True
        return self.ended is not None

    def offer(self, envelope: Envelope[Payload]) -> bool:
        """Take the event if it belongs to this command; True when it does."""
        payload = envelope.payload
        if envelope.causation_id == self.command_id:
            self._answer(payload)
        elif not self._follows(payload):
            return False
        self.events.append(envelope)
        if (
            self.follow
            and isinstance(payload, OrderFilled | OrderCanceled | OrderExpired)
            and payload.order_id == self.order_id
            and (not isinstance(payload, OrderFilled) or payload.leaves_quantity == 0)
        ):
            self.ended = payload
        return True

    def _answer(self, payload: Payload) -> None:
        if self.answered:
            return
        if isinstance(payload, OrderRejected):
            self.rejection = payload
        if (
            self.submit
            and isinstance(payload, OrderAccepted | OrderRejected)
            and payload.order_id is not None
        ):
            # A new order takes the command's id; another id is an earlier order's.
            self.repeated = payload.order_id != self.command_id
            if self.follow:
                self.order_id = payload.order_id

    def _follows(self, payload: Payload) -> bool:
        if not self.follow or self.order_id is None:
            return False
        if isinstance(payload, OrderAccepted) and payload.parent_order_id == self.order_id:
            return True  # a bracket child, placed when the entry filled
        return getattr(payload, "order_id", None) == self.order_id

    def outcome(self, timeout_s: float) -> tuple[Exit, str]:
        """The exit code and, unless all went well, what to tell the user."""
        if not self.answered:
            return Exit.UNAVAILABLE, (
                f"no answer from the order processor within {timeout_s:g} s "
                "(is it running? try `tickstream status order_processor`)"
            )
        if self.rejection is not None:
            r = self.rejection
            return Exit.REJECTED, f"rejected: {r.reason.value}: {r.message}"
        if not self.follow or self.repeated:
            return Exit.OK, ""
        if self.ended is None:
            return Exit.UNAVAILABLE, (
                f"accepted, but not completely filled within {timeout_s:g} s; "
                "the order is still working"
            )
        if not isinstance(self.ended, OrderFilled):
            kind = "canceled" if isinstance(self.ended, OrderCanceled) else "expired"
            return Exit.REJECTED, f"the order was {kind} before it filled completely"
        return Exit.OK, ""
