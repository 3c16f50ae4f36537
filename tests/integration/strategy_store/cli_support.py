"""The ``tickstream strategy`` commands in a test: a typer app, its environment, and a
stand-in for the strategy workers that applies control commands from the real Kafka."""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import typer
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from typer.testing import CliRunner, Result

from shared.bus import ensure_topics
from shared.clock import SystemClock
from shared.db.strategies import StrategyStore
from shared.messages.codec import decode
from shared.messages.envelope import Envelope, Payload
from strategy_workers.cli_strategies import register

STRATEGY_ID = re.compile(r"created strategy ([0-9a-f-]{36}) ")


def strategy_app() -> typer.Typer:
    """A command with only the ``strategy`` group, as ``tickstream`` will have it."""
    app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    register(app)

    @app.callback()
    def main() -> None:
        """Keeps ``strategy`` a group of its own (typer flattens a lone group)."""

    return app


@dataclass(frozen=True)
class Cli:
    """Runs ``tickstream strategy ...`` in a worker thread (the commands run their own loop)."""

    env: dict[str, str]
    app: typer.Typer = field(default_factory=strategy_app)

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(self.app, ["strategy", *args], env=self.env)

    async def __call__(self, *args: str) -> Result:
        return await asyncio.to_thread(self.run, *args)

    async def create(self, *args: str) -> uuid.UUID:
        """Create a strategy (it must work); its id."""
        result = await self("create", *args)
        assert result.exit_code == 0, result.output
        found = STRATEGY_ID.search(result.stdout)
        assert found is not None, result.stdout
        return uuid.UUID(found[1])


@contextlib.asynccontextmanager
async def control_topic(bootstrap: str, name: str) -> AsyncIterator[str]:
    """A control topic of the test's own, removed afterwards."""
    created = await ensure_topics(bootstrap, [(name, 1)], dlq=False)
    try:
        yield name
    finally:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            await admin.delete_topics(created)
        finally:
            await admin.close()


@contextlib.asynccontextmanager
async def applier(
    bootstrap: str, topic: str, store: StrategyStore
) -> AsyncIterator[list[Envelope[Payload]]]:
    """Applies every control command on ``topic`` to the store, as the workers would;
    yields the envelopes it applied, in order."""
    seen: list[Envelope[Payload]] = []
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    clock = SystemClock()

    async def apply() -> None:
        async for record in consumer:
            envelope = decode(record.value, list(record.headers))
            await store.apply_control(envelope.message_id, envelope.payload, clock.now_ns())  # type: ignore[arg-type]
            seen.append(envelope)

    task = asyncio.create_task(apply())
    try:
        yield seen
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()
