"""Protocol-level checks that a server really answers; each raises when it does not.

Client libraries are imported inside each check: the CLI starts faster without them.
"""

from __future__ import annotations

import asyncio

from shared.stack.ports import HOST

PROBE_TIMEOUT_S = 3.0


async def tcp(port: int, host: str = HOST) -> None:
    """Raise ``OSError`` unless something accepts a TCP connection."""
    _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), PROBE_TIMEOUT_S)
    writer.close()
    await writer.wait_closed()


async def postgres(dsn: str) -> None:
    """``SELECT 1`` over a fresh connection."""
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=PROBE_TIMEOUT_S)
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close()


async def redis(url: str) -> None:
    """Redis ``PING``."""
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_timeout=PROBE_TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def http_status(url: str, expected: int) -> None:
    """Raise unless ``GET url`` answers ``expected``."""
    import httpx

    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_S) as client:
        response = await client.get(url)
    if response.status_code != expected:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not {expected}")


async def kafka(bootstrap: str) -> None:
    """Fetch cluster metadata with the admin client."""
    from aiokafka.admin import AIOKafkaAdminClient

    host, _, port = bootstrap.rpartition(":")
    await tcp(int(port), host)  # skip the admin client's noisy retries while nothing listens
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), PROBE_TIMEOUT_S * 2)
        cluster = await admin.describe_cluster()
        if not cluster.get("brokers"):
            raise RuntimeError("Kafka answered without any broker in its metadata")
    finally:
        await admin.close()
