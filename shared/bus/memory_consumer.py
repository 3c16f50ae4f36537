"""The in-memory twin of the consumer loop, for unit and service tests.

``MemoryConsumer`` reads a ``MemoryBus`` through the same ``Dispatcher`` as the Kafka
loop, so retries, dead letters and published results behave the same, and commits
through the same ``OffsetTracker``.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Collection, Sequence

from shared.bus.dispatch import Dispatcher, Outcome
from shared.bus.errors import Classifier, classify_error
from shared.bus.memory import MemoryBus
from shared.bus.offsets import OffsetTracker
from shared.bus.retry import RetryPolicy
from shared.bus.types import Handlers, Publisher, Record, Sleep
from shared.clock import NANOS_PER_SECOND, Clock, FakeClock


class MemoryConsumer:
    """A consumer group member over a ``MemoryBus``.

    Tests usually call ``drain()`` (handle what is there, then return); ``run()`` keeps
    draining as records arrive until ``stop()``, like ``ConsumerLoop.run``.
    """

    name = "kafka-consumer"

    def __init__(
        self,
        bus: MemoryBus,
        *,
        group_id: str,
        topics: Sequence[str],
        handlers: Handlers,
        publisher: Publisher | None = None,
        policy: RetryPolicy | None = None,
        classifier: Classifier = classify_error,
        ignored_types: Collection[str] = (),
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.group_id = group_id
        self._bus = bus
        self._topics = list(topics)
        self._stopping = False
        self._wake = asyncio.Event()
        self._dispatcher = Dispatcher(
            handlers=handlers,
            publisher=publisher or bus,
            consumer=group_id,
            policy=policy,
            classifier=classifier,
            ignored_types=ignored_types,
            clock=clock,
            sleep=sleep or _no_sleep,
            rng=rng or random.Random(0),
        )

    async def start(self) -> None:
        """Honours the bus being down."""
        await self._bus.ping()
        self._stopping = False
        self._wake.clear()

    async def ping(self) -> None:
        """Raise if the bus is down."""
        await self._bus.ping()

    async def close(self) -> None:
        """Stop; committed offsets stay on the bus."""
        await self.stop()

    async def stop(self) -> None:
        """Make ``run``/``drain`` return, abandoning a record that is being retried.

        Unlike ``ConsumerLoop.stop`` it does not wait, so a test may call it from a
        handler or a fake sleep.
        """
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Drain, then wait for more records, until ``stop()``."""
        while not self._stopping:
            seen = self._bus.appended
            await self.drain()
            arrived = asyncio.ensure_future(self._bus.wait_for_records(seen))
            woken = asyncio.ensure_future(self._wake.wait())
            await asyncio.wait({arrived, woken}, return_when=asyncio.FIRST_COMPLETED)
            for waiter in (arrived, woken):
                waiter.cancel()

    async def drain(self) -> list[tuple[Record, Outcome]]:
        """Handle every record past the committed offsets, including ones handlers add.

        Returns each record with its outcome; stops at the first abandoned record.
        """
        seen: list[tuple[Record, Outcome]] = []
        progressed = True
        while progressed and not self._stopping:
            progressed = False
            for topic in self._topics:
                pending = self._bus.records(topic)[self._bus.committed(self.group_id, topic) :]
                tracker = OffsetTracker()
                for record in pending:
                    tracker.track(record.offset)
                for record in pending:
                    outcome = await self._dispatcher.dispatch(record, self._keep_going)
                    seen.append((record, outcome))
                    if outcome is Outcome.ABANDONED:
                        return seen
                    tracker.done(record.offset)
                    self._bus.commit(self.group_id, topic, _committable(tracker))
                    progressed = True
        return seen

    def _keep_going(self) -> bool:
        return not self._stopping


class RecordingSleep:
    """A sleep that returns at once, remembers each delay and moves a fake clock along."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.delays: list[float] = []
        self._clock = clock

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self._clock is not None:
            self._clock.advance(int(seconds * NANOS_PER_SECOND))


def _committable(tracker: OffsetTracker) -> int:
    offset = tracker.committable()
    if offset is None:
        raise RuntimeError("nothing tracked")
    return offset


async def _no_sleep(seconds: float) -> None:
    return None
