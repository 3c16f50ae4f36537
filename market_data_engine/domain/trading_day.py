"""Where one daily candle ends and the next begins: a wall-clock time in the session's zone.

CME futures trade overnight: the session that closes at 17:00 Chicago time opened at 17:00
the evening before, so a trade belongs to the day that ends at the next 17:00 Chicago time.
Around daylight-saving changes such a day lasts 23 or 25 hours. Days without trades make no
candle, so weekends and holidays need no calendar here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns, ns_to_datetime
from shared.instruments import TradingSession


@dataclass(frozen=True, slots=True)
class DayBoundary:
    """Daily candles run from ``at`` local time in ``timezone`` to the same time next day."""

    timezone: str = "UTC"
    at: time = time(0)

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # an unknown zone raises here, not at the first trade

    @classmethod
    def for_session(cls, session: TradingSession | None) -> DayBoundary:
        """Overnight sessions roll at their open, day sessions at local midnight, none at UTC."""
        if session is None:
            return cls()
        return cls(session.timezone, session.open if session.overnight else time(0))

    def _start_of(self, day: date) -> int:
        return datetime_to_ns(datetime.combine(day, self.at, tzinfo=ZoneInfo(self.timezone)))

    def bounds(self, ts_ns: int) -> tuple[int, int]:
        """The (open, close) nanoseconds of the trading day holding ``ts_ns``; close exclusive."""
        day = ns_to_datetime(ts_ns).astimezone(ZoneInfo(self.timezone)).date()
        start = self._start_of(day)
        if start > ts_ns:
            day -= timedelta(days=1)
            start = self._start_of(day)
        return start, self._start_of(day + timedelta(days=1))

    def starts_between(self, first_ns: int, last_ns: int) -> list[int]:
        """The opens of every trading day from the one holding ``first_ns`` to ``last_ns``'s."""
        start, end = self.bounds(first_ns)
        day = ns_to_datetime(start).astimezone(ZoneInfo(self.timezone)).date()
        starts = [start]
        while end <= last_ns:
            starts.append(end)
            day += timedelta(days=1)
            end = self._start_of(day + timedelta(days=1))
        return starts
