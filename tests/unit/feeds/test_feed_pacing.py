"""Speed: trades are handed over when due on the (fake) wall clock, in batches, until stopped."""

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from market_data_engine.feeds import FeedTrade, PacedFeed, Schedule, parse_speed
from shared.clock import FakeClock
from tests.unit.feeds.times import HOUR, SECOND

WALL0 = 1_000 * HOUR
EVENT0 = 500 * HOUR


def trade(offset_s: float, symbol: str = "ESZ6") -> FeedTrade:
    return FeedTrade(symbol, EVENT0 + int(offset_s * SECOND), Decimal("5000.25"), Decimal(1))


class Recorder:
    """A sink that notes the fake wall time at which each batch arrived."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.batches: list[tuple[int, list[FeedTrade]]] = []

    async def __call__(self, batch) -> None:
        self.batches.append((self.clock.now_ns() - WALL0, list(batch)))


def fake_sleep(clock: FakeClock):
    async def sleep(seconds: float) -> None:
        clock.advance(round(seconds * SECOND))

    return sleep


async def run(
    trades: list[FeedTrade], speed: float, **options: Any
) -> tuple[PacedFeed, list[tuple[int, list[FeedTrade]]]]:
    clock = FakeClock(WALL0)
    feed = PacedFeed("test", trades, speed=speed, clock=clock, sleep=fake_sleep(clock), **options)
    sink = Recorder(clock)
    await feed.run(sink, asyncio.Event())
    return feed, sink.batches


@pytest.mark.parametrize(
    ("text", "speed"),
    [
        ("1", 1.0),
        ("10", 10.0),
        ("x10", 10.0),
        ("10x", 10.0),
        ("0.5", 0.5),
        ("max", 0.0),
        ("0", 0.0),
    ],
)
def test_speeds_are_read_as_multiples_of_real_time(text, speed):
    assert parse_speed(text) == speed


@pytest.mark.parametrize("text", ["-1", "fast-ish", "nan", "inf"])
def test_nonsense_speeds_are_refused(text):
    with pytest.raises(ValueError, match="speed"):
        parse_speed(text)


def test_the_schedule_maps_event_time_to_wall_time_at_the_speed():
    schedule = Schedule(speed=4)
    schedule.start(EVENT0, WALL0)
    assert schedule.due_ns(EVENT0 + 8 * SECOND) == WALL0 + 2 * SECOND
    assert schedule.wait_ns(EVENT0 + 8 * SECOND, WALL0 + SECOND) == SECOND
    assert schedule.wait_ns(EVENT0 + 8 * SECOND, WALL0 + 3 * SECOND) == 0  # late: at once
    assert schedule.market_ns(WALL0 + 3 * SECOND) == EVENT0 + 12 * SECOND


def test_a_max_pause_shortens_long_waits_and_shifts_the_rest():
    schedule = Schedule(speed=1, max_pause_s=5)
    schedule.start(EVENT0, WALL0)
    assert schedule.wait_ns(EVENT0 + HOUR, WALL0) == 5 * SECOND
    assert schedule.due_ns(EVENT0 + HOUR + SECOND) == WALL0 + 6 * SECOND


async def test_real_time_delivers_each_trade_at_its_offset():
    _, batches = await run([trade(0), trade(1.5), trade(4)], speed=1)
    assert [(wall, len(b)) for wall, b in batches] == [(0, 1), (1_500_000_000, 1), (4 * SECOND, 1)]


async def test_ten_times_faster_divides_the_waits_by_ten():
    _, batches = await run([trade(0), trade(10), trade(30)], speed=10)
    assert [wall for wall, _ in batches] == [0, 1 * SECOND, 3 * SECOND]


async def test_trades_due_together_share_a_batch_up_to_the_maximum():
    trades = [trade(0), trade(0), trade(0), trade(2), trade(2)]
    _, batches = await run(trades, speed=1, max_batch=2)
    assert [(wall, len(b)) for wall, b in batches] == [(0, 2), (0, 1), (2 * SECOND, 2)]


async def test_max_speed_never_waits_and_fills_batches():
    trades = [trade(k * 60) for k in range(25)]
    feed, batches = await run(trades, speed=0, max_batch=10)
    assert [(wall, len(b)) for wall, b in batches] == [(0, 10), (0, 10), (0, 5)]
    assert feed.delivered == 25
    assert feed.last_ts == trades[-1].ts
    assert feed.market_clock.now_ns() == trades[-1].ts


async def test_an_origin_before_the_first_trade_delays_it():
    _, batches = await run([trade(30)], speed=1, origin_ns=EVENT0)
    assert batches[0][0] == 30 * SECOND


async def test_the_market_clock_follows_the_schedule():
    clock = FakeClock(WALL0)
    feed = PacedFeed("t", [trade(100)], speed=2, origin_ns=EVENT0, clock=clock)
    feed.schedule.start(EVENT0, WALL0)
    clock.advance(10 * SECOND)
    assert feed.market_clock.now_ns() == EVENT0 + 20 * SECOND


async def test_stop_during_a_wait_ends_the_run_without_the_trade_not_yet_due():
    clock = FakeClock(WALL0)
    stop = asyncio.Event()

    async def sleep(seconds: float) -> None:
        clock.advance(round(seconds * SECOND))
        if clock.now_ns() - WALL0 >= 3 * SECOND:
            stop.set()
            await asyncio.sleep(0)

    feed = PacedFeed("t", [trade(0), trade(60)], speed=1, clock=clock, sleep=sleep)
    sink = Recorder(clock)
    await feed.run(sink, stop)
    assert [len(b) for _, b in sink.batches] == [1]
    assert feed.delivered == 1


async def test_stop_set_before_a_batch_delivers_the_batch_in_hand_then_ends():
    stop = asyncio.Event()
    received = []

    async def sink(batch):
        received.append(len(batch))
        stop.set()

    feed = PacedFeed("t", [trade(0)] * 30, speed=0, max_batch=10)
    await feed.run(sink, stop)
    assert received == [10]


def test_before_it_starts_the_market_clock_is_at_the_origin():
    feed = PacedFeed("t", [trade(5)], speed=1, origin_ns=EVENT0, clock=FakeClock(WALL0))
    assert feed.market_clock.now_ns() == EVENT0
