"""Reading field values from replay files: timestamps in any format and zone, numbers, sides.

Each parser raises ``ValueError`` with a message fit to follow "file line N, column C: ".
Naive local times take the configured zone; a time that daylight saving skips is an error,
and one it repeats resolves to the earlier (``earliest``) or later (``latest``) instant, or
is an error (``raise``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns
from shared.messages.schemas.marketdata import AggressorSide

EPOCH_SCALES = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
WALL_NS = "wall_ns"  # naive epoch-like nanoseconds of local wall time (Arrow naive timestamps)
_FRACTION = re.compile(r"^(.*?\d{2}:\d{2}:\d{2})\.(\d+)(.*)$")
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:-]{0,31}$")
_SIDES = {
    **dict.fromkeys(("BUY", "B", "BOT", "1", "+1"), AggressorSide.BUY),
    **dict.fromkeys(("SELL", "S", "SLD", "-1"), AggressorSide.SELL),
    **dict.fromkeys(("", "NONE", "N", "0"), AggressorSide.NONE),
}


class Ambiguous(StrEnum):
    """How to read a local time that occurs twice when daylight saving ends."""

    EARLIEST = "earliest"
    LATEST = "latest"
    RAISE = "raise"


def localize(naive: datetime, zone: ZoneInfo, ambiguous: Ambiguous) -> datetime:
    """A naive local time as an aware datetime in ``zone``."""
    earliest, latest = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if earliest.utcoffset() == latest.utcoffset():
        return earliest
    if earliest.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive} does not exist in {zone.key} (skipped by daylight saving)")
    if ambiguous is Ambiguous.RAISE:
        raise ValueError(f"{naive} is ambiguous in {zone.key} (daylight saving ends)")
    return earliest if ambiguous is Ambiguous.EARLIEST else latest


class TimestampParser:
    """Values to UTC nanoseconds; ``fmt`` is s, ms, us, ns (epoch), iso, or a strptime pattern."""

    def __init__(
        self, fmt: str, timezone: str = "UTC", ambiguous: Ambiguous = Ambiguous.EARLIEST
    ) -> None:
        if fmt not in EPOCH_SCALES and fmt not in ("iso", WALL_NS) and "%" not in fmt:
            raise ValueError(f"timestamp format {fmt!r}: use s, ms, us, ns, iso or a %-pattern")
        self.fmt = fmt
        self.zone = ZoneInfo(timezone)
        self.ambiguous = Ambiguous(ambiguous)

    def __call__(self, value: object) -> int:
        if isinstance(value, bool) or value is None or value == "":
            raise ValueError(f"{value!r} is not a timestamp")
        if self.fmt in EPOCH_SCALES:
            return self._epoch(value, EPOCH_SCALES[self.fmt])
        if self.fmt == WALL_NS and isinstance(value, int):
            seconds, nanos = divmod(value, 10**9)
            naive = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
            return self._aware_ns(naive) + nanos
        if isinstance(value, datetime):
            return self._aware_ns(value)
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a {self.fmt} timestamp")
        text = value.strip()
        if self.fmt == "iso":
            return self._iso(text)
        try:
            return self._aware_ns(datetime.strptime(text, self.fmt))
        except ValueError as exc:
            raise ValueError(f"{value!r} does not match {self.fmt!r} ({exc})") from None

    def _epoch(self, value: object, scale: int) -> int:
        if isinstance(value, int):
            return value * scale
        number = to_decimal(value)
        return int((number * scale).to_integral_value(ROUND_FLOOR))

    def _iso(self, text: str) -> int:
        nanos = 0
        match = _FRACTION.match(text)
        if match:  # datetime keeps microseconds only: take the fraction apart
            text = match.group(1) + match.group(3)
            nanos = int(match.group(2)[:9].ljust(9, "0"))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not an ISO 8601 timestamp") from None
        return self._aware_ns(parsed) + nanos

    def _aware_ns(self, value: datetime) -> int:
        if value.tzinfo is None:
            value = localize(value, self.zone, self.ambiguous)
        return datetime_to_ns(value)


def to_decimal(value: object) -> Decimal:
    """A finite Decimal from a numeric string, int, float or Decimal."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))  # the shortest decimal that reads back as value
        elif isinstance(value, str):
            number = Decimal(value.strip())
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        else:
            raise ValueError(f"{value!r} is not a number")
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def to_positive(value: object) -> Decimal:
    """A Decimal greater than zero."""
    number = to_decimal(value)
    if number <= 0:
        raise ValueError(f"{value!r} is not positive")
    return number


def to_side(value: object) -> AggressorSide:
    """BUY/B/BOT/1, SELL/S/SLD/-1, or NONE/N/0/empty (any case)."""
    key = "" if value is None else str(value).strip().upper()
    try:
        return _SIDES[key]
    except KeyError:
        raise ValueError(f"{value!r} is not an aggressor side (BUY, SELL or NONE)") from None


def to_symbol(value: object) -> str:
    """A symbol as the message schemas accept it."""
    text = "" if value is None else str(value).strip()
    if not _SYMBOL.match(text):
        raise ValueError(f"{value!r} is not a symbol (letters, digits, ._/:- up to 32)")
    return text


def to_trade_id(value: object) -> str | None:
    """A venue trade id of at most 64 characters, or None when empty."""
    text = "" if value is None else str(value).strip()
    if len(text) > 64:
        raise ValueError(f"trade id {text[:20]!r}... is longer than 64 characters")
    return text or None
