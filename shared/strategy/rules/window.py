"""The trading window: parsing it, and whether an instant is inside (DST-aware, cached)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.strategy.rules import reader
from shared.strategy.rules.errors import RuleError
from shared.strategy.rules.ruleset import Window

NS = 1_000_000_000
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


class WindowClock:
    """``inside(ts_ns)``: true when ``ts_ns`` lies in an open window (start <= t < end).

    A window opens on each of its days at ``start`` local time and closes at the next
    ``end`` (the next day when ``end`` <= ``start``); both instants are found with the
    zone's rules on that date, so a window stays 08:30-15:00 local across DST changes.
    The answer holds until the next open or close instant, so consecutive bars cost a
    comparison.
    """

    __slots__ = ("_from", "_inside", "_until", "window", "zone")

    def __init__(self, window: Window) -> None:
        self.window = window
        self.zone = ZoneInfo(window.timezone)
        self._from, self._until, self._inside = 0, 0, False

    def inside(self, ts_ns: int) -> bool:
        """True if entries are allowed at ``ts_ns``."""
        if not self._from <= ts_ns < self._until:
            self._locate(ts_ns)
        return self._inside

    def _locate(self, ts_ns: int) -> None:
        today = datetime.fromtimestamp(ts_ns // NS, self.zone).date()
        spans = [self._span(today + timedelta(days=offset)) for offset in (-1, 0, 1)]
        self._inside = any(on and start <= ts_ns < end for start, end, on in spans)
        edges = [edge for start, end, _ in spans for edge in (start, end)]
        self._from = max(edge for edge in edges if edge <= ts_ns)
        self._until = min(edge for edge in edges if edge > ts_ns)

    def _span(self, day: date) -> tuple[int, int, bool]:
        """The window opening on ``day``: open and close instants, and whether it is used."""
        window = self.window
        opens = datetime.combine(day, window.start, self.zone)
        closes_on = day if window.end > window.start else day + timedelta(days=1)
        closes = datetime.combine(closes_on, window.end, self.zone)
        return (
            int(opens.timestamp()) * NS,
            int(closes.timestamp()) * NS,
            day.weekday() in window.days,
        )


def parse_window(data: object, path: str) -> Window:
    """``{"start": "08:30", "end": "15:00", "timezone": "America/Chicago", "days": [...],
    "flatten": true}``."""
    spec = reader.obj(data, path, ("start", "end"), ("timezone", "days", "flatten"))
    start, end = (_clock(spec[k], reader.at(path, k)) for k in ("start", "end"))
    if start == end:
        raise RuleError(path, "start and end are the same time")
    zone = reader.text(spec.get("timezone", "UTC"), reader.at(path, "timezone"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory, a long name
        raise RuleError(reader.at(path, "timezone"), f"unknown time zone {zone!r}") from None
    days = tuple(range(7))
    if "days" in spec:
        sub = reader.at(path, "days")
        named = [
            reader.text(d, reader.item(sub, i))
            for i, d in enumerate(reader.seq(spec["days"], sub, least=1))
        ]
        for i, day in enumerate(named):
            if day not in DAYS:
                raise RuleError(
                    reader.item(sub, i), f"unknown day {day!r} (known: {', '.join(DAYS)})"
                )
            if day in named[:i]:
                raise RuleError(reader.item(sub, i), f"{day!r} is listed twice")
        days = tuple(sorted(DAYS.index(d) for d in named))
    flatten = reader.flag(spec.get("flatten", False), reader.at(path, "flatten"))
    return Window(start, end, zone, days, flatten)


def _clock(data: object, path: str) -> time:
    value = reader.text(data, path)
    match = _CLOCK.match(value)
    if match is None:
        raise RuleError(path, f"{value!r} is not a time of day as HH:MM (00:00 to 23:59)")
    return time(int(match[1]), int(match[2]))
