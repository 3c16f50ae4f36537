"""Feed health as a pure state machine: per symbol, LIVE, STALE or CLOSED at a given time.

CLOSED while the symbol's session is closed (silence is expected). Otherwise STALE when
the time since the last trade -- or since the session opened, or monitoring started, if
later -- exceeds the threshold, else LIVE. ``check(now)`` evaluates every symbol and
returns the changes; ``record`` notes a trade, which turns a STALE symbol LIVE at once.
Times are UTC nanoseconds of one clock (market time for replays).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from market_data_engine.feeds.sessions import SessionCalendar
from shared.instruments import TradingSession
from shared.messages.schemas.feeds import FeedState, FeedStatusChanged

SessionOf = Callable[[str], TradingSession | None]
"""A symbol's trading session; None trades around the clock."""


@dataclass
class SymbolHealth:
    """What the monitor knows of one symbol."""

    symbol: str
    calendar: SessionCalendar
    last_trade_ts: int | None = None
    state: FeedState | None = None


@dataclass(frozen=True)
class StatusChange:
    """A state change and when it was noticed."""

    ts_ns: int
    payload: FeedStatusChanged


class FeedHealth:
    """Per-symbol feed state from trades and the time."""

    def __init__(
        self,
        threshold_ns: int,
        session_of: SessionOf,
        *,
        started_ns: int,
        symbols: Iterable[str] = (),
    ) -> None:
        if threshold_ns <= 0:
            raise ValueError("the stale threshold must be positive")
        self.threshold_ns = threshold_ns
        self._session_of = session_of
        self._started = started_ns
        self.symbols: dict[str, SymbolHealth] = {}
        for symbol in symbols:
            self._watch(symbol)

    def _watch(self, symbol: str) -> SymbolHealth:
        found = self.symbols.get(symbol)
        if found is None:
            found = SymbolHealth(symbol, SessionCalendar(self._session_of(symbol)))
            self.symbols[symbol] = found
        return found

    def record(self, symbol: str, ts_ns: int) -> list[StatusChange]:
        """A trade of ``symbol`` at ``ts_ns``: a STALE symbol becomes LIVE."""
        health = self._watch(symbol)
        if health.last_trade_ts is None or ts_ns > health.last_trade_ts:
            health.last_trade_ts = ts_ns
        if health.state is FeedState.STALE:
            return [self._change(health, FeedState.LIVE, ts_ns)]
        return []

    def check(self, now_ns: int) -> list[StatusChange]:
        """Every symbol's state at ``now_ns``; the changes since the last check."""
        changes = []
        for health in self.symbols.values():
            state = self.state_at(health, now_ns)
            if state is not health.state:
                changes.append(self._change(health, state, now_ns))
        return changes

    def state_at(self, health: SymbolHealth, now_ns: int) -> FeedState:
        """The state the symbol is in at ``now_ns``."""
        if not health.calendar.is_open(now_ns):
            return FeedState.CLOSED
        return (
            FeedState.STALE
            if self.silent_for(health, now_ns) > self.threshold_ns
            else FeedState.LIVE
        )

    def silent_for(self, health: SymbolHealth, now_ns: int) -> int:
        """Nanoseconds without a trade that count: since the last trade, open or start."""
        since = self._started
        if health.last_trade_ts is not None:
            since = max(since, health.last_trade_ts)
        opened = health.calendar.opened_at_ns(now_ns)
        if opened is not None:
            since = max(since, opened)
        return max(now_ns - since, 0)

    def _change(self, health: SymbolHealth, state: FeedState, now_ns: int) -> StatusChange:
        payload = FeedStatusChanged(
            symbol=health.symbol,
            state=state,
            previous_state=health.state,
            last_trade_ts=health.last_trade_ts,
            silent_for_ns=self.silent_for(health, now_ns),
            threshold_ns=self.threshold_ns,
        )
        health.state = state
        return StatusChange(now_ns, payload)
