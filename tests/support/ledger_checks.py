"""The order processor's recovery promises, checked against the ledger and the topics.

Every command was claimed once and has exactly one outcome (one distinct event message id:
the relay delivers at least once, so copies of a message may repeat); every fill is one row
and one distinct ``OrderFilled``; positions equal a recomputation from the fills; every
outbox row reached its topic and nothing else did.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shared.messages import Envelope, Payload
from tests.support.event_log import until
from tests.support.fifo import from_row, recompute
from tests.support.order_desk import rows
from tests.support.order_rig import AccountRef
from tests.support.order_world import World


@dataclass(frozen=True)
class Tally:
    """What the check saw; ``duplicates`` are redelivered copies of published messages."""

    commands: int
    fills: int
    positions: int
    closed: int
    records: int
    messages: int

    @property
    def duplicates(self) -> int:
        return self.records - self.messages


async def settle(world: World, *, timeout_s: float = 180.0) -> None:
    """Wait until the outbox rows of the world's topics are all sent and have all arrived."""
    topics, pool = list(world.topics.published), world.pool

    async def all_sent() -> bool:
        sql = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND topic = ANY($1)"
        return bool(await pool.fetchval(sql, topics) == 0)

    await until(all_sent, timeout_s=timeout_s)
    sql = "SELECT message_id FROM outbox WHERE topic = ANY($1)"
    wanted = {r["message_id"] for r in await pool.fetch(sql, topics)}
    await world.log.wait_for(lambda: wanted <= _seen(world).keys(), timeout_s=timeout_s)


def _seen(world: World) -> dict[uuid.UUID, set[bytes | None]]:
    """Message id -> the distinct bytes published under it, on the world's event topics."""
    found: dict[uuid.UUID, set[bytes | None]] = defaultdict(set)
    for seen in world.log.records:
        if seen.topic in world.topics.published and seen.envelope is not None:
            found[seen.envelope.message_id].add(seen.value)
    return found


async def check_ledger(
    world: World,
    commands: Sequence[Envelope[Payload]],
    accounts: Sequence[AccountRef],
    filled: Collection[uuid.UUID],
    point_value: Decimal,
) -> Tally:
    """Assert the promises for ``commands`` (all submits) of ``accounts``; ``filled`` are
    the orders that must be completely filled by now."""
    pool, group = world.pool, world.topics.group
    ids = {c.message_id for c in commands}
    sql = "SELECT message_id FROM inbox WHERE consumer = $1 AND message_id = ANY($2)"
    assert {r["message_id"] for r in await pool.fetch(sql, group, list(ids))} == ids
    orders = {r["order_id"]: r for r in await rows(pool, "orders", accounts, "created_ns")}
    assert set(orders) == ids, "an order without its command, or a command without its order"
    for command in commands:
        answers: dict[uuid.UUID, Any] = {
            e.message_id: e.payload for e in world.outcomes(command.message_id)
        }
        assert len(answers) == 1, f"{command.message_id} has {len(answers)} outcomes"
        [answer] = answers.values()
        row = orders[command.message_id]
        wanted = "OrderRejected" if row["status"] == "REJECTED" else "OrderAccepted"
        assert (answer.TYPE, answer.order_id) == (wanted, command.message_id)
    fills = await rows(pool, "fills", accounts, "ts_ns")
    _check_fills(world, orders, fills, filled)
    expected = [p.comparable() for p in recompute(fills, point_value)]
    found = await rows(pool, "positions", accounts, "account_id, symbol, opened_ns")
    actual = sorted((from_row(r) for r in found), key=_position_order)
    assert actual == expected
    _check_position_events(world, fills)
    outbox = await pool.fetch(
        "SELECT message_id FROM outbox WHERE topic = ANY($1)", list(world.topics.published)
    )
    seen = _seen(world)
    assert set(seen) == {r["message_id"] for r in outbox}, "an event lost or invented"
    assert all(len(values) == 1 for values in seen.values()), "two messages share an id"
    records = sum(1 for s in world.log.records if s.topic in world.topics.published)
    closed = sum(1 for r in found if r["closed_ns"] is not None)
    return Tally(len(commands), len(fills), len(found), closed, records, len(seen))


def _position_order(p: dict[str, Any]) -> tuple[str, str, int]:
    return (str(p["account_id"]), p["symbol"], p["opened_ns"])


def _check_fills(
    world: World, orders: dict[Any, Any], fills: list[Any], filled: Collection[uuid.UUID]
) -> None:
    per_order: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for f in fills:
        per_order[f["order_id"]] += f["quantity"]
    for order_id, row in orders.items():
        assert per_order.get(order_id, Decimal(0)) == row["filled_quantity"], order_id
    for order_id in filled:
        assert orders[order_id]["status"] == "FILLED", order_id
        assert per_order[order_id] == orders[order_id]["quantity"], order_id
    events: dict[uuid.UUID, dict[uuid.UUID, Any]] = defaultdict(dict)
    for envelope in world.log.envelopes("OrderFilled", topic=world.topics.events):
        events[envelope.payload.fill_id][envelope.message_id] = envelope.payload  # type: ignore[attr-defined]
    ours = {f["fill_id"]: f for f in fills}
    assert ours.keys() <= events.keys(), "a fill without its event"
    for fill_id, row in ours.items():
        assert len(events[fill_id]) == 1, f"fill {fill_id} has {len(events[fill_id])} events"
        [event] = events[fill_id].values()
        assert (event.order_id, event.price, event.quantity) == (
            row["order_id"],
            row["price"],
            row["quantity"],
        )


def _check_position_events(world: World, fills: list[Any]) -> None:
    by_fill: dict[uuid.UUID, dict[str, set[uuid.UUID]]] = defaultdict(lambda: defaultdict(set))
    for envelope in world.log.envelopes(topic=world.topics.positions):
        fill_id = envelope.payload.fill_id  # type: ignore[attr-defined]
        by_fill[fill_id][envelope.type].add(envelope.message_id)
    for f in fills:
        kinds = by_fill[f["fill_id"]]
        assert kinds, f"fill {f['fill_id']} moved no position"
        assert all(len(ids) == 1 for ids in kinds.values()), (f["fill_id"], kinds)
