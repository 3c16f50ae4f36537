"""The engine and its ledger, together: every batch is applied and committed under one lock.

A batch's work is one Postgres transaction: inbox claims, the engine's changes, the outbox
rows of the events, and the stored consumer offsets. If the transaction fails, the memory
is ahead of the ledger: the engine is dropped (``broken``) and the runner rebuilds it from
Postgres, so memory never holds what the ledger does not.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable

from aiokafka.partitioner import murmur2

from order_processor.adapters.ledger import save
from order_processor.adapters.restore import fetch_accounts, fetch_orders, restore
from order_processor.processing.faults import CrashPoint
from order_processor.processing.platform import fan_out, is_platform_wide, load_global_state
from shared.clock import Clock
from shared.db.inbox import claim_many
from shared.db.outbox import enqueue
from shared.db.pool import Connection, Database, Pool
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.orders import OrderTarget, SubmitOrder
from shared.trading.engine import TradingEngine
from shared.trading.events import Event
from shared.trading.state import EngineConfig

Offsets = dict[tuple[str, int], int]
_STORE_OFFSETS = (
    "INSERT INTO consumer_offsets (consumer, topic, partition, next_offset) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (consumer, topic, partition) "
    "DO UPDATE SET next_offset = EXCLUDED.next_offset"
)


def partition_of(account_id: uuid.UUID, partitions: int) -> int:
    """The partition Kafka's default partitioner gives an account's key."""
    return int(murmur2(str(account_id).encode()) & 0x7FFFFFFF) % partitions


def _first_claims(
    commands: list[Envelope[Payload]], claimed: set[uuid.UUID]
) -> list[Envelope[Payload]]:
    """The claimed commands, each once: a message sent twice may sit twice in one batch."""
    todo = []
    for command in commands:
        if command.message_id in claimed:
            claimed.discard(command.message_id)
            todo.append(command)
    return todo


class Ledger:
    """The engine of the accounts this replica holds, and the way its work reaches Postgres."""

    def __init__(
        self,
        db: Database,
        instruments: InstrumentRegistry,
        config: EngineConfig,
        clock: Clock,
        *,
        consumer: str,
        producer: str,
        outbox_topics: dict[str, str] | None = None,
        crash: CrashPoint | None = None,
        commands_topic: str | None = None,
    ) -> None:
        self._db = db
        self.clock = clock
        self.consumer = consumer
        self.lock = asyncio.Lock()
        self._instruments = instruments
        self._config = config
        self._producer = producer
        self._topics = outbox_topics or {}
        self.engine: TradingEngine | None = None
        self.crash = crash or CrashPoint()
        self._fan_out_topic = commands_topic

    @property
    def pool(self) -> Pool:
        """The started pool (raises while Postgres has not been reached yet)."""
        return self._db.pool

    async def rebuild(self, owns: Callable[[uuid.UUID], bool]) -> None:
        """A fresh engine holding the accounts ``owns`` accepts, from the ledger (locked)."""
        engine = TradingEngine(self._instruments, self._config)
        if self.engine is not None:
            engine.state.last_price.update(self.engine.state.last_price)
        self.engine = None
        async with self.pool.acquire() as conn:
            await restore(conn, engine.state, owns)
        self.engine = engine

    def require(self) -> TradingEngine:
        if self.engine is None:
            raise RuntimeError("the engine is being rebuilt from the ledger")
        return self.engine

    def envelopes(
        self, events: Iterable[Event], cause: Envelope[Payload] | None, ts_ns: int
    ) -> list[Envelope[Payload]]:
        return [
            new_envelope(
                e.payload(), clock=self.clock, producer=self._producer, causation=cause,
                ts_event=ts_ns,
            )
            for e in events
        ]  # fmt: skip

    async def commit(
        self, conn: Connection, out: list[Envelope[Payload]], offsets: Offsets | None = None
    ) -> None:
        """Write the engine's changes, the events and the offsets in ``conn``'s transaction."""
        engine = self.require()
        await save(conn, engine.state, engine.take_changes())
        by_topic: dict[str | None, list[Envelope[Payload]]] = {}
        for envelope in out:
            by_topic.setdefault(self._topics.get(envelope.type), []).append(envelope)
        for topic, envelopes in by_topic.items():
            await enqueue(conn, envelopes, topic=topic)
        if offsets:
            rows = [(self.consumer, t, p, o) for (t, p), o in offsets.items()]
            await conn.executemany(_STORE_OFFSETS, rows)

    async def apply_commands(
        self, commands: list[Envelope[Payload]], offsets: Offsets
    ) -> list[Envelope[Payload]]:
        """Handle a batch of commands once each: the events they caused (committed)."""
        async with self.lock:
            engine = self.require()
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    fresh = set(
                        await claim_many(conn, self.consumer, [c.message_id for c in commands])
                    )
                    todo = _first_claims(commands, fresh)
                    await self._prefetch(conn, engine, todo)
                    await load_global_state(conn, engine.state)
                    start = self.clock.now_ns()
                    out: list[Envelope[Payload]] = []
                    for i, command in enumerate(todo):
                        # one nanosecond apart: created_ns orders a batch's orders as they
                        # came, so a rebuild restores their priority on the book
                        now = start + i
                        if is_platform_wide(command.payload):
                            await fan_out(conn, command, self._fan_out_topic, self.clock)
                            continue
                        events = engine.handle(command.payload, command.message_id, now)
                        out.extend(self.envelopes(events, command, now))
                    await self.commit(conn, out, offsets)
            except BaseException:
                self.engine = None  # memory may be ahead of the ledger now: rebuild
                raise
            self.crash.hit("after-commit")
            engine.state.book.forget_done()
            return out

    async def apply(self, work: Callable[[TradingEngine], list[Event]], ts_ns: int) -> int:
        """Run market data or timer work on the engine and commit it; how many events."""
        async with self.lock:
            engine = self.require()
            try:
                events = work(engine)
                changes = engine.state.changes
                if not events and not changes:
                    return 0
                out = self.envelopes(events, None, ts_ns)
                async with self.pool.acquire() as conn, conn.transaction():
                    await self.commit(conn, out)
            except BaseException:
                self.engine = None
                raise
            engine.state.book.forget_done()
            return len(out)

    async def _prefetch(
        self, conn: Connection, engine: TradingEngine, commands: list[Envelope[Payload]]
    ) -> None:
        """Bring into memory the accounts and finished orders the commands name."""
        st = engine.state
        accounts = set()
        ids, clients = set(), set()
        for command in commands:
            payload = command.payload
            account = getattr(payload, "account_id", None)
            if account is not None and account not in st.accounts:
                accounts.add(account)
            if isinstance(payload, SubmitOrder):
                key = (payload.account_id, payload.client_order_id)
                if st.book.by_client(*key) is None:
                    clients.add(key)
            elif isinstance(payload, OrderTarget):
                if payload.order_id is not None and st.book.get(payload.order_id) is None:
                    ids.add(payload.order_id)
                if payload.client_order_id is not None:
                    key = (payload.account_id, payload.client_order_id)
                    if st.book.by_client(*key) is None:
                        clients.add(key)
        for account in await fetch_accounts(conn, accounts) if accounts else ():
            st.accounts[account.account_id] = account
        for order in await fetch_orders(conn, ids, clients) if ids or clients else ():
            if st.book.get(order.order_id) is None:
                st.book.add(order)
