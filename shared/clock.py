"""Injected clocks and nanosecond UTC timestamps. The domain never reads the wall clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

NANOS_PER_SECOND = 1_000_000_000


class Clock(Protocol):
    """Source of the current time in integer UTC nanoseconds."""

    def now_ns(self) -> int: ...


class SystemClock:
    """The machine's wall clock."""

    def now_ns(self) -> int:
        return time.time_ns()


class FakeClock:
    """A clock that moves only when told to, for tests and simulations."""

    def __init__(self, start_ns: int = 0) -> None:
        self._now = start_ns

    def now_ns(self) -> int:
        return self._now

    def advance(self, nanos: int) -> None:
        if nanos < 0:
            raise ValueError("a clock does not go backwards")
        self._now += nanos

    def set(self, now_ns: int) -> None:
        if now_ns < self._now:
            raise ValueError("a clock does not go backwards")
        self._now = now_ns


def ns_to_datetime(ns: int) -> datetime:
    """Nanoseconds since the epoch to an aware UTC datetime (microsecond precision)."""
    return datetime.fromtimestamp(ns // 1000 / 1_000_000, tz=UTC)


def datetime_to_ns(value: datetime) -> int:
    """An aware datetime to nanoseconds since the epoch; naive datetimes are refused."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: a timestamp needs a time zone")
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * NANOS_PER_SECOND + delta.microseconds * 1000


def ns_to_iso(ns: int) -> str:
    """ISO 8601 UTC with a ``Z`` suffix and nanosecond precision, as the public API speaks."""
    seconds, nanos = divmod(ns, NANOS_PER_SECOND)
    base = datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{base}.{nanos:09d}Z"
