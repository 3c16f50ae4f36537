"""Orders through Kafka and Postgres: the order processor end to end. Prints figures.

    uv run python bench/order_flow.py [--orders 20000] [--rate 1000] [--seconds 10]
        [--trade-interval-ms 0.5] [--accounts 1] [--linger-ms 5] [--profile]
        [--bootstrap 127.0.0.1:9092] [--postgres postgresql://...]

The processor's work loop (``order_processor.wiring.build_runner``) runs in this process,
on topics and a consumer group made for the run, against the dev Kafka and Postgres, with
a publisher configured as the service's (``--linger-ms``: its producer linger). A feeder
publishes a trade of the run's symbol every ``--trade-interval-ms`` throughout: a market
order fills at the first trade after its acceptance. GTC market orders alternate buy and
sell; ``--accounts`` spreads them over that many accounts (the topic key).

- baseline: a bare aiokafka produce -> consume round trip on the same broker, at
  ``--rate`` messages/s for 2 s (same producer settings as the commands);
- (a) throughput: ``--orders`` SubmitOrder commands (encoded beforehand) published as fast
  as possible; from the first send to the last ``OrderFilled`` read from the events topic;
- (b) latency: ``--rate`` orders/s for ``--seconds``; per order, command sent ->
  ``OrderAccepted`` and -> ``OrderFilled`` read, p50/p99.

``--profile`` runs (a) under cProfile (this process: processor and load alike) and prints
the CPU per stage. Topics, the consumer group's rows and the accounts' ledger rows are
removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import pstats
import statistics
import time
import uuid
from decimal import Decimal
from typing import Any

import pydantic_core
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from order_processor.settings import OrderProcessorSettings
from order_processor.wiring import build_runner
from shared.bus import KafkaPublisher, ensure_topics
from shared.clock import SystemClock
from shared.db.pool import Database
from shared.instruments import MONTH_CODES
from shared.messages import encode, headers_for, new_envelope
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.marketdata import Trade
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.topics import ORDERS_COMMANDS

DSN = "postgresql://tickstream:tickstream@127.0.0.1:5432/tickstream"
LEDGER = ("orders", "fills", "positions", "risk_limits", "trading_states", "risk_daily_pnl")
CLOCK = SystemClock()
PARTITIONS = 3  # of each topic but the commands' (which has the registered count)
Record = tuple[bytes, bytes, list[tuple[str, bytes]], uuid.UUID]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


class Names:
    """The run's topics, consumer group, symbol and accounts."""

    def __init__(self, tag: str, accounts: int) -> None:
        self.commands, self.events = f"bench.op.{tag}.commands", f"bench.op.{tag}.events"
        self.positions, self.risk = f"bench.op.{tag}.positions", f"bench.op.{tag}.risk"
        self.trades, self.bars = f"bench.op.{tag}.trades", f"bench.op.{tag}.bars"
        self.roundtrip, self.group = f"bench.op.{tag}.roundtrip", f"bench-op-{tag}"
        n = uuid.uuid4().int  # an ES contract of a far year that no feed trades
        self.symbol = f"ES{MONTH_CODES[n % 12]}{40 + (n // 12) % 60}"
        self.accounts = [(uuid.uuid4(), uuid.uuid4()) for _ in range(accounts)]
        self.created: list[str] = []
        self.sent = 0

    def settings(self, args: argparse.Namespace) -> OrderProcessorSettings:
        return OrderProcessorSettings(
            _env_file=None,
            kafka_bootstrap_servers=args.bootstrap,
            postgres_dsn=args.postgres,
            orders_commands_topic=self.commands,
            orders_events_topic=self.events,
            positions_events_topic=self.positions,
            risk_events_topic=self.risk,
            orders_trades_topic=self.trades,
            orders_bars_topic=self.bars,
            orders_consumer_group=self.group,
        )

    def orders(self, count: int) -> list[Record]:
        """Encoded SubmitOrder commands: (key, value, headers, message id)."""
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
            envelope = new_envelope(payload, clock=CLOCK, producer="bench")
            key = ORDERS_COMMANDS.key_for(payload)
            out.append((key, encode(envelope), headers_for(envelope), envelope.message_id))
        return out


class Watch:
    """Reads the events topic from its end: when each order's acceptance and fill arrived."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
        self.topic = topic
        self.accepted: dict[str, float] = {}
        self.filled: dict[str, float] = {}
        self.waiting: tuple[set[str], asyncio.Event] | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.consumer.start()
        await at_end(self.consumer, self.topic, PARTITIONS)
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            batch = await self.consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    kind = dict(record.headers).get("type")
                    if kind in (b"OrderAccepted", b"OrderFilled"):
                        body = pydantic_core.from_json(record.value)
                        seen = self.accepted if kind == b"OrderAccepted" else self.filled
                        seen.setdefault(body["payload"]["order_id"], now)
            if self.waiting is not None and self.waiting[0].issubset(self.filled):
                self.waiting[1].set()

    async def all_filled(self, ids: set[str], timeout_s: float) -> bool:
        done = asyncio.Event()
        self.waiting = (ids, done)
        try:
            await asyncio.wait_for(done.wait(), timeout_s)
            return True
        except TimeoutError:
            return False
        finally:
            self.waiting = None

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await self.consumer.stop()


async def at_end(consumer: AIOKafkaConsumer, topic: str, partitions: int) -> None:
    """Assign every partition of ``topic`` and resolve their ends (reads start there)."""
    parts = [TopicPartition(topic, p) for p in range(partitions)]
    consumer.assign(parts)
    await consumer.seek_to_end(*parts)
    for tp in parts:
        await consumer.position(tp)


async def feed_trades(producer: AIOKafkaProducer, names: Names, interval_s: float) -> None:
    """A trade of the run's symbol every ``interval_s`` (sent in bursts of what is due)."""
    started, sent = time.perf_counter(), 0
    while True:
        due = min(50, int((time.perf_counter() - started) / interval_s) - sent)
        for _ in range(due):
            trade = Trade(symbol=names.symbol, price=Decimal("5000.25"), size=Decimal(1))
            envelope = new_envelope(trade, clock=CLOCK, producer="bench")
            await producer.send(
                names.trades, encode(envelope), key=names.symbol.encode(),
                headers=headers_for(envelope),
            )  # fmt: skip
        sent += max(due, 0)
        if due >= 50:  # fell behind (a stall): skip ahead rather than flood
            sent = int((time.perf_counter() - started) / interval_s)
        await asyncio.sleep(interval_s)


def producer_for(bootstrap: str) -> AIOKafkaProducer:
    """The commands' producer (and the baseline's): as KafkaPublisher's, without linger."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=0
    )


async def roundtrip(args: argparse.Namespace, names: Names) -> list[float]:
    """Bare aiokafka produce -> consume latencies (ms) at ``--rate`` messages/s for 2 s."""
    producer = producer_for(args.bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=args.bootstrap, group_id=None)
    await producer.start()
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
        await at_end(consumer, names.roundtrip, 1)
        reader = asyncio.create_task(read())
        started = time.perf_counter()
        for i in range(total):
            await asyncio.sleep(max(0.0, started + i / args.rate - time.perf_counter()))
            key = str(i).encode()
            sent[key] = time.perf_counter()
            await producer.send(names.roundtrip, b"x" * 600, key=key)  # a command's size
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader, 10)
    finally:
        await producer.stop()
        await consumer.stop()
    return latencies


async def send_all(producer: AIOKafkaProducer, topic: str, records: list[Record]) -> None:
    futures = [
        await producer.send(topic, value, key=key, headers=headers)
        for key, value, headers, _ in records
    ]
    await asyncio.gather(*futures)


async def throughput(
    producer: AIOKafkaProducer, names: Names, watch: Watch, count: int, timeout_s: float
) -> tuple[float, float, int]:
    """Seconds to the last acceptance and to the last fill (or the timeout); fills seen."""
    records = names.orders(count)
    ids = {str(r[3]) for r in records}
    started = time.perf_counter()
    await send_all(producer, names.commands, records)
    sent = time.perf_counter() - started
    print(f"    commands sent in {sent:.2f} s ({count / sent:,.0f}/s)")
    await watch.all_filled(ids, timeout_s)
    filled = [watch.filled[i] for i in ids if i in watch.filled]
    accepted = [watch.accepted[i] for i in ids if i in watch.accepted]
    end = max(filled) if len(filled) == count else time.perf_counter()
    return max(accepted, default=end) - started, end - started, len(filled)


async def latency(
    producer: AIOKafkaProducer, names: Names, watch: Watch, rate: float, seconds: float
) -> tuple[list[float], list[float], int]:
    """Per order: ms from send to OrderAccepted, and to OrderFilled; orders sent."""
    records = names.orders(int(rate * seconds))
    sent: dict[str, float] = {}
    futures = []
    started = time.perf_counter()
    for i, (key, value, headers, message_id) in enumerate(records):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        sent[str(message_id)] = time.perf_counter()
        futures.append(await producer.send(names.commands, value, key=key, headers=headers))
    await asyncio.gather(*futures)
    await watch.all_filled(set(sent), 30)
    to_accept = [(watch.accepted[i] - t) * 1000 for i, t in sent.items() if i in watch.accepted]
    to_fill = [(watch.filled[i] - t) * 1000 for i, t in sent.items() if i in watch.filled]
    return to_accept, to_fill, len(records)


STAGES = (
    ("commands: decode (validate)", "shared/messages/codec.py", "decode"),
    ("commands: engine.handle", "shared/trading/engine.py", "handle"),
    ("trades: engine.on_trade", "shared/trading/engine.py", "on_trade"),
    ("events: payload validation", "shared/trading/events.py", "payload"),
    ("events: new_envelope", "shared/messages/envelope.py", "new_envelope"),
    ("ledger save (rows + executemany)", "order_processor/adapters/ledger.py", "save"),
    ("outbox rows (encode, headers)", "shared/db/outbox.py", "outbox_row"),
    ("outbox enqueue (executemany)", "shared/db/outbox.py", "enqueue"),
    ("inbox claim_many", "shared/db/inbox.py", "claim_many"),
    ("relay batch (claim, publish, mark)", "shared/db/relay.py", "run_once"),
    ("market feed decode", "order_processor/processing/market.py", "_decode"),
    ("bench: events watch", "bench/order_flow.py", "_run"),
    ("bench: trade feeder", "bench/order_flow.py", "feed_trades"),
)


def stage_report(profiler: cProfile.Profile, wall_s: float) -> None:
    """CPU seconds in each stage of the processor (cumulative, as cProfile counts them)."""
    stats = pstats.Stats(profiler)
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in table.values())
    print(f"    profile of (a): {total:.1f} s on CPU in this process over {wall_s:.1f} s")
    for label, path, name in STAGES:
        spent = sum(row[3] for (file, _, func), row in table.items()
                    if func == name and file.endswith(path))  # fmt: skip
        print(f"    {label:38}{spent:>7.2f} s {spent / total:>6.1%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    print("\n".join(out.getvalue().splitlines()[4:]))


async def drained(pool: Any, topics: list[str], timeout_s: float) -> bool:
    """Wait until the outbox holds no unsent row for ``topics``."""
    sql = "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND topic = ANY($1)"
    deadline = time.perf_counter() + timeout_s
    while await pool.fetchval(sql, topics):
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def cleanup(args: argparse.Namespace, names: Names, pool: Any) -> None:
    """Outbox rows, inbox and offsets of the run, the accounts' ledger, then the topics.

    A row left unsent for a deleted topic would stall every relay sharing the outbox (the
    dev Kafka does not create topics on demand), so unsent rows go first.
    """
    published = [names.events, names.positions, names.risk]
    if not await drained(pool, published, 30):
        await pool.execute(
            "DELETE FROM outbox WHERE sent_at IS NULL AND topic = ANY($1)", published
        )
    await pool.execute("DELETE FROM outbox WHERE topic = ANY($1)", published)
    for table in ("inbox", "consumer_offsets"):
        await pool.execute(f"DELETE FROM {table} WHERE consumer = $1", names.group)
    ids = [account for account, _ in names.accounts]
    for table in (*LEDGER, "accounts"):
        await pool.execute(f"DELETE FROM {table} WHERE account_id = ANY($1)", ids)
    admin = AIOKafkaAdminClient(bootstrap_servers=args.bootstrap)
    await admin.start()
    try:
        await admin.delete_topics(names.created)
    finally:
        await admin.close()


async def create(args: argparse.Namespace, names: Names, pool: Any) -> None:
    names.created = await ensure_topics(args.bootstrap, [(names.commands, ORDERS_COMMANDS.partitions)])  # and its DLQ
    others = (names.events, names.positions, names.risk, names.trades, names.bars)
    names.created += await ensure_topics(
        args.bootstrap, [*((t, PARTITIONS) for t in others), (names.roundtrip, 1)], dlq=False
    )
    for account, user in names.accounts:
        await pool.execute(
            "INSERT INTO accounts (account_id, user_id, name, starting_balance) "
            "VALUES ($1, $2, $3, 100000)",
            account, user, f"bench-{account.hex[:8]}",
        )  # fmt: skip
    await asyncio.sleep(2)  # new partitions elect leaders; sends before that are retried


def ms(values: list[float]) -> str:
    if not values:
        return "none arrived"
    return f"p50 {statistics.median(values):6.2f} ms   p99 {pct(values, 0.99):7.2f} ms"


async def main(args: argparse.Namespace) -> None:
    names = Names(uuid.uuid4().hex[:8], args.accounts)
    settings = names.settings(args)
    publisher = KafkaPublisher(args.bootstrap, client_id="bench-op", linger_ms=args.linger_ms)
    db = Database.from_settings(settings)
    await db.start()
    await publisher.start()
    producer, trades = (
        producer_for(args.bootstrap),
        AIOKafkaProducer(bootstrap_servers=args.bootstrap, linger_ms=0, acks=1),
    )
    watch = Watch(args.bootstrap, names.events)
    runner, feeder = None, None
    interval_s = args.trade_interval_ms / 1000
    try:
        await create(args, names, db.pool)
        for resource in (producer, trades, watch):
            await resource.start()
        print(
            f"order processor in process: {len(names.accounts)} account(s), symbol "
            f"{names.symbol}, a trade every {args.trade_interval_ms} ms "
            f"({1 / interval_s:,.0f}/s), processor publisher linger {args.linger_ms} ms"
        )
        base = await roundtrip(args, names)
        print(f"baseline: bare aiokafka produce -> consume at {args.rate:,.0f}/s: {ms(base)}")
        runner = build_runner(settings, publisher, db)
        runner.start()
        feeder = asyncio.create_task(feed_trades(trades, names, interval_s))
        warm = names.orders(2 * len(names.accounts))
        await send_all(producer, names.commands, warm)
        if not await watch.all_filled({str(r[3]) for r in warm}, 120):
            raise RuntimeError("the processor did not fill the warm-up orders within 120 s")
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()
        started = time.perf_counter()
        accept_s, fill_s, filled = await throughput(
            producer, names, watch, args.orders, args.timeout
        )
        if profiler is not None:
            profiler.disable()
        verdict = "met" if filled == args.orders and args.orders / fill_s >= 5000 else "NOT met"
        print(
            f"(a) throughput, {args.orders} orders: all accepted in {accept_s:.2f} s "
            f"({args.orders / accept_s:,.0f}/s), {filled} filled in {fill_s:.2f} s "
            f"({filled / fill_s:,.0f}/s); target >= 5,000/s: {verdict}"
        )
        if profiler is not None:
            stage_report(profiler, time.perf_counter() - started)
        await drained(db.pool, [names.events, names.positions], 120)
        to_accept, to_fill, sent = await latency(producer, names, watch, args.rate, args.seconds)
        print(f"(b) latency, {sent} orders at {args.rate:,.0f}/s, a trade every "
              f"{args.trade_interval_ms} ms:")  # fmt: skip
        print(f"    command -> OrderAccepted read: {ms(to_accept)}")
        print(f"    command -> OrderFilled read:   {ms(to_fill)}   ({len(to_fill)} filled)")
        met = to_fill and statistics.median(to_fill) < 5 and pct(to_fill, 0.99) < 20
        print(f"    targets p50 < 5 ms, p99 < 20 ms: {'met' if met else 'NOT met'}")
    finally:
        if feeder is not None:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder
        if runner is not None:
            await runner.stop()
        for resource in (watch, producer, trades):
            with contextlib.suppress(Exception):
                await resource.stop() if resource is not watch else await watch.close()
        await cleanup(args, names, db.pool)
        await publisher.close()
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--trade-interval-ms", type=float, default=0.5)
    parser.add_argument("--accounts", type=int, default=1)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=60, help="(a) gives up after this")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--postgres", default=DSN)
    asyncio.run(main(parser.parse_args()))
