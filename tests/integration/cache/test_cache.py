"""The Redis cache against a real Redis: namespaced keys, JSON values, expiry."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from shared.cache import Cache
from shared.resources import NotStartedError
from shared.settings import CommonSettings

pytestmark = pytest.mark.integration


@pytest.fixture
async def cache(infra):
    started = Cache(infra.redis_url, prefix=f"test-{uuid.uuid4().hex[:12]}")
    await started.start()
    yield started
    keys = [key async for key in started.client.scan_iter(match=f"{started.prefix}:*")]
    if keys:
        await started.client.delete(*keys)
    await started.close()


async def test_json_values_round_trip_under_namespaced_keys(cache):
    key = cache.key("candle", "ES", "1m")
    assert key == f"{cache.prefix}:candle:ES:1m"
    value = {"open": Decimal("4321.25"), "trades": 17, "closed": False, "tags": ["a", "b"]}

    await cache.set_json(key, value)

    assert await cache.get_json(key) == {
        "open": "4321.25",  # Decimal travels as a string: no digit lost
        "trades": 17,
        "closed": False,
        "tags": ["a", "b"],
    }
    assert await cache.client.exists(key) == 1


async def test_a_missing_key_reads_as_none(cache):
    assert await cache.get_json(cache.key("nothing", "here")) is None


async def test_a_ttl_makes_the_key_expire_and_no_ttl_keeps_it(cache):
    await cache.set_json(cache.key("short"), [1, 2], ttl=30)
    await cache.set_json(cache.key("delta"), "x", ttl=timedelta(milliseconds=1500))
    await cache.set_json(cache.key("forever"), "y")

    assert 0 < await cache.client.pttl(cache.key("short")) <= 30_000
    assert 0 < await cache.client.pttl(cache.key("delta")) <= 1_500
    assert await cache.client.pttl(cache.key("forever")) == -1


async def test_a_non_positive_ttl_is_refused(cache):
    with pytest.raises(ValueError, match="positive"):
        await cache.set_json(cache.key("k"), 1, ttl=0)


async def test_from_settings_connects_with_the_settings_url(infra):
    cache = Cache.from_settings(CommonSettings(redis_url=infra.redis_url), prefix="probe")
    await cache.start()
    try:
        await cache.ping()
    finally:
        await cache.close()


async def test_a_failed_start_raises_and_leaves_the_cache_unstarted():
    cache = Cache("redis://127.0.0.1:1/0", timeout_s=1, retries=0)
    with pytest.raises(RedisConnectionError):
        await cache.start()
    with pytest.raises(NotStartedError):
        cache.client  # noqa: B018
    await cache.close()


def test_keys_need_a_clean_prefix_and_at_least_one_part():
    with pytest.raises(ValueError):
        Cache("redis://x", prefix="a:b")
    with pytest.raises(ValueError):
        Cache("redis://x").key()
    assert Cache("redis://x", prefix="ts").key("price", 7) == "ts:price:7"
