"""The streaming aggregator: the core plus what the engine reads from it and restarts with.

Restart without loss or duplicates: store ``snapshot()`` with the input position it covers,
rebuild with ``Aggregator.from_snapshot`` and replay from that position. Candles published
after the snapshot would come out again; ``mark_published`` with the newest open time the
outputs hold suppresses them (emission is in open-time order per symbol and timeframe).
"""

from __future__ import annotations

from typing import TypedDict

from market_data_engine.domain.books import BEFORE_ALL, Book
from market_data_engine.domain.candles import Candle
from market_data_engine.domain.streaming import StreamingCore
from market_data_engine.domain.symbol_state import SymbolSnapshot, SymbolState


class Snapshot(TypedDict):
    """The aggregator's whole state as plain data."""

    timeframes: list[str]
    grace_ns: int
    symbols: list[SymbolSnapshot]


class Aggregator(StreamingCore):
    """Streaming candles: feed ``on_trade``, call ``advance`` in live mode, ``take_closed``."""

    def take_closed(self) -> list[Candle]:
        """The candles closed since the last call, oldest first per symbol and timeframe."""
        closed, self.closed = self.closed, []
        return closed

    def _slot(self, timeframe: str) -> int:
        if timeframe not in self._names:
            known = ", ".join(tf.name for tf in self.timeframes)
            raise KeyError(f"timeframe {timeframe!r} is not aggregated here ({known})")
        return self._names.index(timeframe)

    def forming(self, index: int, timeframe: str) -> Candle | None:
        """The candle forming now (not final), or None when its interval has no trade yet."""
        slot, base = self._slot(timeframe), self._base[index]
        view = Book()
        if slot == 0:
            view.restore(base.state())
        else:
            view.restore(self._symbols[index].books[slot - 1].state())
            view.merge(base)
        return view.candle(self._symbols[index].name, timeframe) if view.count else None

    def last_emitted(self, index: int, timeframe: str) -> int | None:
        """The open time of the newest candle emitted (or marked published), if any."""
        value = self._symbols[index].last_emitted[self._slot(timeframe)]
        return None if value == BEFORE_ALL else value

    def mark_published(self, index: int, timeframe: str, open_time: int) -> None:
        """Never emit a candle opening at or before ``open_time`` (it is already out)."""
        emitted = self._symbols[index].last_emitted
        slot = self._slot(timeframe)
        emitted[slot] = max(emitted[slot], open_time)

    def late_counts(self) -> dict[tuple[str, str], int]:
        """Late trades so far per (symbol, timeframe), for the metric."""
        return {
            (sym.name, name): count
            for sym in self._symbols
            for name, count in zip(self._names, sym.late, strict=True)
            if name is not None
        }

    def snapshot(self) -> Snapshot:
        """The whole state as plain data; closed candles not yet taken are not part of it."""
        return Snapshot(
            timeframes=[tf.name for tf in self.timeframes],
            grace_ns=self.grace_ns,
            symbols=[sym.snapshot(b) for sym, b in zip(self._symbols, self._base, strict=True)],
        )

    @classmethod
    def from_snapshot(cls, data: Snapshot) -> Aggregator:
        """An aggregator in exactly the state ``snapshot`` saved."""
        aggregator = cls(data["timeframes"], grace_ns=data["grace_ns"])
        for saved in data["symbols"]:
            if len(saved["books"]) != len(aggregator._names):
                raise ValueError(f"{saved['symbol']}: snapshot does not match the timeframes")
            base = Book()
            aggregator._index[saved["symbol"]] = len(aggregator._base)
            aggregator._base.append(base)
            aggregator._symbols.append(SymbolState.restore(saved, base))
        return aggregator
