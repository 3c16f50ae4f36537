"""The inbox against a real Postgres: each message's effect happens exactly once."""

from __future__ import annotations

import asyncio
import random
from uuid import UUID

import pytest

from shared.db import claim, claim_many

pytestmark = pytest.mark.integration


def ids(count: int, seed: int) -> list[UUID]:
    rng = random.Random(seed)
    return [UUID(int=rng.getrandbits(128), version=4) for _ in range(count)]


async def test_a_message_is_claimed_the_first_time_only_per_consumer(db):
    (message_id,) = ids(1, seed=1)
    async with db.pool.acquire() as conn:
        assert await claim(conn, "order_processor", message_id) is True
        assert await claim(conn, "order_processor", message_id) is False
        assert await claim(conn, "analytics_service", message_id) is True


async def test_a_claim_rolled_back_with_its_work_can_be_claimed_again(db):
    (message_id,) = ids(1, seed=2)
    async with db.pool.acquire() as conn:
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                assert await claim(conn, "c", message_id)
                raise RuntimeError("handler failed after claiming")
        assert await claim(conn, "c", message_id) is True


async def test_concurrent_claims_of_one_message_let_exactly_one_win(db):
    (message_id,) = ids(1, seed=3)
    everyone_in = asyncio.Barrier(6)

    async def handle() -> bool:
        async with db.pool.acquire() as conn, conn.transaction():
            await everyone_in.wait()
            won = await claim(conn, "c", message_id)
            await asyncio.sleep(0.05)  # hold the transaction so the others must wait on it
            return won

    results = await asyncio.gather(*(handle() for _ in range(6)))
    assert sorted(results) == [False] * 5 + [True]


async def test_claim_many_returns_only_the_new_ids_in_input_order(db):
    seen, fresh_a, fresh_b = ids(3, seed=4)
    async with db.pool.acquire() as conn:
        assert await claim(conn, "c", seen)
        claimed = await claim_many(conn, "c", [fresh_b, seen, fresh_a, fresh_b])
        assert claimed == [fresh_b, fresh_a]
        assert await claim_many(conn, "c", [fresh_a, fresh_b]) == []
        assert await claim_many(conn, "c", []) == []
