"""Received Kafka records: decoded to envelopes, or dead-lettered with the reason."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from shared.bus import dlq
from shared.bus.types import AnyEnvelope, Handler, Publisher, Record
from shared.clock import Clock
from shared.messages.codec import DecodeError, decode

log = logging.getLogger(__name__)


def record_of(received: Any) -> Record:
    """An aiokafka ``ConsumerRecord`` (or a ``Record``) as the bus's ``Record``."""
    return Record(
        received.topic,
        received.partition,
        received.offset,
        received.key,
        received.value,
        tuple(received.headers or ()),
    )


class Intake:
    """Decodes records and picks their handler; dead-letters what cannot be handled."""

    def __init__(
        self, handlers: Mapping[str, Handler], publisher: Publisher, consumer: str, clock: Clock
    ) -> None:
        self._handlers = handlers
        self._publisher = publisher
        self._consumer = consumer
        self._clock = clock

    async def handle(self, received: Any) -> tuple[AnyEnvelope | None, list[AnyEnvelope]]:
        """The record's envelope (None when it went to the DLQ) and what handling it made."""
        record = record_of(received)
        try:
            envelope = decode(record.value, list(record.headers))
        except DecodeError as exc:
            await self._dead_letter(record, dlq.REASON_DECODE_FAILED, str(exc))
            return None, []
        handler = self._handlers.get(envelope.type)
        if handler is None:
            detail = f"no handler for {envelope.type} v{envelope.version}"
            await self._dead_letter(record, dlq.REASON_NO_HANDLER, detail)
            return None, []
        return envelope, list(await handler(envelope) or ())

    async def _dead_letter(self, record: Record, reason: str, detail: str) -> None:
        headers = dlq.dead_letter_headers(
            record, reason=reason, detail=detail, consumer=self._consumer,
            ts_ns=self._clock.now_ns(),
        )  # fmt: skip
        target = dlq.dlq_topic(record.topic)
        await self._publisher.publish_raw(target, record.key, record.value, headers)
        log.warning("%s/%d@%d dead-lettered to %s: %s: %s", record.topic, record.partition,
                    record.offset, target, reason, detail)  # fmt: skip
