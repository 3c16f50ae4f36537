"""Where the real servers are for integration tests.

Order of preference: URLs from the environment (``TICKSTREAM_*``); else containers via
testcontainers when a Docker engine answers; else the local stack that ``make up``
manages, started on demand. A server that cannot be reached is a test failure, never a
skip: a skipped test proves nothing.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from shared.stack import Stack, StackSettings

ENV_VARIABLES = (
    "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS",
    "TICKSTREAM_POSTGRES_DSN",
    "TICKSTREAM_REDIS_URL",
    "TICKSTREAM_INFLUX_URL",
)
DOCKER_SOCKET = Path("/var/run/docker.sock")


@dataclass(frozen=True)
class Endpoints:
    """Connection strings of the four servers the integration tests use."""

    kafka_bootstrap: str
    postgres_dsn: str
    redis_url: str
    influx_url: str
    influx_database: str = "tickstream"


@dataclass
class Source:
    """Where the endpoints came from ("env", "containers", "stack") and how to let go."""

    kind: str
    endpoints: Endpoints
    stack: Stack | None = None
    close: Callable[[], Awaitable[None]] = field(default=lambda: asyncio.sleep(0))


def answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def host_port(url: str, default_port: int) -> tuple[str, int]:
    """(host, port) of a URL or a bare ``host:port``."""
    if "://" not in url:
        host, _, port = url.split(",", maxsplit=1)[0].rpartition(":")
        return host or "127.0.0.1", int(port or default_port)
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


def endpoints_from_env() -> Endpoints | None:
    """The servers named by ``TICKSTREAM_*`` variables, when any of them is set."""
    if not any(name in os.environ for name in ENV_VARIABLES):
        return None
    from shared.settings import CommonSettings

    common = CommonSettings()
    return Endpoints(
        kafka_bootstrap=common.kafka_bootstrap_servers,
        postgres_dsn=common.postgres_dsn.get_secret_value(),
        redis_url=common.redis_url.get_secret_value(),
        influx_url=common.influx_url,
        influx_database=common.influx_database,
    )


def unreachable(endpoints: Endpoints) -> list[str]:
    """The endpoints where nothing accepts a TCP connection."""
    defaults = {
        "kafka_bootstrap": 9092,
        "postgres_dsn": 5432,
        "redis_url": 6379,
        "influx_url": 8086,
    }
    return [
        f"{name}={getattr(endpoints, name)}"
        for name, port in defaults.items()
        if not answers(*host_port(getattr(endpoints, name), port))
    ]


def stack_endpoints(settings: StackSettings) -> Endpoints:
    return Endpoints(
        kafka_bootstrap=settings.kafka_bootstrap,
        postgres_dsn=settings.postgres_dsn,
        redis_url=settings.redis_url,
        influx_url=settings.influx_url,
        influx_database=settings.database,
    )


def docker_answers(timeout_s: float = 2.0) -> bool:
    """True if a Docker engine answers a ping (quickly False when there is no socket)."""
    if "DOCKER_HOST" not in os.environ and not DOCKER_SOCKET.exists():
        return False
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=timeout_s)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no engine, no permission, a broken client: all mean "no Docker"
        return False


async def local_stack() -> Source:
    """The local stack's infrastructure, started if needed (idempotent)."""
    stack = Stack()
    await stack.up(infra_only=True)
    return Source("stack", stack_endpoints(stack.settings), stack=stack)


KAFKA_IMAGE = "apache/kafka:4.1.0"
IMAGES = {"postgres": "postgres:15", "redis": "redis:7", "influxdb": "influxdb:1.8"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def kafka_container(host_port: int) -> Any:
    """A single KRaft node advertising the host port it is published on."""
    from testcontainers.core.container import DockerContainer

    return (
        DockerContainer(KAFKA_IMAGE)
        .with_bind_ports(9092, host_port)
        .with_envs(
            KAFKA_NODE_ID="1",
            KAFKA_PROCESS_ROLES="broker,controller",
            KAFKA_LISTENERS="PLAINTEXT://:9092,CONTROLLER://:9093",
            KAFKA_ADVERTISED_LISTENERS=f"PLAINTEXT://127.0.0.1:{host_port}",
            KAFKA_CONTROLLER_LISTENER_NAMES="CONTROLLER",
            KAFKA_LISTENER_SECURITY_PROTOCOL_MAP="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            KAFKA_CONTROLLER_QUORUM_VOTERS="1@localhost:9093",
            KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR="1",
            KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR="1",
            KAFKA_TRANSACTION_STATE_LOG_MIN_ISR="1",
            KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR="1",
            KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR="1",
            KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS="0",
            KAFKA_AUTO_CREATE_TOPICS_ENABLE="false",
        )
    )


async def containers(timeout_s: float = 180.0) -> Source:
    """Kafka, Postgres, Redis and InfluxDB in containers, provisioned like the local stack."""
    from testcontainers.core.container import DockerContainer

    from shared.messages.topics import all_topic_names
    from shared.stack import probes
    from shared.stack.migrations import apply_migrations
    from shared.stack.topics import ensure_topics
    from shared.stack.wait import wait_ready

    ports = {name: free_port() for name in ("kafka", "postgres", "redis", "influxdb")}
    started = [
        kafka_container(ports["kafka"]),
        DockerContainer(IMAGES["postgres"])
        .with_bind_ports(5432, ports["postgres"])
        .with_envs(POSTGRES_USER="tickstream", POSTGRES_PASSWORD="tickstream"),
        DockerContainer(IMAGES["redis"]).with_bind_ports(6379, ports["redis"]),
        DockerContainer(IMAGES["influxdb"])
        .with_bind_ports(8086, ports["influxdb"])
        .with_envs(INFLUXDB_DB="tickstream", INFLUXDB_REPORTING_DISABLED="true"),
    ]

    async def close() -> None:
        for container in started:
            await asyncio.to_thread(container.stop)

    try:
        for container in started:
            await asyncio.to_thread(container.start)
        endpoints = Endpoints(
            kafka_bootstrap=f"127.0.0.1:{ports['kafka']}",
            postgres_dsn=f"postgresql://tickstream:tickstream@127.0.0.1:{ports['postgres']}/tickstream",
            redis_url=f"redis://127.0.0.1:{ports['redis']}/0",
            influx_url=f"http://127.0.0.1:{ports['influxdb']}",
        )
        checks = {
            "kafka": lambda: probes.kafka(endpoints.kafka_bootstrap),
            "postgres": lambda: probes.postgres(endpoints.postgres_dsn),
            "redis": lambda: probes.redis(endpoints.redis_url),
            "influxdb": lambda: probes.http_status(f"{endpoints.influx_url}/ping", 204),
        }
        for name, check in checks.items():
            await wait_ready(f"{name} container", check, timeout_s=timeout_s)
        await ensure_topics(endpoints.kafka_bootstrap, all_topic_names())
        await apply_migrations(endpoints.postgres_dsn)
    except BaseException:
        await close()
        raise
    return Source("containers", endpoints, close=close)
