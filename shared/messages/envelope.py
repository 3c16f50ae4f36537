"""The envelope every Kafka message travels in, and the base of all payload schemas."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from shared.clock import Clock

WireDecimal = Annotated[Decimal, Field(allow_inf_nan=False)]
"""A Decimal that travels as a JSON string and is never NaN or infinite."""


class Payload(BaseModel):
    """Base of every message payload. Subclasses declare ``TYPE`` and ``VERSION`` once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]


P = TypeVar("P", bound=Payload)


class Envelope(BaseModel, Generic[P]):
    """Identity, timing and causality around a payload.

    ``message_id`` is the dedupe key. Times are integer UTC nanoseconds: ``ts_event`` when
    the thing happened, ``ts_init`` when this message was made.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: uuid.UUID
    type: str
    version: int = Field(ge=1)
    ts_event: int = Field(ge=0)
    ts_init: int = Field(ge=0)
    correlation_id: uuid.UUID | None = None
    causation_id: uuid.UUID | None = None
    producer: str
    payload: P


def new_envelope(
    payload: P,
    *,
    clock: Clock,
    producer: str,
    ts_event: int | None = None,
    correlation_id: uuid.UUID | None = None,
    causation: Envelope[Payload] | None = None,
    message_id: uuid.UUID | None = None,
) -> Envelope[P]:
    """Wrap a payload; a message caused by another inherits its correlation id."""
    now = clock.now_ns()
    if causation is not None and correlation_id is None:
        correlation_id = causation.correlation_id or causation.message_id
    # Parametrised with the concrete class so the payload serialises with all its fields.
    envelope_cls = cast("type[Envelope[P]]", Envelope[type(payload)])  # type: ignore[misc]
    return envelope_cls(
        message_id=message_id or uuid.uuid4(),
        type=payload.TYPE,
        version=payload.VERSION,
        ts_event=now if ts_event is None else ts_event,
        ts_init=now,
        correlation_id=correlation_id,
        causation_id=causation.message_id if causation is not None else None,
        producer=producer,
        payload=payload,
    )
