"""Start, pause, stop and failure of strategies: statuses, runs, idempotence, revision."""

from __future__ import annotations

import asyncio

import pytest

from shared.db.strategies import StrategyNotFound, StrategyStatus, VersionNotFound
from shared.messages.schemas.strategy import PauseStrategy, StartStrategy, StopStrategy
from tests.integration.strategy_store.conftest import T0, Place, control, new_id

pytestmark = pytest.mark.integration

S = StrategyStatus


async def runs(place: Place, strategy_id: object) -> list[tuple[object, ...]]:
    rows = await place.pool.fetch(
        "SELECT run_id, version, status, started_ns, stopped_ns, error FROM strategy_runs "
        "WHERE strategy_id = $1 ORDER BY started_ns",
        strategy_id,
    )
    return [tuple(r) for r in rows]


async def test_a_start_applied_twice_with_one_message_id_changes_the_status_once(
    place: Place,
) -> None:
    account = await place.account()
    made = await place.crossover(account)
    message_id = new_id()

    first = await place.store.apply_control(message_id, control(StartStrategy, made), T0 + 10)
    again = await place.store.apply_control(message_id, control(StartStrategy, made), T0 + 20)

    assert first is not None and again is None
    assert (first.status, first.previous, first.version) == (S.RUNNING, S.STOPPED, 1)
    assert first.definition == made
    info = await place.store.info(made.strategy_id)
    assert info is not None and (info.status, info.run_id) == (S.RUNNING, first.run_id)
    assert await runs(place, made.strategy_id) == [
        (first.run_id, 1, "RUNNING", T0 + 10, None, None)
    ]


async def test_concurrent_deliveries_of_one_message_apply_it_once(place: Place) -> None:
    account = await place.account()
    made = await place.crossover(account)
    message_id, start = new_id(), control(StartStrategy, made)

    results = await asyncio.gather(
        *(place.store.apply_control(message_id, start, T0 + 10) for _ in range(4))
    )

    assert sum(r is not None for r in results) == 1
    assert len(await runs(place, made.strategy_id)) == 1


async def test_pause_keeps_the_run_resume_continues_it_and_stop_ends_it(place: Place) -> None:
    account = await place.account()
    made = await place.crossover(account)
    store = place.store

    started = await store.apply_control(new_id(), control(StartStrategy, made), T0 + 1)
    paused = await store.apply_control(new_id(), control(PauseStrategy, made), T0 + 2)
    paused_again = await store.apply_control(new_id(), control(PauseStrategy, made), T0 + 3)
    resumed = await store.apply_control(new_id(), control(StartStrategy, made), T0 + 4)
    started_again = await store.apply_control(new_id(), control(StartStrategy, made), T0 + 5)
    stopped = await store.apply_control(new_id(), control(StopStrategy, made), T0 + 6)
    stopped_again = await store.apply_control(new_id(), control(StopStrategy, made), T0 + 7)

    assert started and paused and resumed and stopped
    assert (paused_again, started_again, stopped_again) == (None, None, None)
    assert [(c.previous, c.status) for c in (started, paused, resumed, stopped)] == [
        (S.STOPPED, S.RUNNING),
        (S.RUNNING, S.PAUSED),
        (S.PAUSED, S.RUNNING),
        (S.RUNNING, S.STOPPED),
    ]
    assert started.run_id == paused.run_id == resumed.run_id == stopped.run_id
    assert await runs(place, made.strategy_id) == [
        (started.run_id, 1, "STOPPED", T0 + 1, T0 + 6, None)
    ]
    info = await store.info(made.strategy_id)
    assert info is not None and (info.status, info.version, info.run_id) == (S.STOPPED, 1, None)


async def test_starting_another_version_ends_the_run_of_the_one_running(place: Place) -> None:
    account = await place.account()
    first = await place.crossover(account)
    second = await place.store.revise(
        first.strategy_id, account.user_id, ts_ns=T0 + 1, parameters={"fast": 3, "slow": 8}
    )

    one = await place.store.apply_control(new_id(), control(StartStrategy, first), T0 + 2)
    two = await place.store.apply_control(new_id(), control(StartStrategy, second), T0 + 3)

    assert one is not None and two is not None
    assert (two.previous, two.status, two.version, two.definition) == (
        S.RUNNING,
        S.RUNNING,
        2,
        second,
    )
    assert two.run_id != one.run_id
    assert [(r[0], r[1], r[2], r[4]) for r in await runs(place, first.strategy_id)] == [
        (one.run_id, 1, "STOPPED", T0 + 3),
        (two.run_id, 2, "RUNNING", None),
    ]
    # The version last started is the one shown, even after a newer one is written.
    await place.store.revise(first.strategy_id, account.user_id, ts_ns=T0 + 4, capital=5000)
    info = await place.store.info(first.strategy_id)
    assert info is not None and (info.version, info.latest_version) == (2, 3)
    [(active, status)] = await place.store.active()
    assert (active, status) == (second, S.RUNNING)


async def test_control_of_an_unknown_version_or_by_another_user_is_refused_and_not_claimed(
    place: Place,
) -> None:
    mine, theirs = await place.account(), await place.account()
    made = await place.crossover(mine)
    message_id = new_id()

    with pytest.raises(VersionNotFound, match="has no version 2"):
        await place.store.apply_control(message_id, control(StartStrategy, made, 2), T0)
    stranger = StartStrategy(
        account_id=theirs.account_id,
        user_id=theirs.user_id,
        strategy_id=made.strategy_id,
        strategy_version=1,
    )
    with pytest.raises(StrategyNotFound, match=f"strategy {made.strategy_id} not found for user"):
        await place.store.apply_control(new_id(), stranger, T0)

    # Refused messages are not remembered: the same id is applied once it makes sense.
    info = await place.store.info(made.strategy_id)
    assert info is not None and info.status is S.STOPPED
    assert await place.store.apply_control(message_id, control(StartStrategy, made), T0)


async def test_a_failure_ends_the_run_with_the_error_and_a_stop_clears_it(place: Place) -> None:
    account = await place.account()
    made = await place.crossover(account)
    started = await place.store.apply_control(new_id(), control(StartStrategy, made), T0 + 1)
    assert started is not None

    await place.store.mark_failed(made.strategy_id, 1, "ZeroDivisionError: boom", T0 + 2)
    await place.store.mark_failed(made.strategy_id, 1, "a second report", T0 + 3)

    info = await place.store.info(made.strategy_id)
    assert info is not None
    assert (info.status, info.error, info.run_id) == (S.FAILED, "ZeroDivisionError: boom", None)
    assert await runs(place, made.strategy_id) == [
        (started.run_id, 1, "FAILED", T0 + 1, T0 + 2, "ZeroDivisionError: boom")
    ]
    assert await place.store.active() == []

    stopped = await place.store.apply_control(new_id(), control(StopStrategy, made), T0 + 4)
    assert stopped is not None
    assert (stopped.previous, stopped.status, stopped.run_id) == (S.FAILED, S.STOPPED, None)
    info = await place.store.info(made.strategy_id)
    assert info is not None and (info.status, info.error) == (S.STOPPED, None)


async def test_a_failure_of_a_version_no_longer_running_changes_nothing(place: Place) -> None:
    account = await place.account()
    made = await place.crossover(account)
    await place.store.apply_control(new_id(), control(StartStrategy, made), T0 + 1)
    await place.store.apply_control(new_id(), control(StopStrategy, made), T0 + 2)

    await place.store.mark_failed(made.strategy_id, 1, "too late", T0 + 3)

    info = await place.store.info(made.strategy_id)
    assert info is not None and (info.status, info.error) == (S.STOPPED, None)


async def test_active_lists_running_and_paused_strategies_only(place: Place) -> None:
    account = await place.account()
    running, paused, stopped = [await place.crossover(account) for _ in range(3)]
    for made in (running, paused):
        await place.store.apply_control(new_id(), control(StartStrategy, made), T0 + 1)
    await place.store.apply_control(new_id(), control(PauseStrategy, paused), T0 + 2)

    active = await place.store.active()

    assert sorted((d.strategy_id, s) for d, s in active) == sorted(
        [(running.strategy_id, S.RUNNING), (paused.strategy_id, S.PAUSED)]
    )
    assert stopped.strategy_id not in {d.strategy_id for d, _ in active}


async def test_the_revision_grows_with_every_change_and_only_then(place: Place) -> None:
    account = await place.account()
    seen = [await place.store.revision()]

    made = await place.crossover(account)
    seen.append(await place.store.revision())
    await place.store.revise(made.strategy_id, account.user_id, ts_ns=T0, capital=9000)
    seen.append(await place.store.revision())
    await place.store.apply_control(new_id(), control(StartStrategy, made, 2), T0 + 1)
    seen.append(await place.store.revision())
    await place.store.info(made.strategy_id)
    await place.store.active()
    seen.append(await place.store.revision())
    await place.store.apply_control(new_id(), control(PauseStrategy, made, 2), T0 + 2)
    seen.append(await place.store.revision())

    assert seen[0] < seen[1] < seen[2] < seen[3]
    assert seen[4] == seen[3]  # reading changes nothing
    assert seen[5] > seen[4]
