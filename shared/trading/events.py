"""Domain events: a message type and its fields, validated into a payload only at the edge.

The trading core emits events by the hundred thousand per second; a validated pydantic
payload costs microseconds each, a dict a fraction of one. The service (and any test)
turns an ``Event`` into its payload with ``payload()``, which validates it then.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from shared.messages.envelope import Payload


class Event(NamedTuple):
    """What happened: the payload class it will become, and the fields to build it from."""

    kind: type[Payload]
    fields: dict[str, Any]

    @property
    def type(self) -> str:
        return self.kind.TYPE

    def payload(self) -> Payload:
        """The validated message payload."""
        return self.kind.model_validate(self.fields)
