"""What happens to one received record: decode, handle, retry, publish, or dead-letter.

Both the Kafka consumer loop and the in-memory twin use this, so tests of the twin test
the same decisions the real loop makes. The rules:

- a record that cannot be decoded (``DecodeError``) is dead-lettered at once;
- a type with no handler in the map is dead-lettered (``no_handler``) unless ignored;
- a handler's transient error (see ``shared.bus.errors``) is retried without limit with
  capped exponential backoff; a permanent one up to ``RetryPolicy.max_attempts`` times,
  then the record is dead-lettered (``handler_failed``); a fatal one is re-raised;
- envelopes the handler returns are published (same retry rules, ``publish_failed``);
- the dead-letter write is retried until it is acknowledged.

Only when ``dispatch`` returns ``HANDLED`` or ``DEAD_LETTERED`` may the caller mark the
offset done. ``ABANDONED`` means the caller asked to stop (shutdown or the partition was
revoked) between attempts: the offset must stay uncommitted so the record comes again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Collection, Mapping
from enum import StrEnum

from shared.bus import dlq, metrics
from shared.bus.errors import Classifier, ErrorKind, classify_error
from shared.bus.retry import Abandoned, GaveUp, Retrier, RetryPolicy
from shared.bus.types import AnyEnvelope, Handler, Handlers, Publisher, Record, Sleep
from shared.clock import Clock, SystemClock
from shared.messages import DecodeError, decode

log = logging.getLogger(__name__)

KeepGoing = Callable[[], bool]


class Outcome(StrEnum):
    """The fate of one record."""

    HANDLED = "handled"
    DEAD_LETTERED = "dead_lettered"
    ABANDONED = "abandoned"


def _always() -> bool:
    return True


class Dispatcher:
    """Routes the records of one consumer group to handlers, with retry and dead-lettering."""

    def __init__(
        self,
        *,
        handlers: Handlers,
        publisher: Publisher,
        consumer: str,
        policy: RetryPolicy | None = None,
        classifier: Classifier = classify_error,
        ignored_types: Collection[str] = (),
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.consumer = consumer
        self._handlers = handlers
        self._publisher = publisher
        self._ignored = frozenset(ignored_types)
        self._clock = clock or SystemClock()
        self._retrier = Retrier(policy or RetryPolicy(), classifier, sleep, rng or random.Random())

    async def dispatch(self, record: Record, keep_going: KeepGoing = _always) -> Outcome:
        """Decide and carry out the fate of one record (see the module docstring)."""
        started = time.perf_counter()
        try:
            outcome = await self._dispatch(record, keep_going)
        except Abandoned:
            return Outcome.ABANDONED
        elapsed = time.perf_counter() - started
        metrics.HANDLED_SECONDS.labels(self.consumer, record.topic).observe(elapsed)
        return outcome

    async def _dispatch(self, record: Record, keep_going: KeepGoing) -> Outcome:
        try:
            envelope = decode(record.value, list(record.headers))
        except DecodeError as exc:
            return await self._dead_letter(record, dlq.REASON_DECODE_FAILED, exc, keep_going)
        metrics.CONSUMED.labels(self.consumer, record.topic, envelope.type).inc()
        if envelope.type in self._ignored:
            return Outcome.HANDLED
        handler = self._handler_for(envelope.type)
        if handler is None:
            error = LookupError(f"no handler for {envelope.type} v{envelope.version}")
            return await self._dead_letter(record, dlq.REASON_NO_HANDLER, error, keep_going)
        on_retry = self._retry_logger(record)
        try:
            produced = await self._retrier.run(
                lambda: handler(envelope), keep_going=keep_going, on_retry=on_retry
            )
        except GaveUp as gave_up:
            reason = dlq.REASON_HANDLER_FAILED
            return await self._dead_letter(record, reason, gave_up.cause, keep_going)
        if produced:
            outgoing: list[AnyEnvelope] = list(produced)
            try:
                await self._retrier.run(
                    lambda: self._publisher.publish_many(outgoing),
                    keep_going=keep_going,
                    on_retry=on_retry,
                )
            except GaveUp as gave_up:
                reason = dlq.REASON_PUBLISH_FAILED
                return await self._dead_letter(record, reason, gave_up.cause, keep_going)
        return Outcome.HANDLED

    def _handler_for(self, message_type: str) -> Handler | None:
        if isinstance(self._handlers, Mapping):
            return self._handlers.get(message_type)
        return self._handlers

    def _retry_logger(self, record: Record) -> Callable[[ErrorKind, int, float, Exception], None]:
        def on_retry(kind: ErrorKind, failures: int, delay: float, exc: Exception) -> None:
            metrics.RETRIED.labels(self.consumer, record.topic, kind).inc()
            log.warning(
                "%s/%d@%d failed (%s error, attempt %d), retrying in %.2fs: %s",
                record.topic,
                record.partition,
                record.offset,
                kind,
                failures,
                delay,
                dlq.describe_error(exc),
                exc_info=kind is ErrorKind.PERMANENT,
            )

        return on_retry

    async def _dead_letter(
        self, record: Record, reason: str, error: BaseException, keep_going: KeepGoing
    ) -> Outcome:
        detail = dlq.describe_error(error)
        now = self._clock.now_ns()
        headers = dlq.dead_letter_headers(
            record, reason=reason, detail=detail, consumer=self.consumer, ts_ns=now
        )
        target = dlq.dlq_topic(record.topic)
        failures = 0
        while True:
            try:
                await self._publisher.publish_raw(target, record.key, record.value, headers)
                break
            except Exception as exc:
                # The record is only let go once the dead-letter topic holds it, so keep
                # trying; a stop or a revoked partition abandons it uncommitted instead.
                failures += 1
                delay = self._retrier.backoff_s(failures)
                log.error("writing to %s failed, retrying in %.2fs", target, delay, exc_info=exc)
                await self._retrier.pause(delay, keep_going)
        log.error(
            "dead-lettered %s/%d@%d to %s: %s (%s)",
            *(record.topic, record.partition, record.offset, target, reason, detail),
        )
        metrics.DEAD_LETTERED.labels(self.consumer, record.topic, reason).inc()
        return Outcome.DEAD_LETTERED
