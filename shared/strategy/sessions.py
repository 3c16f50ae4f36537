"""Which trading session a bar belongs to, for indicators that restart each session."""

from __future__ import annotations

from shared.instruments import TradingSession

DAY_NS = 86_400_000_000_000


class SessionKeys:
    """Bar open time -> a key that changes when a new session starts.

    The key is the end of the session the bar belongs to (UTC ns): the instrument's
    session close, or the next UTC midnight for an instrument trading around the clock.
    Bars come in time order, so the key is recomputed only when a bar leaves the span
    of the previous one's session.
    """

    __slots__ = ("_end", "_session", "_start")

    def __init__(self, session: TradingSession | None) -> None:
        self._session = session
        self._start = 0
        self._end = 0

    def __call__(self, open_time: int) -> int:
        if self._start <= open_time < self._end:
            return self._end
        session = self._session
        if session is None:
            self._start = open_time - open_time % DAY_NS
            self._end = self._start + DAY_NS
        else:
            self._start = open_time
            self._end = session.next_close_ns(open_time)
        return self._end
