"""Bars into the strategies: routing, deterministic orders, pause, warm-up, isolation."""

from __future__ import annotations

from prometheus_client import REGISTRY

from shared.db.strategies import StrategyStatus
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.schemas.strategy import StrategyStatusChanged
from shared.strategy.candles import candle_of
from shared.strategy.catalog import runner_for
from shared.trading.ids import derive_id
from strategy_workers.runtime.feeding import on_bar
from strategy_workers.runtime.sync import sync
from tests.service.strategy_workers.fakes import Rig, bar_envelope, bars, definition, payloads, rig

# fast SMA(2) crosses SMA(3) above at bar 5, below at bar 8, above at bar 12
CLOSES = [5000, 4999, 4998, 4997, 4998, 4999.5, 5001, 5000, 4998, 4996, 4995, 4997, 4999]


async def feed(r: Rig, closes=CLOSES, **options):
    """Every bar through the desk; the envelopes each bar made."""
    made = []
    async with r.desk.lock:
        for bar in bars(closes, **options):
            made.append(await on_bar(r.desk, bar_envelope(bar)))
    return made


async def started(r: Rig, *definitions, status=StrategyStatus.RUNNING):
    for d in definitions:
        r.store.add(d, status)
    async with r.desk.lock:
        return await sync(r.desk)


async def test_a_bar_reaches_its_strategy_and_the_order_names_the_bar():
    r, d = rig(), definition()
    await started(r, d)
    made = await feed(r)
    orders = {i: payloads(out, SubmitOrder) for i, out in enumerate(made) if out}
    assert sorted(orders) == [5, 8, 12]
    envelope = made[5][0]
    bar = bars(CLOSES)[5]
    order = envelope.payload
    assert (order.side, order.quantity, order.strategy_id) == ("BUY", 1, d.strategy_id)
    assert order.client_order_id == f"{d.strategy_id.hex[:12]}-1-1m{bar.open_time // 10**9}-1"
    assert envelope.message_id == derive_id(d.strategy_id, order.client_order_id)
    assert envelope.ts_event == bar.close_time
    assert envelope.causation_id == bar_envelope(bar).message_id


async def test_the_worker_sends_what_a_bare_runner_sends_for_the_same_bars():
    r, d = rig(), definition()
    await started(r, d)
    made = [(e.message_id, e.payload) for out in await feed(r) for e in out]
    bare = runner_for(d, InstrumentRegistry.with_standard_futures())
    bare.start(0)
    expected = [m for b in bars(CLOSES) for m in bare.on_bar(candle_of(b))]
    assert made == expected


async def test_the_same_bars_in_another_worker_give_the_same_message_ids():
    d = definition()
    first, second = rig(), rig()
    await started(first, d)
    await started(second, d)
    ids = [[e.message_id for out in await feed(r) for e in out] for r in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) == 3


async def test_a_bar_nobody_subscribed_to_goes_nowhere():
    r = rig()
    await started(r, definition())
    made = await feed(r, timeframe="5m") + await feed(r, symbol="NQZ6")
    assert not any(made)
    assert not r.desk.slots[next(iter(r.desk.slots))].fed


async def test_a_repeated_bar_is_fed_once():
    r, d = rig(), definition()
    await started(r, d)
    await feed(r, CLOSES[:6])
    async with r.desk.lock:
        again = await on_bar(r.desk, bar_envelope(bars(CLOSES[:6])[5]))
    assert again == []
    assert len(r.desk.slots[d.strategy_id].runner.ctx.history()) == 6


async def test_a_paused_strategy_keeps_its_state_and_sends_nothing_until_resumed():
    r, d = rig(), definition()
    await started(r, d, status=StrategyStatus.PAUSED)
    made = await feed(r, CLOSES[:8])
    assert not any(made)
    assert len(r.desk.slots[d.strategy_id].runner.ctx.history()) == 8
    r.store.entries[d.strategy_id].status = StrategyStatus.RUNNING
    r.store.changes += 1
    async with r.desk.lock:
        await sync(r.desk)
        eighth = await on_bar(r.desk, bar_envelope(bars(CLOSES)[8]))
    # the cross below at bar 8 is seen at once: the averages were kept while paused
    (order,) = payloads(eighth, SubmitOrder)
    assert (order.side, order.quantity) == ("SELL", 1)  # flat when paused: no reversal


async def test_stored_candles_make_the_first_live_bar_act():
    r, d = rig(), definition()
    r.history.store(bars(CLOSES)[:5])
    await started(r, d)
    async with r.desk.lock:
        fifth = await on_bar(r.desk, bar_envelope(bars(CLOSES)[5]))
    assert [p.side for p in payloads(fifth, SubmitOrder)] == ["BUY"]
    assert r.desk.slots[d.strategy_id].warmed


async def test_without_warm_up_the_first_live_bar_cannot_act():
    r, d = rig(warmup_bars=0), definition()
    r.history.store(bars(CLOSES)[:5])
    await started(r, d)
    async with r.desk.lock:
        fifth = await on_bar(r.desk, bar_envelope(bars(CLOSES)[5]))
    assert fifth == []
    assert r.history.reads == 0


async def test_warm_up_reads_the_history_once_for_strategies_on_the_same_market():
    r = rig()
    r.history.store(bars(CLOSES)[:5])
    await started(r, definition(), definition())
    async with r.desk.lock:
        fifth = await on_bar(r.desk, bar_envelope(bars(CLOSES)[5]))
    assert len(payloads(fifth, SubmitOrder)) == 2
    assert r.history.reads == 1


async def test_a_strategy_that_raises_fails_alone(test_strategies):
    r = rig()
    good = definition()
    bad = definition(code_ref=test_strategies["raiser"], parameters={"at": 5001})
    await started(r, good, bad)
    before = REGISTRY.get_sample_value(
        "tickstream_strategy_errors_total", {"strategy": str(bad.strategy_id)}
    )
    made = await feed(r)
    orders = {i: len(payloads(out, SubmitOrder)) for i, out in enumerate(made)}
    assert {i: n for i, n in orders.items() if n} == {5: 1, 8: 1, 12: 1}  # the good one's
    (failed,) = payloads(made[6], StrategyStatusChanged)  # the bar closing at 5001
    assert (failed.strategy_id, failed.status, failed.previous) == (
        bad.strategy_id,
        "FAILED",
        "RUNNING",
    )
    assert failed.error == "on_bar: RuntimeError: boom"
    assert r.store.failures == [(bad.strategy_id, 1, "on_bar: RuntimeError: boom")]
    assert r.store.entries[bad.strategy_id].status is StrategyStatus.FAILED
    assert set(r.desk.slots) == {good.strategy_id}
    after = REGISTRY.get_sample_value(
        "tickstream_strategy_errors_total", {"strategy": str(bad.strategy_id)}
    )
    assert after == (before or 0) + 1


async def test_a_failure_reported_twice_has_one_message_id(test_strategies):
    bad = definition(code_ref=test_strategies["raiser"], parameters={"at": 5001})
    ids = []
    for _ in range(2):  # as after a restart that handles the bar again
        r = rig()
        await started(r, bad)
        ids += [e.message_id for out in await feed(r) for e in out]
    assert len(ids) == 2 and ids[0] == ids[1]
