"""How busy a synthetic market is at a time of day: quiet overnight, busiest after the open.

In the profile's busy hours (local time) activity is 1, doubled in the first half hour and
half again in the last; outside them it is the profile's ``quiet_factor``. It is constant
over five-minute blocks of UTC, which line up with local quarter hours in every time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from market_data_engine.feeds.synthetic_profiles import MarketProfile
from shared.clock import NANOS_PER_SECOND, ns_to_datetime

BLOCK_NS = 300 * NANOS_PER_SECOND
OPENING_BOOST = 2.0
CLOSING_BOOST = 1.5


class Activity:
    """The activity multiplier of one profile in one time zone, cached per block."""

    def __init__(self, profile: MarketProfile, timezone: str) -> None:
        self.profile = profile
        self._zone = ZoneInfo(timezone)
        self.until = -1  # end of the cached block
        self._value = 1.0

    def at(self, ts_ns: int) -> float:
        """The multiplier at ``ts_ns``; ``until`` then holds when it may next change."""
        if not self.until - BLOCK_NS <= ts_ns < self.until:
            start = ts_ns - ts_ns % BLOCK_NS
            self.until = start + BLOCK_NS
            self._value = self.at_local(ns_to_datetime(start).astimezone(self._zone))
        return self._value

    def at_local(self, local: datetime) -> float:
        """The multiplier at a local time."""
        p, now = self.profile, local.time()
        if not p.busy_from <= now < p.busy_until:
            return p.quiet_factor
        minutes_in = (local.hour - p.busy_from.hour) * 60 + local.minute - p.busy_from.minute
        minutes_left = (p.busy_until.hour - local.hour) * 60 + p.busy_until.minute - local.minute
        if minutes_in < 30:
            return OPENING_BOOST
        return CLOSING_BOOST if minutes_left <= 30 else 1.0

    @property
    def busy_seconds_per_day(self) -> float:
        """Seconds of a day weighted by activity: the expected trades a day per unit rate."""
        day = datetime(2024, 1, 2, tzinfo=self._zone)
        blocks = (day + timedelta(minutes=5 * k) for k in range(288))
        return sum(self.at_local(block) for block in blocks) * BLOCK_NS / NANOS_PER_SECOND
