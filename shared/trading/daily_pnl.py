"""Realized P&L per risk scope per trading day; the day rolls at the session boundary.

The default boundary is CME Globex's: 17:00 America/Chicago, when the next day's session
opens, so a fill at 17:30 Chicago on Tuesday belongs to Wednesday. Daily P&L for the
daily-loss limit is ``realized_today`` plus the unrealized P&L of the open positions,
which the position engine knows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns
from shared.instruments import CME_GLOBEX
from shared.trading.exposure import Scope

ZERO = Decimal(0)
CHICAGO = ZoneInfo(CME_GLOBEX.timezone)


def day_of(ts_ns: int, zone: ZoneInfo = CHICAGO, boundary: time = CME_GLOBEX.open) -> date:
    """The trading day of a UTC time: local times at or after ``boundary`` count as tomorrow."""
    # Whole seconds, exactly: a float timestamp can round 16:59:59.9999999 up to 17:00.
    local = datetime.fromtimestamp(ts_ns // 1_000_000_000, tz=zone)
    return local.date() + timedelta(days=1) if local.time() >= boundary else local.date()


class TradingDays:
    """``day_of`` for one time zone and boundary, caching the current day's bounds.

    The common call is then two integer comparisons instead of a time zone conversion.
    """

    def __init__(
        self, timezone: str = CME_GLOBEX.timezone, boundary: time = CME_GLOBEX.open
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.boundary = boundary
        self._start = self._end = 0
        self._day = date.min

    def __call__(self, ts_ns: int) -> date:
        return self.day_of(ts_ns)

    def day_of(self, ts_ns: int) -> date:
        if self._start <= ts_ns < self._end:
            return self._day
        day = self._day = day_of(ts_ns, self.zone, self.boundary)
        self._start = self.start_ns(day)
        self._end = self.start_ns(day + timedelta(days=1))
        return day

    def start_ns(self, day: date) -> int:
        """When a trading day starts: the boundary on the calendar day before."""
        return datetime_to_ns(
            datetime.combine(day - timedelta(days=1), self.boundary, tzinfo=self.zone)
        )


class DailyPnl:
    """Realized P&L per scope since the start of the current trading day."""

    def __init__(self, days: TradingDays | None = None) -> None:
        self.days = days if days is not None else TradingDays()
        self._realized: dict[Scope, tuple[date, Decimal]] = {}

    def add_realized(self, scope: Scope, amount: Decimal, ts_ns: int) -> Decimal:
        """Book realized P&L (net of commissions) at ``ts_ns``; the scope's total for that day."""
        day = self.days.day_of(ts_ns)
        booked = self._realized.get(scope)
        total = amount if booked is None or booked[0] != day else booked[1] + amount
        self._realized[scope] = (day, total)
        return total

    def realized_today(self, scope: Scope, ts_ns: int) -> Decimal:
        """Realized P&L of the trading day of ``ts_ns``; zero once that day has rolled."""
        booked = self._realized.get(scope)
        if booked is None or booked[0] != self.days.day_of(ts_ns):
            return ZERO
        return booked[1]

    def booked(self, scope: Scope) -> tuple[date, Decimal] | None:
        """The scope's last booked (trading day, realized), for saving; None if none."""
        return self._realized.get(scope)

    def restore(self, scope: Scope, day: date, amount: Decimal) -> None:
        """Set a scope's realized P&L of a day (rebuilding after a restart)."""
        self._realized[scope] = (day, amount)
