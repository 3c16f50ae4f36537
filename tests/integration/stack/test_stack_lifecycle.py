"""The local stack manager against real servers, in a stack folder and on ports of its own
(so the developer's stack and the servers other tests use are never touched)."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from shared.stack import PortConflict, PortConflictError, Stack, StackSettings, State
from shared.stack.ports import port_taken
from shared.stack.process import alive
from shared.stack.settings import SERVICES
from tests.infra import free_port

pytestmark = pytest.mark.integration

NAMES = ["postgres", "redis"]


def isolated_settings(stack_dir: Path) -> StackSettings:
    """Every port of the stack on a free ephemeral port, data under ``stack_dir``."""
    ports = {
        f"{name}_port": free_port()
        for name in ("kafka", "kafka_controller", "postgres", "redis", "influx", "influx_rpc")
    }
    ports |= {f"{service}_port": free_port() for service in SERVICES}
    return StackSettings.model_validate(
        {"stack_dir": stack_dir, "prometheus_port": free_port(), **ports}
    )


@pytest.fixture
def stack_dir() -> Iterator[Path]:
    # Short and world-traversable: Postgres runs as its own user and keeps a socket here.
    folder = Path(tempfile.mkdtemp(prefix="ts-it-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder / "stack"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def isolated(stack_dir: Path) -> AsyncIterator[Stack]:
    stack = Stack(isolated_settings(stack_dir))
    yield stack
    await stack.down()


def pids(stack: Stack) -> dict[str, int | None]:
    return {name: stack.components[name].running_pid() for name in NAMES}


async def test_a_second_up_starts_nothing_and_keeps_the_same_processes(isolated: Stack) -> None:
    first = await isolated.up(NAMES)
    before = pids(isolated)

    second = await isolated.up(NAMES)

    assert sorted(first.started) == sorted(NAMES)
    assert second.started == []
    assert sorted(second.running) == sorted(NAMES)
    assert second.created == []
    assert pids(isolated) == before
    assert None not in before.values()


@asynccontextmanager
async def redis_client(url: str) -> AsyncIterator[Redis]:
    """A fresh client: connections of an earlier one died with the server."""
    client = Redis.from_url(url)
    try:
        yield client
    finally:
        await client.aclose()


async def test_a_stopped_component_starts_again_with_its_data(isolated: Stack) -> None:
    url = isolated.settings.redis_url
    await isolated.up(["redis"])
    async with redis_client(url) as client:
        await client.set("kept", "across restarts")

    assert await isolated.stop("redis")
    [stopped] = await isolated.status(["redis"])
    async with redis_client(url) as client:
        with pytest.raises(RedisConnectionError):
            await client.ping()

    await isolated.start("redis")
    [restarted] = await isolated.status(["redis"])
    async with redis_client(url) as client:
        kept = await client.get("kept")

    assert stopped.state is State.STOPPED
    assert restarted.state is State.READY
    assert kept == b"across restarts"


@pytest.fixture
def stranger() -> Iterator[subprocess.Popen[bytes]]:
    """A process that is not the stack's."""
    process = subprocess.Popen(["sleep", "300"])
    yield process
    process.send_signal(signal.SIGTERM)
    process.wait()


async def test_down_stops_what_up_started_and_nothing_else(
    isolated: Stack, stranger: subprocess.Popen[bytes]
) -> None:
    await isolated.up(NAMES)
    started = pids(isolated)
    # A pid file naming someone else's process, as when a pid was recycled after a reboot.
    prometheus = isolated.components["prometheus"]
    await asyncio.to_thread(prometheus.pid_file.write_text, f"{stranger.pid}\n")

    stopped = await isolated.down()

    assert sorted(stopped) == sorted(NAMES)
    assert not [pid for pid in started.values() if pid is not None and alive(pid)]
    assert stranger.poll() is None
    assert not await asyncio.to_thread(prometheus.pid_file.exists)


async def test_a_taken_port_is_named_and_nothing_starts(stack_dir: Path) -> None:
    stack = Stack(isolated_settings(stack_dir))
    redis_port = stack.settings.redis_port
    with socket.create_server(("127.0.0.1", redis_port)):
        with pytest.raises(PortConflictError) as refused:
            await stack.up(NAMES)
        [status] = await stack.status(["redis"])

    assert refused.value.conflicts == [PortConflict("redis", redis_port, "TICKSTREAM_REDIS_PORT")]
    assert f"port {redis_port} (redis)" in str(refused.value)
    assert status.state is State.PORT_TAKEN
    assert await asyncio.to_thread(lambda: list(stack.layout.run.glob("*.pid"))) == []
    assert not port_taken(stack.settings.postgres_port)


async def test_two_runs_at_once_start_each_component_only_once(isolated: Stack) -> None:
    other = Stack(isolated.settings)

    first, second = await asyncio.gather(isolated.up(["redis"]), other.up(["redis"]))

    assert sorted(first.started + second.started) == ["redis"]
    assert sorted(first.running + second.running) == ["redis"]
