"""Speed: when a trade of a given event time is due on the wall clock.

Speed 1 is real time, N is N times faster, 0 is as fast as possible. At speed > 0 the
event time ``origin`` is due at the moment pacing starts, and every later event time after
``(event - origin) / speed``. ``max_pause_s`` caps the wait before any one trade (a weekend
in a replay at speed 1), shifting the rest of the schedule earlier by what it skipped.
"""

from __future__ import annotations

import math

from shared.clock import NANOS_PER_SECOND

MAX_WORDS = {"max", "fast", "asap"}


def parse_speed(text: str | float) -> float:
    """``"max"`` or ``"0"`` -> 0 (as fast as possible); ``"1"``, ``"x10"``, ``"10x"`` -> N."""
    if isinstance(text, int | float):
        value = float(text)
    else:
        word = text.strip().lower()
        if word in MAX_WORDS:
            return 0.0
        try:
            value = float(word.removeprefix("x").removesuffix("x"))
        except ValueError:
            raise ValueError(
                f"speed {text!r}: use a number (1 = real time, 10 = x10) or 'max'"
            ) from None
    if not 0 <= value < math.inf:  # also refuses NaN
        raise ValueError(f"speed {text!r} must be 0 (max) or a positive number")
    return value


class Schedule:
    """The mapping from event time to wall time of one paced run (pure; times in ns)."""

    def __init__(
        self, speed: float, max_pause_s: float | None = None, origin_ns: int | None = None
    ) -> None:
        if speed < 0:
            raise ValueError("speed cannot be negative")
        if max_pause_s is not None and max_pause_s < 0:
            raise ValueError("max_pause_s cannot be negative")
        self.speed = speed
        self._max_pause_ns = None if max_pause_s is None else int(max_pause_s * NANOS_PER_SECOND)
        self._event0: int | None = None
        self._wall0 = 0
        self._last_event: int | None = None
        self._origin = origin_ns  # the market time before the schedule starts

    @property
    def started(self) -> bool:
        return self._event0 is not None

    def start(self, event_ns: int, wall_ns: int) -> None:
        """Event time ``event_ns`` is due at wall time ``wall_ns``."""
        self._event0 = event_ns
        self._wall0 = wall_ns

    def due_ns(self, event_ns: int) -> int:
        """The wall time at which an event time is due."""
        if self._event0 is None:
            raise RuntimeError("schedule not started")
        if self.speed == 0:
            return self._wall0
        return self._wall0 + round((event_ns - self._event0) / self.speed)

    def wait_ns(self, event_ns: int, wall_now_ns: int) -> int:
        """How long to wait from ``wall_now_ns`` until an event is due (0 if it is due).

        Starts the schedule at the first event when it was not started explicitly.
        """
        if self._event0 is None:
            self.start(event_ns, wall_now_ns)
        self._last_event = event_ns
        if self.speed == 0:
            return 0
        wait = self.due_ns(event_ns) - wall_now_ns
        if self._max_pause_ns is not None and wait > self._max_pause_ns:
            self._wall0 -= wait - self._max_pause_ns
            wait = self._max_pause_ns
        return max(wait, 0)

    def market_ns(self, wall_now_ns: int) -> int:
        """The event time the market is at now: scheduled time, or the last event at max speed.

        Before the start it is the origin given, else the wall clock.
        """
        if self._event0 is None:
            return wall_now_ns if self._origin is None else self._origin
        if self.speed == 0:
            return self._last_event if self._last_event is not None else self._event0
        return self._event0 + round((wall_now_ns - self._wall0) * self.speed)
