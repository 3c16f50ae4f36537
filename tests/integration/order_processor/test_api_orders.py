"""The ledger API's orders and fills against a real Postgres: filters, pages and ownership."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest

from shared.clock import ns_to_iso
from shared.trading.fills import Fill
from shared.trading.orders import WORKING, Order, OrderStatus
from tests.infra import Endpoints
from tests.integration.order_processor.test_api_support import (
    NOW_NS,
    SECOND,
    add_account,
    connect,
    fill,
    ledger_api,
    ledger_database,
    order,
    save,
)

pytestmark = pytest.mark.integration

SYMBOLS = ("ESZ6", "NQZ6")
STRATEGIES = (None, uuid.UUID(int=11), uuid.UUID(int=12))


@pytest.fixture(scope="module")
async def dsn(infra: Endpoints) -> AsyncIterator[str]:
    async with ledger_database(infra.postgres_dsn) as name:
        yield name


@pytest.fixture(scope="module")
async def client(dsn: str, infra: Endpoints) -> AsyncIterator[httpx.AsyncClient]:
    async with ledger_api(dsn, infra.redis_url, f"opapi{uuid.uuid4().hex[:10]}") as api:
        yield api


@pytest.fixture
async def conn(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    async with connect(dsn) as connection:
        yield connection


def random_orders(account: uuid.UUID, user: uuid.UUID, count: int, seed: int) -> list[Order]:
    """Orders over the last minute, several in the same nanosecond (cursor ties)."""
    rng = random.Random(seed)
    return [
        order(account, user, NOW_NS - rng.randint(0, 40) * SECOND, symbol=rng.choice(SYMBOLS),
              status=rng.choice(list(OrderStatus)), strategy_id=rng.choice(STRATEGIES),
              order_id=uuid.UUID(int=rng.getrandbits(128)))
        for _ in range(count)
    ]  # fmt: skip


async def walk(
    client: httpx.AsyncClient, path: str, user: uuid.UUID, **params: Any
) -> list[dict[str, Any]]:
    """Every row of a listing, page after page, checking each page's size."""
    rows: list[dict[str, Any]] = []
    query: dict[str, Any] = {"user_id": str(user), **params}
    for _ in range(200):  # a cursor that does not advance must fail, not hang
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["count"] == len(body["data"]) <= int(params.get("limit", 100))
        rows += body["data"]
        if body["next_before"] is None:
            return rows
        query["before"] = body["next_before"]
    raise AssertionError(f"more than 200 pages of {path} {params}")


def newest_first(items: list[Any], keep: Callable[[Any], bool], time: str, key: str) -> list[str]:
    chosen = sorted(
        (i for i in items if keep(i)), key=lambda i: (getattr(i, time), getattr(i, key))
    )
    return [str(getattr(i, key)) for i in reversed(chosen)]


async def test_orders_page_newest_first_through_every_filter(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user, other_user = uuid.uuid4(), uuid.uuid4()
    account = await add_account(conn, user)
    orders = random_orders(account, user, 80, seed=3)
    noise = random_orders(await add_account(conn, user), user, 10, seed=4)
    noise += random_orders(await add_account(conn, other_user), other_user, 10, seed=5)
    await save(conn, orders=orders + noise)
    path = f"/api/v1/accounts/{account}/orders"
    since, until = NOW_NS - 30 * SECOND, NOW_NS - 10 * SECOND
    cases: list[tuple[dict[str, Any], Callable[[Order], bool]]] = [
        ({"limit": 7}, lambda o: True),
        ({"status": ["FILLED", "CANCELED"], "limit": 5},
         lambda o: o.status in {OrderStatus.FILLED, OrderStatus.CANCELED}),
        ({"working": "true", "limit": 4}, lambda o: o.status in WORKING),
        ({"working": "true", "status": ["FILLED", "ACCEPTED"]},
         lambda o: o.status is OrderStatus.ACCEPTED),
        ({"symbol": "NQZ6", "limit": 9}, lambda o: o.symbol == "NQZ6"),
        ({"strategy_id": str(STRATEGIES[1]), "limit": 3}, lambda o: o.strategy_id == STRATEGIES[1]),
        ({"since": ns_to_iso(since), "until": ns_to_iso(until), "limit": 6},
         lambda o: since <= o.created_ns < until),
        ({"since": str(since), "symbol": "ESZ6", "working": "true", "limit": 2},
         lambda o: o.created_ns >= since and o.symbol == "ESZ6" and o.status in WORKING),
        ({"until": "2026-03-06T14:59:30+00:00"}, lambda o: o.created_ns < NOW_NS - 30 * SECOND),
    ]  # fmt: skip
    for params, keep in cases:
        got = [row["order_id"] for row in await walk(client, path, user, **params)]
        assert got == newest_first(orders, keep, "created_ns", "order_id"), params
        assert got, f"the seed gives every case some orders: {params}"


async def test_an_order_reads_with_its_fills_by_id_and_by_client_id(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account = await add_account(conn, user)
    o = order(account, user, NOW_NS - 5 * SECOND, quantity=Decimal(3),
              status=OrderStatus.PARTIALLY_FILLED, filled_quantity=Decimal(2),
              notional_filled=Decimal("10000.75"), client_order_id="my-order-1")  # fmt: skip
    fills = [fill(o, NOW_NS - 2 * SECOND, "5000.50", "1"), fill(o, NOW_NS - SECOND, "5000.25", "1")]
    await save(conn, orders=[o], fills=fills)
    by_id = await client.get(f"/api/v1/accounts/{account}/orders/{o.order_id}",
                             params={"user_id": str(user)})  # fmt: skip
    by_client = await client.get(f"/api/v1/accounts/{account}/orders/by-client-id/my-order-1",
                                 params={"user_id": str(user)})  # fmt: skip
    assert by_id.status_code == 200, by_id.text
    body = by_id.json()
    assert by_client.json() == body
    assert (body["order_id"], body["status"]) == (str(o.order_id), "PARTIALLY_FILLED")
    assert (body["quantity"], body["filled_quantity"], body["limit_price"]) == ("3", "2", "5000")
    assert body["avg_fill_price"] == "5000.375"
    assert (body["created_ns"], body["created_at"]) == (
        o.created_ns,
        "2026-03-06T14:59:55.000000000Z",
    )
    assert [(f["fill_id"], f["price"], f["commission"]) for f in body["fills"]] == [
        (str(f.fill_id), str(f.price), "2.25") for f in fills
    ]
    assert body["fills"][0]["time"] == "2026-03-06T14:59:58.000000000Z"


async def test_fills_page_newest_first_by_symbol_order_strategy_and_time(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account = await add_account(conn, user)
    orders = random_orders(account, user, 12, seed=8)
    rng = random.Random(9)
    fills: list[Fill] = [
        fill(o, NOW_NS - rng.randint(0, 20) * SECOND, "5000.25", str(rng.randint(1, 3)))
        for o in orders
        for _ in range(rng.randint(1, 4))
    ]
    noise = random_orders(await add_account(conn, user), user, 3, seed=10)
    await save(
        conn, orders=orders + noise, fills=fills + [fill(o, NOW_NS, "1", "1") for o in noise]
    )
    path = f"/api/v1/accounts/{account}/fills"
    first = orders[0].order_id
    cases: list[tuple[dict[str, Any], Callable[[Fill], bool]]] = [
        ({"limit": 4}, lambda f: True),
        ({"symbol": "ESZ6", "limit": 3}, lambda f: f.symbol == "ESZ6"),
        ({"order_id": str(first)}, lambda f: f.order_id == first),
        ({"strategy_id": str(STRATEGIES[2]), "limit": 2}, lambda f: f.strategy_id == STRATEGIES[2]),
        ({"since": str(NOW_NS - 10 * SECOND), "until": ns_to_iso(NOW_NS - 2 * SECOND)},
         lambda f: NOW_NS - 10 * SECOND <= f.ts_ns < NOW_NS - 2 * SECOND),
    ]  # fmt: skip
    for params, keep in cases:
        rows = await walk(client, path, user, **params)
        assert [r["fill_id"] for r in rows] == newest_first(fills, keep, "ts_ns", "fill_id")
        assert rows, f"the seed gives every case some fills: {params}"


async def test_another_users_account_answers_404_exactly_like_a_missing_one(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    account, bobs = await add_account(conn, alice), await add_account(conn, bob)
    o = order(account, alice, NOW_NS, client_order_id="alices")
    await save(conn, orders=[o], fills=[fill(o, NOW_NS, "5000", "1")])
    tails = ["orders", f"orders/{o.order_id}", "orders/by-client-id/alices", "fills",
             "positions?status=all", "summary", "risk"]  # fmt: skip
    for tail in tails:
        own = await client.get(f"/api/v1/accounts/{account}/{tail}", params={"user_id": str(alice)})
        assert own.status_code == 200, (tail, own.text)
        for target, user in ((account, bob), (uuid.uuid4(), bob), (account, uuid.uuid4())):
            answer = await client.get(
                f"/api/v1/accounts/{target}/{tail}", params={"user_id": str(user)}
            )
            assert answer.status_code == 404, (tail, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            problem = answer.json()
            assert problem["detail"] == f"Account {target} not found"
    # Bob's own account does not reach Alice's order either.
    for tail in (f"orders/{o.order_id}", "orders/by-client-id/alices"):
        answer = await client.get(f"/api/v1/accounts/{bobs}/{tail}", params={"user_id": str(bob)})
        assert answer.status_code == 404
        assert answer.json()["type"] == "urn:tickstream:problem:not-found"
    listed = await client.get(f"/api/v1/accounts/{bobs}/fills", params={"user_id": str(bob)})
    assert listed.json()["data"] == []


async def test_a_parameter_that_cannot_be_read_answers_422_naming_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account = await add_account(conn, user)
    path = f"/api/v1/accounts/{account}/orders"
    cases = [
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-03-06T10:00:00"}, "until"),  # no zone: refused, not guessed
        ({"since": "2026-03-06T10:00:00Z", "until": "2026-03-05T10:00:00Z"}, "until"),
        ({"before": "not-a-cursor"}, "before"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"status": "SHIPPED"}, "status"),
        ({"strategy_id": "abc"}, "strategy_id"),
    ]
    for params, name in cases:
        answer = await client.get(path, params={"user_id": str(user), **params})
        assert answer.status_code == 422, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert any(name in e["loc"] for e in answer.json()["errors"]), (params, answer.text)
    missing = await client.get(path)
    assert missing.status_code == 422
    assert ["query", "user_id"] in [e["loc"] for e in missing.json()["errors"]]
