"""One chunk of rows into candles of every timeframe, per symbol (pure).

Trades go through the batch aggregation core; 1-minute bars are merged into the wider
timeframes the way the core merges candles. Prices become integer ticks and sizes integer
quantity steps first, so every field is exact. Input must be sorted by time per symbol.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np

from market_data_engine.backfill.arrow import Array
from market_data_engine.backfill.decode import MINUTE_NS, Rows
from market_data_engine.backfill.merge import merge_bars
from market_data_engine.backfill.spec import InputKind, InputSpec
from market_data_engine.domain.batch import CandleColumns, aggregate
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.queries.catalog import Catalog, UnknownSymbol
from shared.instruments import Instrument

SymbolCandles = tuple[str, str, CandleColumns]


class ChunkError(ValueError):
    """A bad row, by its index in the chunk."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index, self.reason = index, reason


def whole_steps(values: Array, step: Decimal, what: str) -> Array:
    """Values as whole numbers of ``step``; ChunkError at the first that is not one."""
    quotient = values / float(step)
    steps = np.rint(quotient)
    off = np.abs(quotient - steps) > 1e-6 + np.abs(quotient) * 1e-13
    if np.any(off):
        index = int(np.flatnonzero(off)[0])
        raise ChunkError(index, f"{what} {float(values[index])!r} is not a multiple of {step}")
    grid: Array = steps.astype(np.int64)
    return grid


def _trades(
    rows: Rows, at: Array, instrument: Instrument, timeframes: Sequence[str]
) -> dict[str, CandleColumns]:
    price = whole_steps(rows.numbers["price"][at], instrument.tick_size, "price")
    size = whole_steps(rows.numbers["size"][at], instrument.quantity_step, "size")
    if np.any(size <= 0):
        raise ChunkError(int(np.flatnonzero(size <= 0)[0]), "size must be positive")
    return aggregate(rows.ts[at], price, size, timeframes, instrument.session)


def _bars(
    rows: Rows, at: Array, instrument: Instrument, timeframes: Sequence[str]
) -> dict[str, CandleColumns]:
    ts = rows.ts[at]
    if np.any(ts % MINUTE_NS):
        raise ChunkError(
            int(np.flatnonzero(ts % MINUTE_NS)[0]), "a 1-minute bar must open on a whole minute"
        )
    o, h, lo, c = (
        whole_steps(rows.numbers[f][at], instrument.tick_size, f)
        for f in ("open", "high", "low", "close")
    )
    bad = (h < np.maximum(o, c)) | (lo > np.minimum(o, c))
    if np.any(bad):
        raise ChunkError(int(np.flatnonzero(bad)[0]), "high below open or close, or low above them")
    volume = whole_steps(rows.numbers["volume"][at], instrument.quantity_step, "volume")
    trades = rows.trades[at] if rows.trades is not None else np.zeros(len(ts), np.int64)
    if "vwap" in rows.numbers:
        turnover = rows.numbers["vwap"][at] / float(instrument.tick_size) * volume
    else:
        turnover = np.full(len(ts), np.nan)
    bars = CandleColumns(ts, ts + MINUTE_NS, o, h, lo, c, volume, trades, turnover)
    return merge_bars(bars, timeframes, instrument.session)


def _groups(rows: Rows, spec: InputSpec) -> Iterator[tuple[str, Array]]:
    """Each symbol and the indexes of its rows, in row order."""
    if rows.symbols is None:
        assert spec.symbol is not None
        yield spec.symbol, np.arange(len(rows.ts))
        return
    names, inverse = np.unique(rows.symbols, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(names) + 1))
    for k, name in enumerate(names.tolist()):
        yield str(name), order[bounds[k] : bounds[k + 1]]


def _blame(path: Path, rows: Rows, at: Array, index: int, reason: str) -> ReplayError:
    return ReplayError(path, reason, row=f"row {rows.first_row + int(at[index])}")


class CandleMaker:
    """Chunks of rows into candles per symbol and timeframe.

    ``last_ts`` holds each symbol's newest time so far: input that steps back in time is
    refused, also across chunks and files.
    """

    def __init__(
        self,
        spec: InputSpec,
        catalog: Catalog,
        timeframes: Sequence[str],
        last_ts: dict[str, int] | None = None,
    ) -> None:
        self.spec = spec
        self.catalog = catalog
        self.timeframes = tuple(timeframes)
        self.last_ts = dict(last_ts or {})

    def make(self, rows: Rows, path: Path) -> list[SymbolCandles]:
        """Candles of one chunk; ReplayError names the row of a bad value or unknown symbol."""
        result: list[SymbolCandles] = []
        for symbol, at in _groups(rows, self.spec):
            try:
                instrument = self.catalog.instrument(symbol)
            except UnknownSymbol as exc:
                raise _blame(path, rows, at, 0, str(exc)) from None
            ts = rows.ts[at]
            bars = self.spec.kind is InputKind.BARS_1M  # one bar per minute: strictly rising
            steps = np.diff(ts, prepend=self.last_ts.get(symbol, ts[0] - bars))
            back = np.flatnonzero(steps <= 0 if bars else steps < 0)
            if len(back):
                reason = f"{symbol} goes back in time (or repeats a bar): sort the input by time"
                raise _blame(path, rows, at, int(back[0]), reason)
            try:
                make = _trades if self.spec.kind is InputKind.TRADES else _bars
                by_timeframe = make(rows, at, instrument, self.timeframes)
            except ChunkError as exc:
                raise _blame(path, rows, at, exc.index, exc.reason) from None
            self.last_ts[symbol] = int(ts[-1])
            result.extend((symbol, tf, columns) for tf, columns in by_timeframe.items())
        return result
