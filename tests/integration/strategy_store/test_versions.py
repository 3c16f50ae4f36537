"""Strategies and their immutable versions in a real Postgres."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import asyncpg
import pytest

from shared.db.strategies import StrategyStatus
from shared.strategy.definition import Sizing, Subscription, content_hash
from shared.strategy.params import ParameterError
from tests.integration.strategy_store.conftest import T0, Place

pytestmark = pytest.mark.integration


async def test_a_new_strategy_is_stopped_at_version_one_with_its_parameters_resolved(
    place: Place,
) -> None:
    account = await place.account()

    made = await place.crossover(account, fast=5, slow=20)

    assert made.version == 1
    assert made.subscriptions == (Subscription("ESZ6", "1m"),)
    assert made.parameters == {
        "fast": 5,
        "slow": 20,
        "average": "sma",
        "long_only": False,
        "take_profit_ticks": 0,
        "stop_loss_ticks": 0,
    }
    assert await place.store.definition(made.strategy_id) == made
    info = await place.store.info(made.strategy_id)
    assert info is not None
    assert (info.status, info.version, info.latest_version, info.error) == (
        StrategyStatus.STOPPED,
        1,
        1,
        None,
    )
    assert (info.user_id, info.account_id, info.name) == (
        account.user_id,
        account.account_id,
        "crossover",
    )
    [version] = await place.store.versions(made.strategy_id)
    assert version.content == made.content()
    assert version.content_hash == content_hash(made.content()) == made.content_hash


async def test_each_change_makes_a_new_version_and_old_versions_stay_as_they_were(
    place: Place,
) -> None:
    account = await place.account()
    first = await place.crossover(account)
    store, sid, user = place.store, first.strategy_id, account.user_id

    second = await store.revise(sid, user, ts_ns=T0 + 1, parameters={"fast": 7, "slow": 20})
    third = await store.revise(
        sid, user, ts_ns=T0 + 2, sizing=Sizing("equity", fraction=Decimal("0.5"))
    )
    fourth = await store.revise(sid, user, ts_ns=T0 + 3, subscriptions=[("NQZ6", "5m")])
    fifth = await store.revise(sid, user, ts_ns=T0 + 4, capital=Decimal(50000))

    assert [d.version for d in (second, third, fourth, fifth)] == [2, 3, 4, 5]
    assert second.parameters["fast"] == 7
    assert third.parameters["fast"] == 7 and third.sizing.mode == "equity"
    versions = await store.versions(sid)
    assert [v.version for v in versions] == [1, 2, 3, 4, 5]
    assert len({v.content_hash for v in versions}) == 5
    assert [v.created_at_ns for v in versions] == [T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4]
    assert await store.definition(sid, 1) == first
    assert await store.definition(sid, 4) == fourth
    assert await store.definition(sid) == fifth
    assert await store.definition(sid, 6) is None
    info = await store.info(sid)
    assert info is not None and (info.version, info.latest_version) == (5, 5)


async def test_the_same_content_again_returns_the_current_version(place: Place) -> None:
    account = await place.account()
    first = await place.crossover(account, fast=5, slow=20)

    # The same values as text, and a default given explicitly: the same content.
    same = await place.store.revise(
        first.strategy_id,
        account.user_id,
        ts_ns=T0 + 1,
        parameters={"fast": "5", "slow": "20", "average": "sma"},
    )
    respelled = await place.store.revise(
        first.strategy_id,
        account.user_id,
        ts_ns=T0 + 1,
        capital=Decimal("100000.00"),
        sizing=Sizing("fixed", quantity=Decimal("1.0")),
    )
    renamed = await place.store.revise(
        first.strategy_id, account.user_id, ts_ns=T0 + 2, name="renamed"
    )

    assert same == first
    assert respelled == first
    assert renamed.version == 1 and renamed.name == "renamed"
    assert [v.version for v in await place.store.versions(first.strategy_id)] == [1]
    info = await place.store.info(first.strategy_id)
    assert info is not None and info.name == "renamed"


async def test_a_stored_version_refuses_update_and_delete(place: Place) -> None:
    account = await place.account()
    made = await place.crossover(account)

    async with place.pool.acquire() as conn:
        with pytest.raises(asyncpg.RestrictViolationError, match="immutable"):
            await conn.execute(
                "UPDATE strategy_versions SET content = '{}'::jsonb WHERE strategy_id = $1",
                made.strategy_id,
            )
        with pytest.raises(asyncpg.RestrictViolationError, match="immutable"):
            await conn.execute(
                "DELETE FROM strategy_versions WHERE strategy_id = $1", made.strategy_id
            )
        with pytest.raises(asyncpg.RestrictViolationError, match="immutable"):
            await conn.execute("TRUNCATE strategy_versions CASCADE")

    [version] = await place.store.versions(made.strategy_id)
    assert version.content == made.content()


async def test_another_users_strategy_or_account_is_not_found(place: Place) -> None:
    mine, theirs = await place.account(), await place.account()
    made = await place.crossover(mine)

    with pytest.raises(ValueError, match=f"strategy {made.strategy_id} not found"):
        await place.store.revise(made.strategy_id, theirs.user_id, ts_ns=T0, name="stolen")
    with pytest.raises(ValueError, match=f"account {mine.account_id} not found for user"):
        await place.store.create(
            user_id=theirs.user_id,
            account_id=mine.account_id,
            name="on someone else's account",
            code_ref="builtin:ma_crossover",
            subscriptions=[("ESZ6", "1m")],
            ts_ns=T0,
        )
    assert [s.strategy_id for s in await place.store.strategies(theirs.user_id)] == []
    assert [s.strategy_id for s in await place.store.strategies(mine.user_id)] == [made.strategy_id]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"code_ref": "builtin:nope"}, r"unknown strategy code 'builtin:nope'"),
        ({"parameters": {"fast": 0, "slow": 20}}, "parameter 'fast': 0 is below the minimum 1"),
        ({"parameters": {"fats": 3}}, r"parameter 'fats': is not a parameter of this strategy"),
        ({"parameters": {"fast": 20, "slow": 5}}, r"'fast'.* must be below .*slow"),
        ({"subscriptions": [("XXZ6", "1m")]}, "unknown symbol 'XXZ6'"),
        ({"subscriptions": [("ESZ6", "1minute")]}, r"timeframe '1minute'"),
        ({"subscriptions": []}, "at least one symbol and timeframe"),
        ({"capital": Decimal(0)}, "capital 0 is not above 0"),
        ({"name": " "}, "needs a name"),
        ({"colour": "red"}, "cannot change colour"),
    ],
)
async def test_an_invalid_change_is_refused_naming_the_problem(
    place: Place, changes: dict[str, object], problem: str
) -> None:
    account = await place.account()
    made = await place.crossover(account)

    with pytest.raises(ValueError) as refused:
        await place.store.revise(made.strategy_id, account.user_id, ts_ns=T0 + 1, **changes)

    assert re.search(problem, str(refused.value)), str(refused.value)
    assert [v.version for v in await place.store.versions(made.strategy_id)] == [1]


async def test_an_invalid_new_strategy_is_not_stored(place: Place) -> None:
    account = await place.account()

    with pytest.raises(ParameterError, match="'slow'"):
        await place.store.create(
            user_id=account.user_id,
            account_id=account.account_id,
            name="bad",
            code_ref="builtin:ma_crossover",
            subscriptions=[("ESZ6", "1m")],
            parameters={"slow": "many"},
            ts_ns=T0,
        )

    assert await place.store.strategies() == []
    assert await place.store.info(uuid.uuid4()) is None
    assert await place.store.definition(uuid.uuid4()) is None
