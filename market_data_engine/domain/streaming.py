"""The streaming aggregation core: candles for many symbols and timeframes, trade by trade.

Event time decides. A candle closes when a trade of a later interval arrives, or when
``advance(now)`` passes its close plus the grace; either way it is final. Per timeframe, a
trade older than the forming candle's interval (or than an interval the clock has closed)
is late: counted, never folded in. Out-of-order trades inside the forming interval update
it. No trades, no candle. Closed candles appear in ``closed``, in order per symbol and
timeframe.

Only the base book (the narrowest interval, normally 1m) sees every trade; a wider candle is
the merge of the base candles it holds, folded in when each base candle closes. So one
trade costs one book update whatever the number of timeframes.
"""

from __future__ import annotations

from collections.abc import Iterable

from market_data_engine.domain.books import Book
from market_data_engine.domain.candles import Candle
from market_data_engine.domain.symbol_state import SymbolState
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES, base_width_ns
from market_data_engine.domain.timeframes import parse_timeframes as _parse
from market_data_engine.domain.trading_day import DayBoundary
from shared.instruments import TradingSession


class StreamingCore:
    """Forming candles per symbol (by index, see ``add_symbol``) and timeframe."""

    def __init__(self, timeframes: Iterable[str] = DEFAULT_TIMEFRAMES, grace_ns: int = 0) -> None:
        self.timeframes = _parse(timeframes)
        self.grace_ns = grace_ns
        self._base_ns = base = base_width_ns(self.timeframes)
        first = self.timeframes[0]
        named = not first.daily and first.width_ns == base
        self._wider = self.timeframes[1:] if named else self.timeframes
        # Slot 0 is the base; it has no name when no configured timeframe is that narrow.
        self._names = (first.name if named else None, *(tf.name for tf in self._wider))
        self._base: list[Book] = []
        self._symbols: list[SymbolState] = []
        self._index: dict[str, int] = {}
        self.closed: list[Candle] = []
        """Closed candles not yet taken (see ``take_closed``)."""

    def add_symbol(self, symbol: str, session: TradingSession | None = None) -> int:
        """Register a symbol (idempotent); returns the index ``on_trade`` takes."""
        if symbol not in self._index:
            day = DayBoundary.for_session(session)
            self._index[symbol] = len(self._base)
            self._base.append(Book())
            self._symbols.append(SymbolState(symbol, day, len(self._names)))
        return self._index[symbol]

    def index_of(self, symbol: str) -> int:
        """The index of a registered symbol; KeyError otherwise."""
        return self._index[symbol]

    def on_trade(self, index: int, ts: int, price: float, size: float) -> int:
        """Fold one trade in; returns on how many timeframes it was late (0: none).

        Prices and sizes are plain numbers: integer ticks and steps keep every field exact.
        The caller has checked them (finite, size > 0, on the grid).
        """
        b = self._base[index]
        if b.start <= ts < b.end:  # the hot path: same base interval as the last trade
            if price > b.high:
                b.high = price
            elif price < b.low:
                b.low = price
            if ts >= b.last_ts:
                b.close = price
                b.last_ts = ts
            elif ts < b.first_ts:
                b.open = price
                b.first_ts = ts
            b.volume += size
            b.count += 1
            b.turnover += price * size
            return 0
        if ts >= b.end:
            self._roll(index, ts, price, size)
            return 0
        return self._late(index, ts, price, size)

    def _roll(self, index: int, ts: int, price: float, size: float) -> None:
        """A trade of a later base interval: close what it ends, start a new base book."""
        sym, b, base = self._symbols[index], self._base[index], self._base_ns
        if b.count:
            self._close_base(sym, b)
        for slot, book in enumerate(sym.books, 1):
            if ts >= book.end:
                if book.count:
                    self._emit(sym, slot, book)
                book.reset(*self._bucket(sym, slot, ts))
        start = ts - ts % base
        b.reset(start, start + base)
        b.begin(ts, price, size)

    def _late(self, index: int, ts: int, price: float, size: float) -> int:
        """Older than the base book: still in a wider forming candle, or late there too."""
        sym = self._symbols[index]
        late = 0
        if self._names[0] is not None:
            sym.late[0] += 1
            late = 1
        for slot, book in enumerate(sym.books, 1):
            if book.start <= ts < book.end:
                book.add(ts, price, size)
            else:
                sym.late[slot] += 1
                late += 1
        return late

    def advance(self, now_ns: int) -> None:
        """Close every candle whose end plus the grace is at or before ``now_ns``."""
        horizon = now_ns - self.grace_ns
        floor = horizon - horizon % self._base_ns
        for index, b in enumerate(self._base):
            if b.end > horizon or (not b.count and b.end >= floor):
                continue  # nothing is due, or the clock already closed all that is
            sym = self._symbols[index]
            if b.count:
                self._close_base(sym, b)
            start = max(b.end, floor)
            b.reset(start, start)
            for slot, book in enumerate(sym.books, 1):
                if book.count and book.end > horizon:
                    continue
                if book.count:
                    self._emit(sym, slot, book)
                # The interval holding the horizon is still open: a trade older than the new
                # base floor can start this timeframe's candle there (see ``_late``).
                start, end = self._bucket(sym, slot, horizon)
                if end > book.end:
                    book.reset(start, end)

    def flush(self) -> None:
        """Close every forming candle, as at the end of a replay."""
        for sym, b in zip(self._symbols, self._base, strict=True):
            if b.count:
                self._close_base(sym, b)
                b.reset(b.end, b.end)
            for slot, book in enumerate(sym.books, 1):
                if book.count:
                    self._emit(sym, slot, book)
                    book.reset(book.end, book.end)

    def _close_base(self, sym: SymbolState, b: Book) -> None:
        for book in sym.books:
            book.merge(b)
        if self._names[0] is not None:
            self._emit(sym, 0, b)
        b.count = 0

    def _emit(self, sym: SymbolState, slot: int, book: Book) -> None:
        if book.start > sym.last_emitted[slot]:  # else published before a restart
            self.closed.append(book.candle(sym.name, self._names[slot] or ""))
            sym.last_emitted[slot] = book.start
        book.count = 0

    def _bucket(self, sym: SymbolState, slot: int, ts: int) -> tuple[int, int]:
        timeframe = self._wider[slot - 1]
        if timeframe.daily:
            return sym.day_of(ts, self._base_ns)
        start = ts - ts % timeframe.width_ns
        return start, start + timeframe.width_ns
