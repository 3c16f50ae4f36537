"""A strategy's own order events reach it (and only its own); what it does about them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from shared.clock import FakeClock
from shared.db.strategies import StrategyStatus
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.order_events import OrderAccepted, OrderFilled
from shared.messages.schemas.strategy import Signal, StrategyStatusChanged
from shared.strategy.definition import StrategyDefinition
from strategy_workers.runtime.feeding import on_event
from strategy_workers.runtime.sync import sync
from tests.service.strategy_workers.fakes import SYMBOL, T0, Rig, definition, payloads, rig


def fill(
    d: StrategyDefinition,
    *,
    quantity: str = "1",
    account_id: uuid.UUID | None = None,
    strategy_id: uuid.UUID | None = None,
) -> Envelope[Payload]:
    payload = OrderFilled(
        account_id=account_id or d.account_id,
        user_id=d.user_id,
        order_id=uuid.uuid4(),
        client_order_id="c-1",
        symbol=SYMBOL,
        strategy_id=strategy_id or d.strategy_id,
        strategy_version=d.version,
        fill_id=uuid.uuid4(),
        side="BUY",
        price=Decimal("5000.25"),
        quantity=Decimal(quantity),
        commission=Decimal("2.5"),
        commission_currency="USD",
        cum_quantity=Decimal(quantity),
        leaves_quantity=Decimal(0),
    )
    return new_envelope(payload, clock=FakeClock(T0 + 7), producer="test-op", ts_event=T0 + 5)


def accepted(d: StrategyDefinition) -> Envelope[Payload]:
    payload = OrderAccepted(
        account_id=d.account_id, user_id=d.user_id, order_id=uuid.uuid4(),
        client_order_id="c-2", symbol=SYMBOL, strategy_id=d.strategy_id,
        strategy_version=d.version, side="BUY", order_type="MARKET", quantity=Decimal(1),
        time_in_force="GTC",
    )  # fmt: skip
    return new_envelope(payload, clock=FakeClock(T0), producer="test-op")


async def running(
    r: Rig, *definitions: StrategyDefinition, status: StrategyStatus = StrategyStatus.RUNNING
) -> None:
    for d in definitions:
        r.store.add(d, status)
    async with r.desk.lock:
        await sync(r.desk)


async def test_a_fill_reaches_its_strategy_once_and_what_it_does_names_the_fill(test_strategies):
    r, d = rig(), definition(code_ref=test_strategies["always_buy"], parameters={})
    await running(r, d)
    event = fill(d, quantity="2")
    async with r.desk.lock:
        made = await on_event(r.desk, event)
        again = await on_event(r.desk, event)
    assert r.desk.slots[d.strategy_id].runner.ctx.position(SYMBOL) == 2
    (signal,) = payloads(made, Signal)
    assert signal.reason == "filled"
    assert (made[0].causation_id, made[0].ts_event) == (event.message_id, T0 + 5)
    assert again == []  # booked once, by fill id


async def test_events_of_other_strategies_or_accounts_are_not_fed():
    r, d = rig(), definition()
    await running(r, d)
    async with r.desk.lock:
        assert await on_event(r.desk, fill(d, strategy_id=uuid.uuid4())) == []
        assert await on_event(r.desk, fill(d, account_id=uuid.uuid4())) == []
    assert r.desk.slots[d.strategy_id].runner.ctx.position(SYMBOL) == 0


async def test_a_paused_strategy_books_its_fills_and_sends_nothing(test_strategies):
    r, d = rig(), definition(code_ref=test_strategies["always_buy"], parameters={})
    await running(r, d, status=StrategyStatus.PAUSED)
    async with r.desk.lock:
        made = await on_event(r.desk, fill(d))
    assert made == []
    assert r.desk.slots[d.strategy_id].runner.ctx.position(SYMBOL) == 1


async def test_a_strategy_raising_on_its_order_event_fails_alone(test_strategies):
    r = rig()
    bad = definition(code_ref=test_strategies["raiser"], parameters={"fail_in": "on_event"})
    good = definition()
    await running(r, bad, good)
    async with r.desk.lock:
        made = await on_event(r.desk, accepted(bad))
    (status,) = payloads(made, StrategyStatusChanged)
    assert (status.status, status.error) == ("FAILED", "on_event: RuntimeError: bad event")
    assert set(r.desk.slots) == {good.strategy_id}
