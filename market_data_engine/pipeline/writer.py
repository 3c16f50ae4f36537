"""Makes a batch's outputs durable, in the order the restart guarantee needs.

First, concurrently: the bars on Kafka (acknowledged), the dead letters on their DLQ topic,
the candles in InfluxDB (one write). Then Redis, in one transaction: newest closed and
forming candles, last trades, and the partition states. So a saved state never covers a
candle that is not everywhere, and Redis never holds a closed candle Kafka lacks.

Each step is retried on its own: transient errors (a store down or not connected yet, an
InfluxDB 5xx) without limit, others a few times before the error is raised. A stop or a
rebalance during the retries abandons the batch (``Abandoned``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping

from market_data_engine.pipeline.outputs import (
    Command,
    Outputs,
    bar_envelopes,
    influx_lines,
    redis_commands,
)
from shared.bus import dlq
from shared.bus import metrics as bus_metrics
from shared.bus.errors import ErrorKind, classify_error
from shared.bus.retry import Retrier, RetryPolicy
from shared.bus.types import Record, Sleep, TopicPublisher
from shared.cache import Cache
from shared.clock import Clock
from shared.resources import NotStartedError
from shared.tsdb import InfluxDB, InfluxError

log = logging.getLogger(__name__)

KeepGoing = Callable[[], bool]


BarPublisher = TopicPublisher
"""What publishes the bars and dead letters: ``KafkaPublisher`` or ``MemoryBus``."""


def classify_output_error(exc: BaseException) -> ErrorKind:
    """Stores not connected yet and InfluxDB server errors are transient too."""
    if isinstance(exc, NotStartedError):
        return ErrorKind.TRANSIENT
    if isinstance(exc, InfluxError) and (exc.status is None or exc.status >= 500):
        return ErrorKind.TRANSIENT
    return classify_error(exc)


class OutputWriter:
    """Writes ``Outputs`` to Kafka, InfluxDB and Redis."""

    def __init__(
        self,
        *,
        publisher: BarPublisher,
        influx: InfluxDB,
        cache: Cache,
        policy: RetryPolicy,
        rng: random.Random,
        clock: Clock,
        bars_topic: str,
        group_id: str,
        producer: str,
        forming_ttl_ms: Mapping[str, int],
    ) -> None:
        self._publisher = publisher
        self._influx = influx
        self._cache = cache
        self._policy = policy
        self._rng = rng
        self._clock = clock
        self._bars_topic = bars_topic
        self._group = group_id
        self._producer = producer
        self._forming_ttl_ms = dict(forming_ttl_ms)

    async def write(self, outputs: Outputs, keep_going: KeepGoing, sleep: Sleep) -> None:
        """Everything durable, or an exception (``Abandoned``, ``GaveUp``, a fatal error)."""
        retrier = Retrier(self._policy, classify_output_error, sleep, self._rng)
        steps: list[Callable[[], Awaitable[object]]] = []
        if outputs.bars:
            envelopes = bar_envelopes(outputs.bars, clock=self._clock, producer=self._producer)
            lines = influx_lines(outputs.bars)
            steps.append(lambda: self._publisher.publish_many(envelopes, topic=self._bars_topic))
            steps.append(lambda: self._influx.write_lines(lines))
        if outputs.dead_letters:
            steps.append(lambda: self._dead_letter(outputs))
        results = await asyncio.gather(
            *(self._retry(retrier, step, keep_going) for step in steps), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        commands = redis_commands(outputs, self._cache.key, self._forming_ttl_ms)
        if commands:
            await self._retry(retrier, lambda: self._redis(commands), keep_going)

    async def _retry(
        self, retrier: Retrier, step: Callable[[], Awaitable[object]], keep_going: KeepGoing
    ) -> None:
        def on_retry(kind: ErrorKind, failures: int, delay: float, exc: Exception) -> None:
            log.warning(
                "writing candle outputs failed (%s, attempt %d), retrying in %.2fs: %s",
                *(kind, failures, delay, dlq.describe_error(exc)),
            )

        await retrier.run(step, keep_going=keep_going, on_retry=on_retry)

    async def _dead_letter(self, outputs: Outputs) -> None:
        now = self._clock.now_ns()
        sends = []
        for record, reason, detail in outputs.dead_letters:
            source = Record(
                record.topic,
                record.partition,
                record.offset,
                record.key,
                record.value,
                tuple(record.headers),
            )
            headers = dlq.dead_letter_headers(
                source, reason=reason, detail=detail, consumer=self._group, ts_ns=now
            )
            target = dlq.dlq_topic(record.topic)
            sends.append(self._publisher.publish_raw(target, record.key, record.value, headers))
        for result in await asyncio.gather(*sends, return_exceptions=True):
            if isinstance(result, BaseException):
                raise result
        for record, reason, detail in outputs.dead_letters:
            log.error(
                "dead-lettered %s/%d@%d: %s (%s)",
                *(record.topic, record.partition, record.offset, reason, detail),
            )
            bus_metrics.DEAD_LETTERED.labels(self._group, record.topic, reason).inc()

    async def _redis(self, commands: list[Command]) -> None:
        # No MULTI: Redis applies one connection's commands in order, and the states come
        # last, so a state is never stored without the outputs before it.
        async with self._cache.client.pipeline(transaction=False) as pipe:
            for command in commands:
                pipe.execute_command(*command)
            await pipe.execute()
