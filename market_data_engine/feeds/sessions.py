"""Session arithmetic feeds need beyond ``TradingSession``: when a session opened, opens next.

``SessionCalendar`` answers "is it open, and until when" for a stream of rising times with
one comparison per call, recomputing (with time zone arithmetic) only at session edges.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns, ns_to_datetime
from shared.instruments import TradingSession

_WEEK = 8  # every session with trading days opens within a week
ALWAYS = 2**63 - 1


def _opens_around(session: TradingSession, ts_ns: int, days: range) -> list[int]:
    zone = ZoneInfo(session.timezone)
    local = ns_to_datetime(ts_ns).astimezone(zone)
    opens = []
    for offset in days:
        day = local.date() + timedelta(days=offset)
        open_ns = datetime_to_ns(datetime.combine(day, session.open, tzinfo=zone))
        if session.is_open(open_ns):
            opens.append(open_ns)
    return opens


def next_open_ns(session: TradingSession, ts_ns: int) -> int:
    """The first session open strictly after ``ts_ns``."""
    for open_ns in _opens_around(session, ts_ns, range(0, _WEEK + 1)):
        if open_ns > ts_ns:
            return open_ns
    raise AssertionError(f"session {session.name} never opens")


def session_start_ns(session: TradingSession, ts_ns: int) -> int | None:
    """When the session running at ``ts_ns`` opened; None if it is closed then."""
    if not session.is_open(ts_ns):
        return None
    started = [o for o in _opens_around(session, ts_ns, range(-2, 1)) if o <= ts_ns]
    return max(started)


class SessionCalendar:
    """Open/closed for non-decreasing times; ``session`` None trades around the clock."""

    def __init__(self, session: TradingSession | None) -> None:
        self.session = session
        self._from = 0  # the current answer holds for [_from, _until)
        self._until = -1
        self._open = False
        self._edge = 0

    def _refresh(self, ts_ns: int) -> None:
        if self.session is None:
            self._from, self._until, self._open, self._edge = 0, ALWAYS, True, 0
            return
        start = session_start_ns(self.session, ts_ns)
        if start is not None:
            self._open, self._edge = True, start
            self._from, self._until = start, self.session.next_close_ns(ts_ns)
        else:
            self._open = False
            self._until = next_open_ns(self.session, ts_ns)
            self._from = self._edge = ts_ns

    def is_open(self, ts_ns: int) -> bool:
        """True if the market trades at ``ts_ns``."""
        if not self._from <= ts_ns < self._until:
            self._refresh(ts_ns)
        return self._open

    def next_change_ns(self, ts_ns: int) -> int:
        """The close if open at ``ts_ns``, else the next open."""
        self.is_open(ts_ns)
        return self._until

    def opened_at_ns(self, ts_ns: int) -> int | None:
        """The open of the session running at ``ts_ns`` (0 around the clock), or None."""
        return self._edge if self.is_open(ts_ns) else None
