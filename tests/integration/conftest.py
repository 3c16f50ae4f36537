"""Session fixtures of the integration tests: the real servers and control over them.

``infra`` gives the servers' endpoints: from ``TICKSTREAM_*`` variables when set; else
containers when a Docker engine answers; else the local stack, started if needed. A
server that cannot be reached fails the tests that need it (never a skip).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import NoReturn

import pytest

from shared.stack import Stack, StackError
from tests.infra import (
    Endpoints,
    Source,
    containers,
    docker_answers,
    endpoints_from_env,
    local_stack,
    unreachable,
)

ENV_HINT = (
    "set TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS, TICKSTREAM_POSTGRES_DSN, TICKSTREAM_REDIS_URL "
    "and TICKSTREAM_INFLUX_URL to use servers that are already running"
)


def unavailable(reason: str) -> NoReturn:
    """Fail the test: the servers it needs are not there (a skip would prove nothing)."""
    pytest.fail(f"integration servers unavailable: {reason}", pytrace=False)


async def find_source() -> Source:
    """The first available source of servers, in the documented order."""
    from_env = endpoints_from_env()
    if from_env is not None:
        missing = unreachable(from_env)
        if missing:
            unavailable("nothing answers at " + ", ".join(missing))
        return Source("env", from_env)
    if docker_answers():
        return await containers()
    try:
        return await local_stack()
    except StackError as exc:
        unavailable(f"the local stack did not start:\n{exc}\n({ENV_HINT})")


@pytest.fixture(scope="session")
async def infra_source() -> AsyncIterator[Source]:
    source = await find_source()
    yield source
    await source.close()


@pytest.fixture(scope="session")
def infra(infra_source: Source) -> Endpoints:
    """Endpoints of the real Kafka, Postgres, Redis and InfluxDB."""
    return infra_source.endpoints


class StackControl:
    """Stops and starts components of the local stack; restores what a test left stopped."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.stopped: set[str] = set()

    async def stop(self, name: str) -> None:
        await self.stack.stop(name)
        self.stopped.add(name)

    async def start(self, name: str) -> None:
        await self.stack.start(name)
        self.stopped.discard(name)

    async def restore(self) -> None:
        for name in sorted(self.stopped):
            await self.start(name)


@pytest.fixture
async def stack(infra_source: Source) -> AsyncIterator[StackControl]:
    """Start/stop control over the servers, for outage tests (local stack only)."""
    if infra_source.stack is None:
        unavailable(f"servers come from {infra_source.kind}; stopping them needs the local stack")
    control = StackControl(infra_source.stack)
    yield control
    await control.restore()


@pytest.fixture
def unique() -> Callable[[str], str]:
    """``unique("topic")`` -> ``"topic_3f9c..."``: names no other test or run shares."""

    def unique_name(prefix: str) -> str:
        return f"{prefix}_{uuid.uuid4().hex[:12]}"

    return unique_name


@pytest.fixture
def unique_name(unique: Callable[[str], str]) -> Callable[[str], str]:
    """Same as ``unique``."""
    return unique
