"""One partition's aggregation state: its symbols' candles, the offset it covers, its clock.

Symbols are keyed to partitions, so each partition has its own ``Aggregator`` and can be
saved, restored and handed to another engine on its own.

Live mode closes candles by the clock. To keep a replay after a restart identical to the
first run, that clock is the log's own: each record's Kafka timestamp (when the trade was
published) advances its partition before the trade is applied, whenever the horizon
(time minus grace) enters a new base interval, the only moments ``advance`` can change
anything. A partition that has caught up is also advanced by the injected wall clock, so
candles close when the market goes quiet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from market_data_engine.domain.aggregator import Aggregator
from market_data_engine.domain.candles import Candle
from market_data_engine.pipeline import canonical
from market_data_engine.pipeline.canonical import KnownTrades
from market_data_engine.pipeline.decoding import BadTrade, TradeDecoder
from market_data_engine.pipeline.symbols import SymbolSpec

NANOS_PER_MS = 1_000_000
LastTrade = tuple[int, int, int]
"""(ts_event, price in ticks, size in steps) of a symbol's newest trade."""


class PartitionState:
    """An aggregator for one partition's symbols and the next offset it has not seen."""

    def __init__(
        self,
        aggregator: Aggregator,
        specs: Iterable[SymbolSpec],
        *,
        base_ns: int,
        live: bool,
        next_offset: int | None = None,
        clock_ns: int = 0,
    ) -> None:
        self.aggregator = aggregator
        self.next_offset = next_offset
        self.clock_ns = clock_ns
        self.changed = False
        """True when the state moved since it was last saved."""
        self.saved_at_ns = -(2**62)
        """When the state was last saved (clock ns); long ago when never."""
        self.specs: list[SymbolSpec] = []
        self._index: dict[str, int] = {}
        self._base_ns = base_ns
        self._live = live
        self._due_ms = 0
        self._floor = -(2**63)
        self._late_seen = aggregator.late_counts()
        self._late = False
        # Per symbol index: the newest trade's time and (ticks, steps), what Redis showed last,
        # and the symbols whose forming candles an out-of-order trade changed in this batch.
        self._last_ts: list[int] = []
        self._last_row: list[tuple[int, int]] = []
        self._shown_ts: list[int] = []
        self._older: set[int] = set()
        self._known = KnownTrades()
        for spec in specs:
            self.add(spec)
        if clock_ns:
            self._set_floor(clock_ns)

    def add(self, spec: SymbolSpec) -> int:
        """Register a symbol (idempotent); its index in the aggregator."""
        index = self.aggregator.add_symbol(spec.symbol, spec.session)
        if index == len(self.specs):
            self.specs.append(spec)
            self._last_ts.append(-1)
            self._last_row.append((0, 0))
            self._shown_ts.append(-1)
        self._index[spec.symbol] = index
        return index

    def apply(  # noqa: PLR0912 - the per-trade loop, kept in one frame for speed
        self, records: Iterable[Any], decoder: TradeDecoder, rejected: list[tuple[Any, BadTrade]]
    ) -> int:
        """Fold the records' trades in; bad ones go to ``rejected``. Returns trades applied."""
        on_trade, decode, index = self.aggregator.on_trade, decoder.decode, self._index
        known, headers, fast = self._known.symbols, canonical.HEADERS, canonical.match
        last_ts, last_row = self._last_ts, self._last_row
        next_offset = -1 if self.next_offset is None else self.next_offset
        due = self._due_ms if self._live else 2**63
        applied = 0
        for record in records:
            offset = record.offset
            if offset < next_offset:
                continue  # already in this state (a re-delivery after a restart or a seek)
            next_offset = offset + 1
            if record.timestamp >= due:
                self.advance_to(record.timestamp * NANOS_PER_MS)
                due = self._due_ms
            value = record.value
            found = fast(value) if value and record.headers[:2] == headers else None
            i = -1
            if found is not None:
                ts_text, symbol, price, size = found.groups()
                entry = known.get(symbol)
                if entry is not None:
                    known_ticks = entry[1].get(price)
                    known_steps = entry[2].get(size)
                    if known_ticks is not None and known_steps is not None:
                        i, ts, ticks, steps = entry[0], int(ts_text), known_ticks, known_steps
            if i < 0:
                try:
                    spec, ts, ticks, steps = decode(value, record.headers)
                except BadTrade as bad:
                    rejected.append((record, bad))
                    continue
                i = index.get(spec.symbol, -1)
                if i < 0:
                    i = self.add(spec)
                if found is not None:
                    self._known.learn((symbol, price, size), i, ticks, steps)
            if on_trade(i, ts, ticks, steps):
                self._late = True
            if ts >= last_ts[i]:
                last_ts[i] = ts
                last_row[i] = (ticks, steps)
            else:
                self._older.add(i)
            applied += 1
        if next_offset >= 0 and next_offset != self.next_offset:
            self.next_offset = next_offset
            self.changed = True
        return applied

    def advance_to(self, now_ns: int) -> None:
        """Close what the clock at ``now_ns`` closes (a no-op within the same base interval)."""
        if now_ns <= self.clock_ns:
            return
        self.clock_ns = now_ns
        floor = self._floor
        if self._set_floor(now_ns) > floor:
            self.aggregator.advance(now_ns)
            self.changed = True

    def _set_floor(self, now_ns: int) -> int:
        horizon = now_ns - self.aggregator.grace_ns
        self._floor = horizon - horizon % self._base_ns
        next_due_ns = self._floor + self._base_ns + self.aggregator.grace_ns
        self._due_ms = -(-next_due_ns // NANOS_PER_MS)
        return self._floor

    def take_closed(self) -> list[tuple[SymbolSpec, Candle]]:
        """The candles closed since the last call, with their symbols' specs."""
        closed = self.aggregator.take_closed()
        return [(self.specs[self._index[candle.symbol]], candle) for candle in closed]

    def take_touched(self) -> tuple[list[tuple[int, LastTrade]], set[int]]:
        """Since the last call: (symbol index, newest trade) of each symbol whose newest trade
        moved, and every symbol index a trade touched."""
        moved = []
        for index, ts in enumerate(self._last_ts):
            if ts != self._shown_ts[index]:
                self._shown_ts[index] = ts
                moved.append((index, (ts, *self._last_row[index])))
        touched = self._older | {index for index, _ in moved}
        self._older = set()
        return moved, touched

    def take_late(self) -> list[tuple[str, str, int]]:
        """(symbol, timeframe, count) of trades found late since the last call."""
        if not self._late:
            return []
        self._late = False
        counts = self.aggregator.late_counts()
        news = [(s, tf, n - self._late_seen.get((s, tf), 0)) for (s, tf), n in counts.items()]
        self._late_seen = counts
        return [item for item in news if item[2] > 0]

    def index_of(self, symbol: str) -> int:
        """The aggregator index of a registered symbol."""
        return self._index[symbol]
