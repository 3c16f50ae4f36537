"""Redis (``redis.asyncio``) as a ``Resource``, with namespaced keys and JSON helpers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pydantic_core
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from shared.resources import NotStartedError

if TYPE_CHECKING:
    from shared.settings import CommonSettings


class Cache:
    """A Redis client for one service; every key it makes starts with ``prefix:``."""

    name = "redis"

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "tickstream",
        timeout_s: float = 2.0,
        health_check_interval_s: int = 15,
        retries: int = 3,
        max_connections: int | None = None,
    ) -> None:
        if not prefix or ":" in prefix:
            raise ValueError(f"bad key prefix {prefix!r}: non-empty, without ':'")
        self._url = url
        self.prefix = prefix
        self._timeout_s = timeout_s
        self._health_check_interval_s = health_check_interval_s
        self._retries = retries
        self._max_connections = max_connections
        self._client: Redis | None = None

    @classmethod
    def from_settings(cls, settings: CommonSettings, *, prefix: str = "tickstream") -> Cache:
        """A cache configured from the common settings (not started)."""
        return cls(
            settings.redis_url.get_secret_value(),
            prefix=prefix,
            timeout_s=settings.dependency_check_timeout_s,
        )

    @property
    def client(self) -> Redis:
        """The started client (bytes in, bytes out)."""
        if self._client is None:
            raise NotStartedError("Cache.start() has not succeeded yet; no Redis client")
        return self._client

    async def start(self) -> None:
        """Create the client and check Redis answers; raise (leaving nothing open) if not."""
        if self._client is not None:
            return
        client = Redis.from_url(
            self._url,
            socket_timeout=self._timeout_s,
            socket_connect_timeout=self._timeout_s,
            health_check_interval=self._health_check_interval_s,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=1.0), self._retries),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            max_connections=self._max_connections,
        )
        try:
            await self._ping(client)
        except BaseException:
            await client.aclose()
            raise
        self._client = client

    async def ping(self) -> None:
        """PING within the timeout; raises if Redis does not answer."""
        await self._ping(self.client)

    async def close(self) -> None:
        """Close the client and its pool; safe when never started."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def key(self, *parts: str | int) -> str:
        """``prefix:part1:part2...``, the one way keys are made."""
        if not parts:
            raise ValueError("a key needs at least one part")
        return ":".join((self.prefix, *map(str, parts)))

    async def get_json(self, key: str) -> Any:
        """The JSON value stored at ``key`` (a full key from ``key()``), or None."""
        raw = await self.client.get(key)
        return None if raw is None else pydantic_core.from_json(raw)

    async def set_json(self, key: str, value: Any, ttl: float | timedelta | None = None) -> None:
        """Store ``value`` as JSON (Decimal as string); ``ttl`` in seconds, none = no expiry."""
        await self.client.set(key, pydantic_core.to_json(value), px=_ttl_ms(ttl))

    async def _ping(self, client: Redis) -> None:
        async with asyncio.timeout(self._timeout_s):
            await client.ping()


def _ttl_ms(ttl: float | timedelta | None) -> int | None:
    if ttl is None:
        return None
    seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
    if seconds <= 0:
        raise ValueError(f"ttl must be positive, got {ttl!r}")
    return max(1, round(seconds * 1000))
