"""Hypothesis strategies: trade streams with gaps, bursts, DST changes and session boundaries."""

from __future__ import annotations

from datetime import datetime
from itertools import accumulate
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.clock import datetime_to_ns
from tests.unit.market_data_engine.reference import Event

SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

PROPERTIES = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TIMEFRAME_SETS = (DEFAULT_TIMEFRAMES, ("30s", "90s", "1d"), ("4h", "1d"), ("2m", "3m"))
"""The default set; one with a narrowest timeframe dividing the others; two built on an
internal base that is not itself emitted (15 minutes, 1 minute)."""


def chicago(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Nanoseconds of a Chicago wall-clock time."""
    local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("America/Chicago"))
    return datetime_to_ns(local)


ANCHORS = (
    chicago(2024, 3, 9, 12),  # the 23-hour trading day: clocks go forward early on 10 March
    chicago(2024, 3, 10, 15),
    chicago(2024, 11, 2, 12),  # the 25-hour trading day: clocks go back early on 3 November
    chicago(2024, 11, 3, 15),
    chicago(2024, 6, 14, 16, 30),  # a Friday close into the weekend
    chicago(2025, 1, 6, 16, 58),  # a few minutes before a 17:00 session boundary
)

GAPS = st.one_of(
    st.just(0),  # trades at the same nanosecond
    st.integers(1, 2 * SECOND),  # bursts
    st.integers(0, 20 * MINUTE),
    st.integers(0, 30 * HOUR),  # quiet spells and skipped sessions
)


@st.composite
def in_order_trades(draw: st.DrawFn, max_size: int = 150) -> tuple[list[int], list[int], list[int]]:
    """(ts, price in ticks, size) lists sorted by time; prices may go negative."""
    start = draw(st.sampled_from(ANCHORS)) + draw(st.integers(-2 * HOUR, 2 * HOUR))
    gaps = draw(st.lists(GAPS, min_size=1, max_size=max_size))
    count = len(gaps)
    moves = draw(st.lists(st.integers(-4, 4), min_size=count, max_size=count))
    first = draw(st.integers(-100, 40_000))
    sizes = draw(st.lists(st.integers(1, 500), min_size=count, max_size=count))
    ts = list(accumulate(gaps, initial=start))[1:]
    return ts, list(accumulate(moves, initial=first))[1:], sizes


SHIFTS = st.one_of(st.just(0), st.just(0), st.integers(0, 10 * MINUTE), st.integers(0, 2 * HOUR))
CLOCK_STEPS = st.one_of(st.none(), st.none(), st.integers(0, 3 * MINUTE), st.integers(0, 3 * HOUR))
BEHIND_CLOCK = st.one_of(st.none(), st.none(), st.none(), st.integers(0, 15 * MINUTE))


@st.composite
def event_streams(draw: st.DrawFn) -> list[Event]:
    """Trades mostly in order, some moved back in time, with clock readings in between."""
    ts, price, size = draw(in_order_trades(max_size=100))
    count = len(ts)
    shifts = draw(st.lists(SHIFTS, min_size=count, max_size=count))
    steps = draw(st.lists(CLOCK_STEPS, min_size=count, max_size=count))
    behind_clock = draw(st.lists(BEHIND_CLOCK, min_size=count, max_size=count))
    events: list[Event] = []
    now: int | None = None
    for t, p, s, shift, step, behind in zip(
        ts, price, size, shifts, steps, behind_clock, strict=True
    ):
        if now is not None and behind is not None:
            events.append(("trade", now - behind, p, s))  # delayed relative to the clock
        else:
            events.append(("trade", t - shift, p, s))
        if step is not None:
            now = t + step if now is None else max(now, t + step)
            events.append(("clock", now, 0, 0))
    return events
