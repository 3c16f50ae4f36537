"""Bringing a worker's slots in line with the store and with the partitions it holds.

A strategy RUNNING or PAUSED in the store whose home symbol this worker holds gets a slot:
its runner is built, its book restored from the ledger, ``on_start`` called (quietly when
paused). A slot whose strategy is no longer active, or active at another version, is
stopped (``on_stop``); one whose symbol moved to another worker is just dropped (the
strategy goes on there). Call with ``desk.lock`` held, then publish what it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from shared.bus.types import AnyEnvelope
from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.catalog import runner_for
from shared.strategy.definition import StrategyDefinition
from shared.strategy.runner import Emitted, StrategyRunner
from strategy_workers import metrics
from strategy_workers.domain.restore import restore_book
from strategy_workers.domain.routing import owns
from strategy_workers.domain.slots import Slot, quietly, run_key_of
from strategy_workers.runtime.desk import Desk

log = logging.getLogger(__name__)

RUNNING = StrategyStatus.RUNNING


async def sync(desk: Desk) -> list[AnyEnvelope]:
    """Start, stop, pause, resume or drop slots as the store says; what to publish."""
    store = desk.store
    revision = await store.revision()  # first: a change made meanwhile shows next time
    listed = {d.strategy_id: (d, StrategyStatus(str(s))) for d, s in await store.active()}
    out: list[AnyEnvelope] = []
    for strategy_id, slot in list(desk.slots.items()):
        found = listed.get(strategy_id)
        if found is None or found[0].version != slot.definition.version:
            out += _stop(desk, slot)
        elif not owns(found[0], desk.held, desk.place):
            del desk.slots[strategy_id]
        else:
            slot.status = found[1]
    for strategy_id, (definition, status) in listed.items():
        if strategy_id not in desk.slots and owns(definition, desk.held, desk.place):
            out += await _start(desk, definition, status)
    desk.revision = revision
    desk.reroute()
    return out


async def _start(
    desk: Desk, definition: StrategyDefinition, status: StrategyStatus
) -> list[AnyEnvelope]:
    store, sid = desk.store, definition.strategy_id
    info = await store.info(sid)
    fills = await store.fills(sid)
    working = await store.working_orders(sid)
    run_id = info.run_id if info is not None else None
    run_key = run_key_of(run_id, definition.version)
    now = desk.clock.now_ns()
    try:
        runner = runner_for(definition, desk.instruments, history_size=desk.config.history_size)
        known = restore_book(runner, fills, working)
        emitted = _started(runner, status, now, run_key)
    except Exception as exc:  # a strategy that does not build or start fails alone
        return await desk.fail_version(definition, status, run_key, "on_start", exc)
    desk.slots[sid] = Slot(runner, status, run_id, known=known)
    log.info("strategy %s v%d %s here", sid, definition.version, status.value.lower())
    return desk.envelopes(emitted, ts_event=now)


def _started(
    runner: StrategyRunner, status: StrategyStatus, now: int, run_key: str
) -> Sequence[Emitted]:
    if status is RUNNING:
        return runner.start(now, run_key)
    quietly(runner, lambda: runner.start(now, run_key))
    return ()


def _stop(desk: Desk, slot: Slot) -> list[AnyEnvelope]:
    del desk.slots[slot.strategy_id]
    if slot.status is not RUNNING:
        return []
    try:
        emitted = slot.runner.stop(desk.clock.now_ns(), slot.run_key)
    except Exception as exc:  # stopping anyway; the error is only reported
        log.error("strategy %s raised in on_stop", slot.strategy_id, exc_info=exc)
        metrics.ERRORS.labels(str(slot.strategy_id)).inc()
        return []
    return desk.envelopes(emitted)
