"""Turning one mapped row into trades: parse each field, check it, and say which one failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from market_data_engine.feeds.base import FeedTrade
from market_data_engine.feeds.replay_bars import bar_trades
from market_data_engine.feeds.replay_columns import ColumnMap, RecordKind
from market_data_engine.feeds.replay_values import (
    Ambiguous,
    TimestampParser,
    to_decimal,
    to_positive,
    to_side,
    to_symbol,
    to_trade_id,
)
from shared.clock import NANOS_PER_SECOND
from shared.instruments import InstrumentRegistry
from shared.messages.schemas.marketdata import AggressorSide

T = TypeVar("T")


@dataclass(frozen=True)
class ReplayOptions:
    """How to read replay files.

    ``timestamp_format``: s, ms, us, ns (epoch), iso, or a strptime pattern; ``timezone``
    applies to naive times. ``symbol`` replaces any symbol column. Bars are labelled by
    their open time unless ``bar_label`` is ``close``. With ``instruments`` every symbol must
    be known and every price on its tick grid. ``skip_bad_rows`` counts bad rows instead
    of stopping at the first.
    """

    columns: ColumnMap = field(default_factory=ColumnMap)
    timestamp_format: str = "iso"
    timezone: str = "UTC"
    ambiguous: Ambiguous = Ambiguous.EARLIEST
    symbol: str | None = None
    skip_bad_rows: bool = False
    delimiter: str = ","
    bar_width_ns: int = 60 * NANOS_PER_SECOND
    bar_label: str = "open"
    instruments: InstrumentRegistry | None = None

    def __post_init__(self) -> None:
        TimestampParser(self.timestamp_format, self.timezone, self.ambiguous)  # validates
        if self.symbol is not None:
            to_symbol(self.symbol)
        if self.bar_width_ns <= 0 or self.bar_label not in ("open", "close"):
            raise ValueError("bar_width_ns must be positive and bar_label open or close")


class RowError(ValueError):
    """A bad value in one field of a row."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


class RowConverter:
    """Mapped raw values -> trades, for the fields (field -> column) one file provides."""

    def __init__(
        self, options: ReplayOptions, fields: dict[str, str], timestamp_format: str | None
    ) -> None:
        self.options = options
        self.fields = fields
        fmt = timestamp_format or options.timestamp_format
        self._timestamp = TimestampParser(fmt, options.timezone, options.ambiguous)
        self._bars = options.columns.kind is RecordKind.BARS

    def _field(self, values: dict[str, object], name: str, parse: Callable[[object], T]) -> T:
        try:
            return parse(values[name])
        except ValueError as exc:
            raise RowError(self.fields[name], str(exc)) from None

    def convert(self, values: dict[str, object]) -> list[FeedTrade]:
        """The row's trades (a bar gives several); RowError names the bad column."""
        ts = self._field(values, "ts", self._timestamp)
        symbol = self.options.symbol or self._field(values, "symbol", to_symbol)
        if self._bars:
            return self._bar(values, symbol, ts)
        price = self._price(values, "price", symbol)
        size = self._field(values, "size", to_positive)
        side = AggressorSide.NONE
        if "side" in self.fields:
            side = self._field(values, "side", to_side)
        trade_id = self._field(values, "id", to_trade_id) if "id" in self.fields else None
        return [FeedTrade(symbol, ts, price, size, side, trade_id)]

    def _bar(self, values: dict[str, object], symbol: str, ts: int) -> list[FeedTrade]:
        prices = [self._price(values, name, symbol) for name in ("open", "high", "low", "close")]
        volume = self._field(values, "volume", to_positive)
        width = self.options.bar_width_ns
        start = ts - width if self.options.bar_label == "close" else ts
        try:
            return bar_trades(
                symbol, start, width, (prices[0], prices[1], prices[2], prices[3]), volume
            )
        except ValueError as exc:
            column = "volume" if "volume" in str(exc) else "high" if "high" in str(exc) else "low"
            raise RowError(self.fields[column], str(exc)) from None

    def _price(self, values: dict[str, object], name: str, symbol: str) -> Decimal:
        price = self._field(values, name, to_decimal)
        registry = self.options.instruments
        if registry is not None:
            instrument = registry.find(symbol)
            if instrument is None:
                raise RowError(
                    self.fields.get("symbol", "symbol"), f"unknown instrument {symbol!r}"
                )
            if not instrument.is_on_tick(price):
                reason = f"{price} is not on {symbol}'s {instrument.tick_size} tick grid"
                raise RowError(self.fields[name], reason)
        return price
