"""Bad commands over real Kafka and Postgres: undecodable ones are dead-lettered with their
reason, invalid orders are answered with a rejection, and the processor carries on."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from decimal import Decimal

import pytest

from shared.bus.dlq import (
    HEADER_CONSUMER,
    HEADER_DETAIL,
    HEADER_REASON,
    HEADER_SOURCE_OFFSET,
    HEADER_SOURCE_PARTITION,
    HEADER_SOURCE_TOPIC,
    REASON_NO_HANDLER,
    dlq_topic,
)
from shared.messages import encode, headers_for
from shared.messages.schemas.marketdata import Trade
from shared.messages.schemas.orders import CancelOrder
from tests.infra import Endpoints
from tests.support.order_desk import order_row, rows
from tests.support.order_rig import AccountRef, unique_symbol
from tests.support.order_world import World, in_process, order_world

pytestmark = pytest.mark.integration

FOREIGN = {"UNKNOWN_ACCOUNT", "NOT_AUTHORIZED"}


@pytest.fixture
async def world(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[World]:
    async with order_world(infra, unique) as made:
        yield made


async def test_undecodable_commands_go_to_the_dlq_with_their_reason_and_the_next_is_handled(
    world: World,
) -> None:
    account, desk, log = await world.account(), world.desk, world.log
    key = str(account.account_id).encode()
    garbage = b"\x00\xff{not json at all"
    valid = desk.submit(account, unique_symbol(), "BUY", 1)
    body = json.loads(encode(valid))
    body["payload"]["side"] = "SIDEWAYS"
    bad_field = json.dumps(body).encode()
    not_a_command = desk.command(Trade(symbol="ESZ6", price=Decimal(5000), size=Decimal(1)))
    wrong_type = encode(not_a_command)  # a valid message, but no command
    after = desk.submit(account, unique_symbol(), "BUY", 1)
    dlq = dlq_topic(world.topics.commands)
    async with in_process(world) as runner:
        await world.probe(account)
        await desk.publisher.publish_raw(world.topics.commands, key, garbage, [])
        await desk.publisher.publish_raw(world.topics.commands, key, bad_field, headers_for(valid))
        await desk.publisher.publish_raw(
            world.topics.commands, key, wrong_type, headers_for(not_a_command)
        )
        await desk.send(after)
        assert (await world.answered(after)).TYPE == "OrderAccepted"
        await log.wait_for(lambda: len(log.on(dlq)) >= 3)
        assert runner.failures == 0

    dead = {s.value: s for s in log.on(dlq)}
    assert set(dead) == {garbage, bad_field, wrong_type}
    reasons = {value: s.headers[HEADER_REASON].decode() for value, s in dead.items()}
    assert reasons == {
        garbage: "malformed_json",
        bad_field: "invalid",
        wrong_type: REASON_NO_HANDLER,
    }
    assert b"side" in dead[bad_field].headers[HEADER_DETAIL]
    for seen in dead.values():
        assert seen.key == key
        assert seen.headers[HEADER_SOURCE_TOPIC] == world.topics.commands.encode()
        assert seen.headers[HEADER_CONSUMER] == world.topics.group.encode()
        assert int(seen.headers[HEADER_SOURCE_PARTITION]) >= 0
        assert int(seen.headers[HEADER_SOURCE_OFFSET]) >= 0
    assert await order_row(world.pool, valid.message_id) is None


async def test_invalid_orders_are_rejected_with_their_reason_and_never_stop_the_processor(
    world: World,
) -> None:
    account, desk = await world.account(), world.desk
    symbol = unique_symbol()
    stranger = AccountRef(uuid.uuid4(), uuid.uuid4())  # no row in accounts
    impostor = AccountRef(account.account_id, uuid.uuid4())  # the account, another user
    cases = {
        desk.submit(account, "ZZZ9", "BUY", 1): "UNKNOWN_INSTRUMENT",
        desk.submit(
            account, symbol, "BUY", 1, order_type="LIMIT", limit_price="5000.10"
        ): "INVALID_PRICE_TICK",
        desk.submit(account, symbol, "SELL", "1.5"): "INVALID_QUANTITY",
        desk.submit(stranger, symbol, "BUY", 1): "UNKNOWN_ACCOUNT",
        desk.submit(impostor, symbol, "BUY", 1): "NOT_AUTHORIZED",
    }
    cancel = desk.command(
        CancelOrder(account_id=account.account_id, user_id=account.user_id, order_id=uuid.uuid4())
    )
    good = desk.submit(account, symbol, "BUY", 1, order_type="LIMIT", limit_price="5000.25")
    async with in_process(world) as runner:
        await world.probe(account)
        await desk.send(*cases, cancel, good)
        answers = {c.message_id: await world.answered(c) for c in [*cases, cancel, good]}
        assert runner.failures == 0

    for command, reason in cases.items():
        answer = answers[command.message_id]
        assert (answer.TYPE, answer.command, answer.reason) == ("OrderRejected", "SUBMIT", reason)
        assert answer.message  # a human explanation rides along
        row = await order_row(world.pool, command.message_id)
        if reason in FOREIGN:  # not the account's order: kept nowhere, takes no client id
            assert row is None, reason
        else:
            assert row is not None and (row["status"], row["reason"]) == ("REJECTED", reason)
    refused = answers[cancel.message_id]
    assert (refused.TYPE, refused.command, refused.reason) == (
        "OrderRejected",
        "CANCEL",
        "ORDER_NOT_FOUND",
    )
    assert answers[good.message_id].TYPE == "OrderAccepted"
    [working] = [
        r
        for r in await rows(world.pool, "orders", [account], "created_ns")
        if r["status"] == "ACCEPTED"
    ]
    assert (working["order_id"], working["limit_price"]) == (good.message_id, Decimal("5000.25"))
