"""Orders through Kafka and Postgres: the order processor end to end. Prints figures.

    uv run python bench/order_flow.py [--orders 20000] [--rate 1000] [--seconds 10]
        [--trade-interval-ms 0.5] [--accounts 1] [--linger-ms 5] [--timeout 20] [--profile]
        [--bootstrap 127.0.0.1:9092] [--postgres postgresql://...]

The processor's work loop (``order_processor.wiring.build_runner``) runs in this process
against the dev Kafka and Postgres, on topics and consumer groups made for the run, and on
a scratch schema migrated for the run (its own ledger, inbox and outbox, so only its own
relay publishes its events); its publisher is configured as the service's (``--linger-ms``
is its producer linger). A feeder publishes a trade of the run's symbol every
``--trade-interval-ms`` throughout: a market order fills at the first trade after it is
accepted. GTC market orders of quantity 1 alternate buy and sell over ``--accounts``.

- baseline: a bare aiokafka produce -> consume round trip on the same broker at ``--rate``
  messages/s for 2 s, with the commands' producer settings (acks=all, no linger);
- (a) throughput: ``--orders`` SubmitOrder commands (encoded beforehand) sent as fast as
  the producer goes; the time from the first send until every order is FILLED in the
  ledger (polled), and until its ``OrderFilled`` is read from the events topic;
- (b) latency: ``--rate`` orders/s for ``--seconds``; per order, command sent -> its
  ``OrderAccepted`` read and -> its ``OrderFilled`` read, p50 and p99.

Each phase has its own processor run (commands topic, consumer group) after a warm-up
order per account; what a phase left unpublished is dropped before the next, so (b) never
waits behind (a), and a phase gives up after ``--timeout`` s (what missed it counts as
infinitely late). ``--profile`` runs each phase under cProfile and prints the CPU per
stage of this process (processor and load alike). The schema and the topics are dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import math
import os
import pstats
import statistics
import time
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import pydantic_core
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import murmur2

from order_processor.processing.runner import ProcessorRunner
from order_processor.settings import OrderProcessorSettings
from order_processor.wiring import build_runner
from shared.bus import KafkaPublisher, ensure_topics
from shared.clock import FakeClock, SystemClock
from shared.db.migrations import apply_migrations
from shared.db.pool import Database, Pool
from shared.instruments import MONTH_CODES
from shared.messages import Envelope, encode, headers_for, new_envelope
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.marketdata import Trade
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.topics import ORDERS_COMMANDS

DSN = "postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream"
CLOCK = SystemClock()
PARTITIONS = 3  # of each topic but the commands' (which have the registered count)
Record = tuple[bytes, bytes, list[tuple[str, bytes]], uuid.UUID]


class Run:
    """The run's names (topics, groups, schema, symbol), accounts and connections."""

    def __init__(self, args: argparse.Namespace) -> None:
        tag = uuid.uuid4().hex[:8]
        self.args, self.prefix, self.schema = args, f"bench.op.{tag}", f"bench_op_{tag}"
        self.events, self.positions = f"{self.prefix}.events", f"{self.prefix}.positions"
        self.trades, self.roundtrip = f"{self.prefix}.trades", f"{self.prefix}.roundtrip"
        n = uuid.uuid4().int  # an ES contract of a far year that no feed trades
        self.symbol = f"ES{MONTH_CODES[n % 12]}{40 + (n // 12) % 60}"
        self.accounts = [(uuid.uuid4(), uuid.uuid4()) for _ in range(args.accounts)]
        self.topics: list[str] = []
        self.sent = 0
        self.db = Database(f"{args.postgres}?search_path={self.schema}", max_size=10)
        self.publisher = KafkaPublisher(
            args.bootstrap, client_id="bench-op", linger_ms=args.linger_ms
        )

    @property
    def pool(self) -> Pool:
        return self.db.pool

    def settings(self, phase: str) -> OrderProcessorSettings:
        """A processor on this phase's commands topic and group, and the run's other names."""
        return OrderProcessorSettings(
            _env_file=None,
            kafka_bootstrap_servers=self.args.bootstrap,
            postgres_dsn=f"{self.args.postgres}?search_path={self.schema}",
            orders_commands_topic=f"{self.prefix}.commands.{phase}",
            orders_events_topic=self.events,
            positions_events_topic=self.positions,
            risk_events_topic=f"{self.prefix}.risk",
            orders_trades_topic=self.trades,
            orders_bars_topic=f"{self.prefix}.bars",
            orders_consumer_group=f"bench-op-{self.schema}-{phase}",
        )

    def orders(self, count: int) -> list[Record]:
        """Encoded SubmitOrder commands: (key, value, headers, message id = order id)."""
        out = []
        for _ in range(count):
            i, self.sent = self.sent, self.sent + 1
            account, user = self.accounts[(i // 2) % len(self.accounts)]
            payload = SubmitOrder(
                account_id=account,
                user_id=user,
                client_order_id=f"bench-{i}",
                symbol=self.symbol,
                side=OrderSide.BUY if i % 2 == 0 else OrderSide.SELL,
                order_type=OrderType.MARKET,
                quantity=Decimal(1),
                time_in_force=TimeInForce.GTC,
            )
            envelope: Envelope[Any] = new_envelope(payload, clock=CLOCK, producer="bench")
            key = ORDERS_COMMANDS.key_for(payload)
            out.append((key, encode(envelope), headers_for(envelope), envelope.message_id))
        return out

    async def open(self) -> None:
        """The scratch schema (migrated), the accounts and the topics."""
        conn = await asyncpg.connect(self.args.postgres)
        try:
            await conn.execute(f"CREATE SCHEMA {self.schema}")
        finally:
            await conn.close()
        await apply_migrations(f"{self.args.postgres}?search_path={self.schema}")
        await self.db.start()
        await self.publisher.start()
        for account, user in self.accounts:
            await self.pool.execute(
                "INSERT INTO accounts (account_id, user_id, name, starting_balance) "
                "VALUES ($1, $2, $3, 100000)",
                account, user, f"bench-{account.hex[:8]}",
            )  # fmt: skip
        commands = [(self.settings(p).orders_commands_topic, ORDERS_COMMANDS.partitions)
                    for p in ("a", "b")]  # fmt: skip
        self.topics = await ensure_topics(self.args.bootstrap, commands)  # with their DLQs
        names = (self.events, self.positions, self.trades, f"{self.prefix}.risk",
                 f"{self.prefix}.bars")  # fmt: skip
        wanted = [*((t, PARTITIONS) for t in names), (self.roundtrip, 1)]
        self.topics += await ensure_topics(self.args.bootstrap, wanted, dlq=False)
        await asyncio.sleep(2)  # new partitions elect leaders; sends before that are retried

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.publisher.close()
        with contextlib.suppress(Exception):
            await self.db.close()
        conn = await asyncpg.connect(self.args.postgres)
        try:
            await conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        finally:
            await conn.close()
        if self.topics:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.args.bootstrap)
            await admin.start()
            try:
                await admin.delete_topics(self.topics)
            finally:
                await admin.close()


async def at_end(consumer: AIOKafkaConsumer, topic: str, partitions: int) -> None:
    """Assign every partition of ``topic`` and resolve their ends (reads start there)."""
    parts = [TopicPartition(topic, p) for p in range(partitions)]
    consumer.assign(parts)
    await consumer.seek_to_end(*parts)
    for tp in parts:
        await consumer.position(tp)


class Watch:
    """Reads the events topic from its end: when each order's acceptance and fill arrived."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
        self.topic = topic
        self.accepted: dict[str, float] = {}
        self.filled: dict[str, float] = {}
        self._waiting: tuple[set[str], asyncio.Event] | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.consumer.start()
        await at_end(self.consumer, self.topic, PARTITIONS)
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            batch = await self.consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    kind = dict(record.headers).get("type")
                    if kind in (b"OrderAccepted", b"OrderFilled"):
                        order_id = pydantic_core.from_json(record.value)["payload"]["order_id"]
                        seen = self.accepted if kind == b"OrderAccepted" else self.filled
                        seen.setdefault(order_id, now)
            if self._waiting is not None and self._waiting[0].issubset(self.filled):
                self._waiting[1].set()

    async def all_filled(self, ids: set[str], timeout_s: float) -> bool:
        """Wait until every order of ``ids`` has its OrderFilled read, or the timeout."""
        done = asyncio.Event()
        self._waiting = (ids, done)
        try:
            await asyncio.wait_for(done.wait(), timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            self._waiting = None

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.consumer.stop()


class TradeTemplate:
    """A Trade envelope encoded once; each trade is a copy with its own id and times.

    A fresh pydantic envelope per trade would cost the event loop the processor runs on a
    tenth of its time at a trade every 0.5 ms; the feeder is load, not what is measured.
    """

    _ID = uuid.UUID(int=0xBE4C8)
    _TS = 1_111_111_111_111_111_111

    def __init__(self, symbol: str) -> None:
        trade = Trade(symbol=symbol, price=Decimal("5000.25"), size=Decimal(1))
        envelope: Envelope[Any] = new_envelope(
            trade, clock=FakeClock(self._TS), producer="bench", message_id=self._ID
        )
        self.value = encode(envelope)
        self.base = uuid.uuid4().int & ~0xFFFFFFFF
        self.count = 0

    def next(self) -> tuple[bytes, list[tuple[str, bytes]]]:
        """(value, headers) of a new trade stamped now."""
        self.count += 1
        message_id = str(uuid.UUID(int=self.base | self.count)).encode()
        now = str(CLOCK.now_ns()).encode()
        value = self.value.replace(str(self._ID).encode(), message_id)
        headers = [("type", b"Trade"), ("version", b"1"), ("message_id", message_id)]
        return value.replace(str(self._TS).encode(), now), headers


async def feed_trades(producer: AIOKafkaProducer, run: Run, interval_s: float) -> None:
    """A trade of the run's symbol every ``interval_s`` (each wake sends what is due)."""
    started, sent, key = time.perf_counter(), 0, run.symbol.encode()
    partition = (murmur2(key) & 0x7FFFFFFF) % PARTITIONS  # once: murmur2 is pure Python
    template = TradeTemplate(run.symbol)
    while True:
        due = int((time.perf_counter() - started) / interval_s) - sent
        for _ in range(min(due, 50)):
            value, headers = template.next()
            await producer.send(run.trades, value, key=key, partition=partition, headers=headers)
        sent += due  # after a stall, skip ahead rather than flood
        await asyncio.sleep(interval_s)


def producer(bootstrap: str, linger_ms: int = 0) -> AIOKafkaProducer:
    """As KafkaPublisher's producer (idempotent, acks=all), with this linger."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        acks="all",
        linger_ms=linger_ms,
        max_batch_size=256 * 1024,
    )


async def send_all(sender: AIOKafkaProducer, topic: str, records: list[Record]) -> None:
    futures = [
        await sender.send(topic, value, key=key, headers=headers)
        for key, value, headers, _ in records
    ]
    await asyncio.gather(*futures)


async def roundtrip(args: argparse.Namespace, run: Run) -> list[float]:
    """Bare aiokafka produce -> consume latencies (ms) at ``--rate`` messages/s for 2 s."""
    sender = producer(args.bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=args.bootstrap, group_id=None)
    await sender.start()
    await consumer.start()
    sent: dict[bytes, float] = {}
    latencies: list[float] = []
    total = int(args.rate * 2)

    async def read() -> None:
        while len(latencies) < total:
            batch = await consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.perf_counter()
            for records in batch.values():
                latencies.extend((now - sent[r.key]) * 1000 for r in records)

    try:
        await at_end(consumer, run.roundtrip, 1)
        reader = asyncio.create_task(read())
        started = time.perf_counter()
        for i in range(total):
            await asyncio.sleep(max(0.0, started + i / args.rate - time.perf_counter()))
            key = str(i).encode()
            sent[key] = time.perf_counter()
            await sender.send(run.roundtrip, b"x" * 600, key=key)  # about a command's size
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader, 10)
    finally:
        await sender.stop()
        await consumer.stop()
    return latencies + [math.inf] * (total - len(latencies))


@contextlib.asynccontextmanager
async def processor(run: Run, phase: str, sender: AIOKafkaProducer, watch: Watch) -> Any:
    """A processor run on the phase's commands topic, warmed up; yields that topic.

    Warm-up: an order per account accepted and filled (the consumer group has joined, the
    market feed reads the trades). Afterwards, what it left in the outbox is dropped.
    """
    settings = run.settings(phase)
    runner: ProcessorRunner = build_runner(settings, run.publisher, run.db)
    runner.start()
    try:
        warm = run.orders(2 * len(run.accounts))
        await send_all(sender, settings.orders_commands_topic, warm)
        if not await watch.all_filled({str(r[3]) for r in warm}, 120):
            raise RuntimeError("the processor did not fill the warm-up orders within 120 s")
        yield settings.orders_commands_topic
    finally:
        await runner.stop()
        status = await run.pool.execute("DELETE FROM outbox WHERE sent_at IS NULL")
        if int(status.split()[-1]):
            print(f"    ({status.split()[-1]} events still unpublished were dropped)")


async def ledger_filled(pool: Pool, target: int, started: float) -> float:
    """Seconds from ``started`` until ``target`` orders are FILLED in the ledger (polled)."""
    sql = "SELECT count(*) FROM orders WHERE status = 'FILLED'"
    while True:
        if await pool.fetchval(sql) >= target:
            return time.perf_counter() - started
        await asyncio.sleep(0.1)


async def throughput(run: Run, watch: Watch, topic: str) -> None:
    """(a): all orders at once; until FILLED in the ledger, and until OrderFilled read."""
    count, timeout_s = run.args.orders, run.args.timeout
    records = run.orders(count)
    ids = {str(r[3]) for r in records}
    bulk = producer(run.args.bootstrap, linger_ms=5)
    await bulk.start()
    try:
        base = await run.pool.fetchval("SELECT count(*) FROM orders WHERE status = 'FILLED'")
        started = time.perf_counter()
        ledger = asyncio.create_task(ledger_filled(run.pool, base + count, started))
        await send_all(bulk, topic, records)
        sent_s = time.perf_counter() - started
        await watch.all_filled(ids, timeout_s - sent_s)
        events_s = time.perf_counter() - started
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(ledger), max(0.0, timeout_s - events_s))
    finally:
        await bulk.stop()
    in_ledger = base + count
    if ledger.done():
        ledger_s = ledger.result()
        ledger_line = f"all FILLED in the ledger after {ledger_s:.2f} s ({count / ledger_s:,.0f}/s)"
    else:
        ledger.cancel()
        in_ledger = await run.pool.fetchval("SELECT count(*) FROM orders WHERE status = 'FILLED'")
        ledger_line = f"{in_ledger - base} FILLED in the ledger after {timeout_s:.0f} s"
    filled = [watch.filled[i] - started for i in ids if i in watch.filled]
    accepted = [watch.accepted[i] - started for i in ids if i in watch.accepted]
    last = max(filled) if len(filled) == count else events_s
    print(f"(a) throughput, {count} orders sent in {sent_s:.2f} s ({count / sent_s:,.0f}/s):")
    print(f"    {ledger_line}")
    print(
        f"    {len(accepted)} OrderAccepted read, the last after {max(accepted, default=0):.2f} s"
    )
    print(f"    {len(filled)} OrderFilled read, the last after {last:.2f} s: "
          f"{len(filled) / last:,.0f} orders/s accepted and filled")  # fmt: skip
    met = len(filled) == count and count / last >= 5000
    print(f"    target >= 5,000 orders/s: {'met' if met else 'NOT met'}")


async def latency(run: Run, watch: Watch, sender: AIOKafkaProducer, topic: str) -> None:
    """(b): orders at a steady rate; per order, ms from send to acceptance and to fill read."""
    rate, seconds = run.args.rate, run.args.seconds
    records = run.orders(int(rate * seconds))
    sent: dict[str, float] = {}
    futures = []
    started = time.perf_counter()
    for i, (key, value, headers, message_id) in enumerate(records):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        sent[str(message_id)] = time.perf_counter()
        futures.append(await sender.send(topic, value, key=key, headers=headers))
    await asyncio.gather(*futures)
    await watch.all_filled(set(sent), run.args.timeout)
    inf = math.inf
    accept = [(watch.accepted.get(i, inf) - t) * 1000 for i, t in sent.items()]
    fill = [(watch.filled.get(i, inf) - t) * 1000 for i, t in sent.items()]
    late = sum(math.isinf(x) for x in fill)
    print(f"(b) latency, {len(records)} orders at {rate:,.0f}/s, a trade every "
          f"{run.args.trade_interval_ms} ms:")  # fmt: skip
    print(f"    command -> OrderAccepted read: {ms(accept)}")
    print(f"    command -> OrderFilled read:   {ms(fill)}"
          + (f"  ({late} not read within {run.args.timeout:.0f} s)" if late else ""))  # fmt: skip
    met = statistics.median(fill) < 5 and pct(fill, 0.99) < 20
    print(f"    targets p50 < 5 ms, p99 < 20 ms: {'met' if met else 'NOT met'}")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def ms(values: list[float]) -> str:
    def one(x: float) -> str:
        return f"{x:8.2f} ms" if math.isfinite(x) else "   never  "

    return f"p50 {one(statistics.median(values))}   p99 {one(pct(values, 0.99))}"


STAGES = (
    ("ledger: command batches (all)", "order_processor/processing/ledger.py", "apply_commands"),
    ("ledger: market data batches (all)", "order_processor/processing/ledger.py", "apply"),
    ("commands: decode (validate)", "shared/messages/codec.py", "decode"),
    ("commands: engine.handle", "shared/trading/engine.py", "handle"),
    ("trades: engine.on_trade", "shared/trading/engine.py", "on_trade"),
    ("events: payload validation", "shared/trading/events.py", "payload"),
    ("events: new_envelope", "shared/messages/envelope.py", "new_envelope"),
    ("ledger save (rows, executemany)", "order_processor/adapters/ledger.py", "save"),
    ("outbox rows (encode, headers)", "shared/db/outbox.py", "outbox_row"),
    ("outbox enqueue (rows, executemany)", "shared/db/outbox.py", "enqueue"),
    ("inbox claim_many", "shared/db/inbox.py", "claim_many"),
    ("relay batch (claim, publish, mark)", "shared/db/relay.py", "run_once"),
    ("market feed decode", "order_processor/processing/market.py", "_decode"),
    ("bench: events watch", "bench/order_flow.py", "_run"),
    ("bench: trade feeder", "bench/order_flow.py", "feed_trades"),
)


def stage_report(profiler: cProfile.Profile, wall_s: float) -> None:
    """CPU seconds in each stage (cumulative as cProfile counts them), then the top 20."""
    table: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in table.values())
    print(f"    profile: {total:.1f} s on CPU in this process over {wall_s:.1f} s")
    for label, path, name in STAGES:
        spent = sum(row[3] for (file, _, func), row in table.items()
                    if func == name and file.endswith(path))  # fmt: skip
        print(f"    {label:38}{spent:>7.2f} s {spent / total:>6.1%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    print("\n".join(out.getvalue().splitlines()[4:]))


async def profiled(enabled: bool, work: Any) -> None:
    """Await ``work``, under cProfile when ``enabled`` (then print the stage report)."""
    if not enabled:
        await work
        return
    profiler, started = cProfile.Profile(), time.perf_counter()
    profiler.enable()
    try:
        await work
    finally:
        profiler.disable()
    stage_report(profiler, time.perf_counter() - started)


async def phases(run: Run, watch: Watch, sender: AIOKafkaProducer) -> None:
    args = run.args
    base = await roundtrip(args, run)
    print(f"baseline: bare aiokafka produce -> consume at {args.rate:,.0f}/s: {ms(base)}")
    async with processor(run, "a", sender, watch) as topic:
        await profiled(args.profile, throughput(run, watch, topic))
    async with processor(run, "b", sender, watch) as topic:
        await profiled(args.profile, latency(run, watch, sender, topic))


async def main(args: argparse.Namespace) -> None:
    run = Run(args)
    watch = Watch(args.bootstrap, run.events)
    sender = producer(args.bootstrap)
    trades = AIOKafkaProducer(bootstrap_servers=args.bootstrap, linger_ms=0, acks=1)
    feeder = None
    interval_s = args.trade_interval_ms / 1000
    print(
        f"order processor in process: {args.accounts} account(s), a trade every "
        f"{args.trade_interval_ms} ms ({1 / interval_s:,.0f}/s), processor publisher linger "
        f"{args.linger_ms} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    try:
        await run.open()
        for part in (watch, sender, trades):
            await part.start()
        feeder = asyncio.create_task(feed_trades(trades, run, interval_s))
        await phases(run, watch, sender)
    finally:
        if feeder is not None:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder
        for part in (watch, sender, trades):
            with contextlib.suppress(Exception):
                await part.stop()
        await run.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--trade-interval-ms", type=float, default=0.5)
    parser.add_argument("--accounts", type=int, default=1)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20, help="a phase gives up after this")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--postgres", default=DSN)
    asyncio.run(main(parser.parse_args()))
