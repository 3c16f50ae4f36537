"""Contiguous offset tracking for one partition: commit only what is done without gaps."""

from __future__ import annotations

import heapq


class OffsetTracker:
    """Which offsets of one partition are in flight, and which offset may be committed.

    ``track`` an offset when its record is received, ``done`` it when its work is durable.
    ``committable`` is the offset to commit (Kafka commits the *next* offset to read): the
    lowest offset still in flight, or one past the highest tracked offset when none is.
    Completion may happen in any order; offsets need not be consecutive (compaction and
    transaction markers leave gaps). The committable offset never goes backwards: offsets
    below it count as done, so tracking one again changes nothing.
    """

    def __init__(self) -> None:
        self._pending: set[int] = set()
        self._heap: list[int] = []
        self._high = -1
        self._floor: int | None = None

    def track(self, offset: int) -> None:
        """Note a received record; tracking an offset twice is harmless."""
        if offset < 0:
            raise ValueError(f"offset {offset} is negative")
        if self._floor is not None and offset < self._floor:
            return
        if offset not in self._pending:
            self._pending.add(offset)
            heapq.heappush(self._heap, offset)
        self._high = max(self._high, offset)
        self._advance()

    def done(self, offset: int) -> None:
        """Note that a tracked record's work is durable."""
        if offset in self._pending:
            self._pending.remove(offset)
            self._advance()
        elif self._floor is None or offset >= self._floor:
            raise ValueError(f"offset {offset} was never tracked")

    def committable(self) -> int | None:
        """The offset to commit now, or None if nothing was ever tracked."""
        return self._floor

    @property
    def in_flight(self) -> int:
        """How many tracked offsets are not done yet."""
        return len(self._pending)

    def _advance(self) -> None:
        while self._heap and self._heap[0] not in self._pending:
            heapq.heappop(self._heap)
        lowest_open = self._heap[0] if self._heap else self._high + 1
        self._floor = lowest_open if self._floor is None else max(self._floor, lowest_open)
