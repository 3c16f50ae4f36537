"""The ledger API's positions, account summary and risk view against real Postgres and Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest

from shared.cache import Cache
from shared.messages.schemas.common import PositionSide
from shared.trading.lots import Position
from shared.trading.orders import OrderStatus
from tests.infra import Endpoints
from tests.integration.order_processor.test_api_support import (
    NOW_NS,
    SECOND,
    add_account,
    connect,
    ledger_api,
    ledger_database,
    order,
    position,
    save,
    set_last_trades,
)

pytestmark = pytest.mark.integration

NIL = uuid.UUID(int=0)
TODAY, YESTERDAY = date(2026, 3, 6), date(2026, 3, 5)
NQ_TRADE_NS = NOW_NS - 2 * SECOND
D = Decimal


@pytest.fixture(scope="module")
async def dsn(infra: Endpoints) -> AsyncIterator[str]:
    async with ledger_database(infra.postgres_dsn) as name:
        yield name


@pytest.fixture(scope="module")
async def cache(infra: Endpoints) -> AsyncIterator[Cache]:
    store = Cache(infra.redis_url, prefix=f"opapi{uuid.uuid4().hex[:10]}")
    await store.start()
    await set_last_trades(store, {"NQZ6": ("17950.25", NQ_TRADE_NS)})
    yield store
    await store.client.delete(store.key("last", "NQZ6"))
    await store.close()


@pytest.fixture(scope="module")
async def client(dsn: str, infra: Endpoints, cache: Cache) -> AsyncIterator[httpx.AsyncClient]:
    async with ledger_api(dsn, infra.redis_url, cache.prefix) as api:
        yield api


@pytest.fixture
async def conn(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    async with connect(dsn) as connection:
        yield connection


async def book(conn: asyncpg.Connection, account: uuid.UUID, user: uuid.UUID) -> list[Position]:
    """Two closed and two open positions, newest opened first; the numbers in the tests
    below are worked out by hand from these trades (ts, price, signed qty, commission).
    """
    hour = 3600 * SECOND
    positions = [
        position((account, user), "CLZ6", PositionSide.LONG, "1000",
                 [(NOW_NS - 120 * SECOND, "70.00", "1", "2.25"),
                  (NOW_NS - 60 * SECOND, "70.10", "1", "2.25")]),
        position((account, user), "NQZ6", PositionSide.SHORT, "20",
                 [(NOW_NS - 600 * SECOND, "18000.00", "-3", "6.75"),
                  (NOW_NS - 300 * SECOND, "17990.00", "1", "2.25")]),
        position((account, user), "ESZ6", PositionSide.LONG, "50",
                 [(NOW_NS - hour, "5000.00", "2", "4.50"),
                  (NOW_NS - hour // 2, "5010.00", "-2", "4.50")]),
        position((account, user), "ESZ6", PositionSide.LONG, "50",
                 [(NOW_NS - 2 * hour, "5020.00", "1", "2.25"),
                  (NOW_NS - 2 * hour + 200 * SECOND, "5015.50", "-1", "2.25")]),
    ]  # fmt: skip
    await save(conn, positions=positions)
    return positions


async def get(client: httpx.AsyncClient, account: uuid.UUID, tail: str, user: uuid.UUID,
              **params: Any) -> Any:  # fmt: skip
    answer = await client.get(
        f"/api/v1/accounts/{account}/{tail}", params={"user_id": str(user), **params}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_the_summary_adds_up_to_the_cent(
    client: httpx.AsyncClient, conn: asyncpg.Connection, dsn: str, infra: Endpoints, cache: Cache
) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    account = await add_account(conn, alice, starting="100000")
    await book(conn, account, alice)
    await book(conn, await add_account(conn, bob), bob)  # someone else's money
    statuses = list(OrderStatus)
    await save(conn, orders=[order(account, alice, NOW_NS, status=s) for s in statuses])
    await conn.execute(
        "INSERT INTO risk_daily_pnl VALUES ($1, $2, $3, 191.00), ($1, $4, $3, 55)",
        account, NIL, TODAY, uuid.uuid4(),
    )  # fmt: skip
    body = await get(client, account, "summary", alice)
    money = {k: D(body[k]) for k in ("starting_balance", "realized_pnl", "commissions",
             "balance", "unrealized_pnl", "equity", "exposure", "margin_in_use",
             "margin_available", "realized_today", "margin_rate")}  # fmt: skip
    # realized: 991.00 (ES win) - 229.50 (ES loss) + 191.00 (NQ partial) - 4.50 (CL fees)
    # unrealized: NQ short 2 from 18000 marked 17950.25 = 49.75 x 2 x 20; CL at entry = 0
    # exposure: NQ 2 x 17950.25 x 20 + CL 2 x 70.05 x 1000; margin 10% of it
    assert money == {
        "starting_balance": D("100000"), "realized_pnl": D("948.00"),
        "commissions": D("27.00"), "balance": D("100948.00"), "unrealized_pnl": D("1990.00"),
        "equity": D("102938.00"), "exposure": D("858110.00"), "margin_in_use": D("85811.00"),
        "margin_available": D("17127.00"), "realized_today": D("191.00"),
        "margin_rate": D("0.10"),
    }  # fmt: skip
    assert (body["open_positions"], body["working_orders"]) == (2, 3)
    assert (body["trading_day"], body["as_of_ns"]) == ("2026-03-06", NOW_NS)
    assert [(m["symbol"], m["price"], m["source"], m["ts_ns"]) for m in body["marks"]] == [
        ("CLZ6", "70.05", "entry", None),
        ("NQZ6", "17950.25", "last_trade", NQ_TRADE_NS),
    ]
    async with ledger_api(dsn, infra.redis_url, cache.prefix, margin_rate=D("0.25")) as other:
        quarter = await get(other, account, "summary", alice)
    assert (D(quarter["margin_in_use"]), D(quarter["margin_available"])) == (
        D("214527.50"),
        D("102938.00") - D("214527.50"),
    )


async def test_realized_today_is_zero_once_the_trading_day_has_rolled(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account = await add_account(conn, user, starting="2500.50")
    await conn.execute(
        "INSERT INTO risk_daily_pnl VALUES ($1, $2, $3, -75.25)", account, NIL, YESTERDAY
    )
    body = await get(client, account, "summary", user)
    assert (body["realized_today"], body["trading_day"]) == ("0", "2026-03-06")
    assert (body["balance"], body["equity"], body["exposure"]) == ("2500.50", "2500.50", "0")
    assert (body["open_positions"], body["working_orders"], body["marks"]) == (0, 0, [])


async def test_positions_list_open_closed_and_all_marked_at_the_last_trade(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account = await add_account(conn, user)
    cl, nq, es_win, es_loss = await book(conn, account, user)
    default = await get(client, account, "positions", user)
    opened = await get(client, account, "positions", user, status="open")
    closed = await get(client, account, "positions", user, status="closed")
    assert default == opened
    ids = [str(p.position_id) for p in (cl, nq, es_win, es_loss)]
    assert [p["position_id"] for p in opened["data"]] == ids[:2]
    assert [p["position_id"] for p in closed["data"]] == ids[2:]
    pages, before = [], None
    for _ in range(10):  # a cursor that does not advance must fail, not hang
        page = await get(client, account, "positions", user, status="all", limit=1,
                         **({"before": before} if before else {}))  # fmt: skip
        pages += [p["position_id"] for p in page["data"]]
        if (before := page["next_before"]) is None:
            break
    assert pages == ids

    short = opened["data"][1]
    assert {k: short[k] for k in ("side", "status", "quantity", "max_quantity",
            "avg_entry_price", "avg_exit_price", "gross_pnl", "commissions", "realized_pnl",
            "unrealized_pnl", "mark_price", "mark_source", "mark_ns", "duration_ns")} == {
        "side": "SHORT", "status": "open", "quantity": "2", "max_quantity": "3",
        "avg_entry_price": "18000.00", "avg_exit_price": "17990.00", "gross_pnl": "200.00",
        "commissions": "9.00", "realized_pnl": "191.00", "unrealized_pnl": "1990.00",
        "mark_price": "17950.25", "mark_source": "last_trade", "mark_ns": NQ_TRADE_NS,
        "duration_ns": 600 * SECOND,
    }  # fmt: skip
    assert [(lot["price"], lot["quantity"]) for lot in short["lots"]] == [("18000.00", "2")]
    assert short["opened_at"] == "2026-03-06T14:50:00.000000000Z"
    crude = opened["data"][0]
    assert (crude["mark_price"], crude["mark_source"], crude["unrealized_pnl"]) == (
        "70.05",
        "entry",
        "0",
    )
    assert [(lot["price"], lot["ts_ns"]) for lot in crude["lots"]] == [
        ("70.00", NOW_NS - 120 * SECOND), ("70.10", NOW_NS - 60 * SECOND)
    ]  # fmt: skip
    win = closed["data"][0]
    assert (win["status"], win["quantity"], win["avg_exit_price"], win["realized_pnl"]) == (
        "closed",
        "0",
        "5010.00",
        "991.00",
    )
    assert (win["mark_price"], win["unrealized_pnl"], win["lots"]) == (None, "0", [])
    assert (win["duration_ns"], win["closed_ns"]) == (1800 * SECOND, es_win.closed_ns)
    assert (closed["data"][1]["mae"], closed["data"][1]["realized_pnl"]) == ("-225.00", "-229.50")


async def test_risk_shows_limits_states_and_todays_pnl_per_scope(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    user = uuid.uuid4()
    account, bare = await add_account(conn, user), await add_account(conn, user)
    s1, s2, s3 = sorted(uuid.uuid4() for _ in range(3))
    admin = uuid.uuid4()
    limits = {"max_order_quantity": "10", "max_daily_loss": "500", "session_only": True,
              "allowed_symbols": ["NQ", "ES"]}  # fmt: skip
    await conn.executemany(
        "INSERT INTO risk_limits (account_id, strategy_id, limits) VALUES ($1, $2, $3::jsonb)",
        [(account, NIL, limits), (account, s1, {"max_position": "2"})],  # the codec encodes
    )
    await conn.execute(
        "INSERT INTO trading_states (account_id, strategy_id, state, reason, changed_by) VALUES "
        "($1, $2, 'HALTED', 'daily loss', NULL), ($1, $3, 'REDUCING', '', $4), "
        "($2, $2, 'REDUCING', 'maintenance', $4) "
        "ON CONFLICT (account_id, strategy_id) DO UPDATE SET state = EXCLUDED.state, "
        "reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by",
        account, NIL, s2, admin,
    )  # fmt: skip
    await conn.execute(
        "INSERT INTO risk_daily_pnl VALUES ($1, $2, $5, -120.50), ($1, $3, $5, 30.25), "
        "($1, $4, $6, 99)",
        account, NIL, s1, s3, TODAY, YESTERDAY,
    )  # fmt: skip
    body = await get(client, account, "risk", user)
    assert (body["trading_day"], body["global_state"]["state"]) == ("2026-03-06", "REDUCING")
    assert body["global_state"]["changed_by"] == str(admin)
    top = body["account"]
    assert top["strategy_id"] is None
    assert top["limits"]["max_order_quantity"] == "10"
    assert top["limits"]["max_daily_loss"] == "500"
    assert top["limits"]["allowed_symbols"] == ["ES", "NQ"]
    assert (top["limits"]["session_only"], top["limits"]["max_position"]) == (True, None)
    assert (top["state"]["state"], top["state"]["reason"], top["state"]["stored"]) == (
        "HALTED",
        "daily loss",
        True,
    )
    assert top["realized_today"] == "-120.50"
    scopes = [(s["strategy_id"], s["limits"] and s["limits"]["max_position"], s["state"]["state"],
               s["state"]["stored"], s["realized_today"]) for s in body["strategies"]]  # fmt: skip
    assert scopes == [
        (str(s1), "2", "ACTIVE", False, "30.25"),
        (str(s2), None, "REDUCING", True, "0"),
        (str(s3), None, "ACTIVE", False, "0"),  # its booking is yesterday's
    ]
    empty = await get(client, bare, "risk", user)
    assert (empty["account"]["limits"], empty["account"]["state"]["state"]) == (None, "ACTIVE")
    assert (empty["strategies"], empty["global_state"]["state"]) == ([], "REDUCING")
