"""Per-symbol aggregation state beyond the hot base book, and its plain-data snapshot form."""

from __future__ import annotations

from datetime import time
from typing import TypedDict, cast

from market_data_engine.domain.books import BEFORE_ALL, Book, BookState
from market_data_engine.domain.trading_day import DayBoundary


class SymbolSnapshot(TypedDict):
    """One symbol's state as plain data (JSON-safe once tuples become lists)."""

    symbol: str
    day: tuple[str, str]
    books: list[BookState]
    last_emitted: list[int]
    late: list[int]


class SymbolState:
    """A symbol's wider books (slot 1 up; slot 0 is the base), last emitted opens, late counts."""

    __slots__ = ("books", "day", "day_bounds", "last_emitted", "late", "name")

    def __init__(self, name: str, day: DayBoundary, slots: int) -> None:
        self.name = name
        self.day = day
        self.day_bounds = (BEFORE_ALL, BEFORE_ALL)  # cache: the trading day seen last
        self.books = [Book() for _ in range(slots - 1)]
        self.last_emitted = [BEFORE_ALL] * slots
        self.late = [0] * slots

    def day_of(self, ts: int, base_ns: int) -> tuple[int, int]:
        """The trading day holding ``ts``; its ends must fall on base interval boundaries."""
        start, end = self.day_bounds
        if start <= ts < end:
            return start, end
        start, end = self.day.bounds(ts)
        if start % base_ns or end % base_ns:
            raise ValueError(
                f"{self.name}: trading day {start}..{end} does not start and end on a "
                f"{base_ns} ns boundary; choose timeframes whose widths divide the day's offset"
            )
        self.day_bounds = (start, end)
        return start, end

    def snapshot(self, base: Book) -> SymbolSnapshot:
        """This symbol's state, with ``base`` as slot 0."""
        return SymbolSnapshot(
            symbol=self.name,
            day=(self.day.timezone, self.day.at.isoformat()),
            books=[base.state(), *(book.state() for book in self.books)],
            last_emitted=list(self.last_emitted),
            late=list(self.late),
        )

    @classmethod
    def restore(cls, data: SymbolSnapshot, base: Book) -> SymbolState:
        """The state ``snapshot`` saved; loads slot 0 into ``base``."""
        timezone, at = data["day"]
        books = data["books"]
        state = cls(data["symbol"], DayBoundary(timezone, time.fromisoformat(at)), len(books))
        for book, saved in zip([base, *state.books], books, strict=True):
            book.restore(cast(BookState, tuple(saved)))  # JSON gives lists
        state.last_emitted = [int(value) for value in data["last_emitted"]]
        state.late = [int(value) for value in data["late"]]
        return state
