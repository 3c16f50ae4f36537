"""Strategy control: applied through the store once, answered, refused with a reason."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from shared.bus.memory_consumer import MemoryConsumer
from shared.bus.types import AnyEnvelope
from shared.db.strategies import StrategyStatus
from shared.messages.schemas.orders import CancelAll, FlattenAll
from shared.messages.schemas.strategy import (
    PauseStrategy,
    StartStrategy,
    StopStrategy,
    StrategyControlRejected,
    StrategyStatusChanged,
)
from strategy_workers.handlers import control_handlers
from strategy_workers.runtime.control import ControlHandler
from strategy_workers.runtime.refresh import Refresher
from tests.service.strategy_workers.fakes import (
    ACCOUNT,
    COMMANDS_TOPIC,
    SIGNALS_TOPIC,
    control,
    definition,
    payloads,
    rig,
)


async def test_a_start_runs_the_strategy_and_says_so():
    r, d = rig(), definition()
    r.store.add(d)
    answers = await ControlHandler(r.desk)(control(StartStrategy, d, reason="go"))
    (status,) = payloads(answers, StrategyStatusChanged)
    assert (status.status, status.previous, status.reason) == ("RUNNING", "STOPPED", "go")
    assert status.run_id == r.store.entries[d.strategy_id].run_id is not None
    assert r.desk.wanted.is_set()  # this worker follows the store at once
    assert await Refresher(r.desk, r.outbound).refresh()
    assert set(r.desk.slots) == {d.strategy_id}


async def test_pause_then_resume_keeps_the_run():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    run = r.store.entries[d.strategy_id].run_id
    handler = ControlHandler(r.desk)
    (paused,) = payloads(await handler(control(PauseStrategy, d)), StrategyStatusChanged)
    (resumed,) = payloads(await handler(control(StartStrategy, d)), StrategyStatusChanged)
    assert (paused.status, resumed.status, resumed.previous) == ("PAUSED", "RUNNING", "PAUSED")
    assert paused.run_id == resumed.run_id == run


@pytest.mark.parametrize(
    ("flatten", "cancel_orders", "sweep"),
    [(True, True, FlattenAll), (True, False, FlattenAll), (False, True, CancelAll)],
)
async def test_a_stop_sweeps_the_strategys_own_orders_and_positions(flatten, cancel_orders, sweep):
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    answers = await ControlHandler(r.desk)(
        control(StopStrategy, d, flatten=flatten, cancel_orders=cancel_orders)
    )
    (status,) = payloads(answers, StrategyStatusChanged)
    (command,) = payloads(answers, sweep)
    assert status.status == "STOPPED"
    assert (command.account_id, command.user_id, command.strategy_id) == (
        d.account_id,
        d.user_id,
        d.strategy_id,
    )
    if sweep is FlattenAll:
        assert command.cancel_working is cancel_orders


async def test_a_stop_without_cancel_or_flatten_sends_no_sweep():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    answers = await ControlHandler(r.desk)(
        control(StopStrategy, d, flatten=False, cancel_orders=False)
    )
    assert [type(e.payload) for e in answers] == [StrategyStatusChanged]


async def test_a_redelivered_command_repeats_the_same_answers_and_changes_nothing():
    r, d = rig(), definition()
    r.store.add(d, StrategyStatus.RUNNING)
    command = control(StopStrategy, d, flatten=True)
    handler = ControlHandler(r.desk)
    first = await handler(command)
    changes = r.store.changes
    again = await handler(command)
    assert [e.message_id for e in again] == [e.message_id for e in first]
    assert [type(e.payload) for e in again] == [StrategyStatusChanged, FlattenAll]
    assert r.store.changes == changes


def refusal(answers: list[AnyEnvelope]) -> StrategyControlRejected:
    (rejected,) = payloads(answers, StrategyControlRejected)
    assert len(answers) == 1
    found: StrategyControlRejected = rejected
    return found


async def test_an_unknown_strategy_is_refused():
    r = rig()
    rejected = refusal(await ControlHandler(r.desk)(control(StartStrategy, definition())))
    assert (rejected.reason, rejected.command) == ("UNKNOWN_STRATEGY", "START")


async def test_another_users_strategy_is_refused_as_unknown():
    r, d = rig(), definition()
    r.store.add(d)
    stranger = replace(d, user_id=uuid.uuid4())
    rejected = refusal(await ControlHandler(r.desk)(control(StartStrategy, stranger)))
    assert rejected.reason == "UNKNOWN_STRATEGY"
    assert r.store.entries[d.strategy_id].status is StrategyStatus.STOPPED


async def test_the_owner_naming_another_account_is_not_authorized():
    r, d = rig(), definition()
    r.store.add(d)
    elsewhere = replace(d, account_id=uuid.uuid4())
    rejected = refusal(await ControlHandler(r.desk)(control(StartStrategy, elsewhere)))
    assert rejected.reason == "NOT_AUTHORIZED"
    assert rejected.account_id != ACCOUNT


async def test_an_unknown_version_is_refused():
    r, d = rig(), definition()
    r.store.add(d)
    later = replace(d, version=9)
    rejected = refusal(await ControlHandler(r.desk)(control(StartStrategy, later)))
    assert rejected.reason == "UNKNOWN_VERSION"
    assert "no version 9" in rejected.message


async def test_undecodable_control_goes_to_the_dlq_and_the_next_command_is_applied():
    r, d = rig(), definition()
    r.store.add(d)
    await r.bus.publish_raw("strategy.control", b"x", b"{not json", [])
    await r.bus.publish(control(StartStrategy, d))
    consumer = MemoryConsumer(
        r.bus,
        group_id="strategy-workers.control",
        topics=["strategy.control"],
        handlers=control_handlers(r.desk),
        publisher=r.outbound,
    )
    await consumer.drain()
    assert len(r.bus.records("strategy.control.dlq")) == 1
    assert [e.type for e in r.bus.envelopes(SIGNALS_TOPIC)] == ["StrategyStatusChanged"]
    assert r.bus.records(COMMANDS_TOPIC) == []
    assert r.store.entries[d.strategy_id].status is StrategyStatus.RUNNING
