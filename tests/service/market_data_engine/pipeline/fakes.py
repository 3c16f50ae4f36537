"""In-memory stand-ins for the pipeline's stores: Redis, InfluxDB (a mock transport), Kafka."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
from redis.exceptions import ConnectionError as RedisConnectionError

from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline.config import PipelineConfig, forming_ttls_ms
from market_data_engine.pipeline.decoding import TradeDecoder
from market_data_engine.pipeline.engine import CandlePipeline
from market_data_engine.pipeline.snapshots import SnapshotStore
from market_data_engine.pipeline.symbols import SymbolDirectory
from market_data_engine.pipeline.writer import OutputWriter
from shared.bus import MemoryBus, RetryPolicy
from shared.bus.batch import Batch
from shared.clock import Clock, FakeClock
from shared.tsdb import InfluxDB
from tests.unit.market_data_engine.pipeline.support import REGISTRY

FAST = RetryPolicy(max_attempts=2, base_backoff_s=0.001, max_backoff_s=0.002)


class FakeRedis:
    """The few Redis commands the pipeline sends; ``failures`` makes the next calls fail."""

    def __init__(self) -> None:
        self.strings: dict[str, bytes] = {}
        self.ttl_ms: dict[str, int] = {}
        self.zsets: dict[str, dict[bytes, int]] = {}
        self.failures = 0
        self.fail_with: Callable[[], Exception] = lambda: RedisConnectionError("redis is down")

    def _check(self) -> None:
        if self.failures:
            self.failures -= 1
            raise self.fail_with()

    async def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        self._check()
        return [self.strings.get(key) for key in keys]

    def pipeline(self, transaction: bool = True) -> FakePipeline:
        return FakePipeline(self)

    def zmembers(self, key: str) -> list[tuple[int, bytes]]:
        """(score, member) sorted like ZRANGE ... WITHSCORES."""
        return sorted((score, member) for member, score in self.zsets.get(key, {}).items())

    def run(self, command: tuple[Any, ...]) -> None:
        name, key, *args = command
        if name == "SET":
            self.strings[key] = _bytes(args[0])
            if args[1:]:
                self.ttl_ms[key] = int(args[2])
        elif name == "MSET":
            pairs = [key, *args]
            for k, v in zip(pairs[::2], pairs[1::2], strict=True):
                self.strings[k] = _bytes(v)
        elif name == "DEL":
            self.strings.pop(key, None)
        elif name == "ZADD":
            zset = self.zsets.setdefault(key, {})
            for score, member in zip(args[::2], args[1::2], strict=True):
                zset[_bytes(member)] = int(score)
        elif name == "ZREMRANGEBYSCORE":
            low, high = args
            zset = self.zsets.get(key, {})
            for member in [m for m, s in zset.items() if low <= s <= high]:
                del zset[member]
        elif name == "ZREMRANGEBYRANK":
            start, stop = args
            members = [m for _, m in self.zmembers(key)]
            for member in members[start : len(members) + stop + 1]:
                del self.zsets[key][member]
        else:
            raise AssertionError(f"unexpected command {name}")


class FakePipeline:
    def __init__(self, redis: FakeRedis) -> None:
        self._redis = redis
        self._commands: list[tuple[Any, ...]] = []

    async def __aenter__(self) -> FakePipeline:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def execute_command(self, *command: Any) -> FakePipeline:
        self._commands.append(command)
        return self

    async def execute(self) -> list[None]:
        self._redis._check()
        for command in self._commands:
            self._redis.run(command)
        return [None] * len(self._commands)


class FakeCache:
    """``shared.cache.Cache``'s shape over a ``FakeRedis``."""

    name = "redis"

    def __init__(self, prefix: str = "t") -> None:
        self.prefix = prefix
        self.client = FakeRedis()

    def key(self, *parts: str | int) -> str:
        return ":".join((self.prefix, *map(str, parts)))

    async def ping(self) -> None:
        return None


class InfluxLines:
    """Line protocol posted to a mock InfluxDB, by point (series and time)."""

    def __init__(self) -> None:
        self.points: dict[tuple[str, str], str] = {}
        self.writes = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ping":
            return httpx.Response(204)
        self.writes += 1
        for line in request.content.decode().splitlines():
            series, fields, time = line.rsplit(" ", 2)
            self.points[(series, time)] = fields
        return httpx.Response(204)


class Stores:
    """Every store a pipeline writes to, shared by the pipelines of one test."""

    def __init__(self) -> None:
        self.bus = MemoryBus()
        self.cache = FakeCache()
        self.lines = InfluxLines()
        self.influx = InfluxDB(
            "http://influx", "db", transport=httpx.MockTransport(self.lines.handler)
        )

    async def start(self) -> None:
        await self.influx.start()

    def pipeline(self, config: PipelineConfig, clock: Clock | None = None) -> CandlePipeline:
        clock = clock or FakeClock(0)
        symbols = SymbolDirectory(REGISTRY)
        writer = OutputWriter(
            publisher=self.bus,
            influx=self.influx,
            cache=self.cache,  # type: ignore[arg-type]
            policy=FAST,
            rng=random.Random(0),
            clock=clock,
            bars_topic="bars",
            group_id="group",
            producer="test",
            forming_ttl_ms=forming_ttls_ms(config.timeframes, config.grace_ns),
        )
        return CandlePipeline(
            config,
            decoder=TradeDecoder(TRADE_DECODERS, symbols),
            symbols=symbols,
            writer=writer,
            snapshots=SnapshotStore(self.cache, "group"),  # type: ignore[arg-type]
            clock=clock,
        )


def batch(
    records: Mapping[Any, Sequence[Any]],
    partitions: Sequence[Any],
    *,
    highwater: Mapping[Any, int] | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> Batch:
    """A batch as the consumer hands it over, sleeping no time between retries."""
    marks = dict(highwater or {})
    return Batch(records, keep_going, marks.get, frozenset(partitions), _no_sleep)


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()
