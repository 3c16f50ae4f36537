"""What backfill input files hold and how to read them: kind, column mapping, time format.

The mapping and time options mean what they mean for replay (``feeds``): ``ts=time,price=px``,
timestamps as ``iso``, epoch ``s``/``ms``/``us``/``ns`` or a ``%``-pattern, naive times in
``timezone`` with ``ambiguous`` deciding the repeated hour. Bars may also map ``trades`` and
``vwap``, which replay does not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from market_data_engine.feeds.replay_columns import ColumnMap, ColumnMapError, RecordKind
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.feeds.replay_values import Ambiguous, TimestampParser, to_symbol

BAR_EXTRAS = ("trades", "vwap")
"""Optional bar fields: the bar's trade count and VWAP (else 0 and no VWAP)."""


class InputKind(StrEnum):
    """Trades, or 1-minute bars."""

    TRADES = "trades"
    BARS_1M = "bars1m"


@dataclass(frozen=True)
class InputSpec:
    """How to read the files of one backfill. ``symbol`` replaces any symbol column."""

    kind: InputKind = InputKind.TRADES
    columns: str = ""
    timestamp_format: str = "iso"
    timezone: str = "UTC"
    ambiguous: Ambiguous = Ambiguous.EARLIEST
    symbol: str | None = None
    delimiter: str = ","
    bar_label: str = "open"

    def __post_init__(self) -> None:
        TimestampParser(self.timestamp_format, self.timezone, self.ambiguous)  # validates
        if self.symbol is not None:
            to_symbol(self.symbol)
        if self.bar_label not in ("open", "close"):
            raise ValueError("bar_label must be open or close")
        self.column_maps()  # validates the mapping

    def column_maps(self) -> tuple[ColumnMap, dict[str, str]]:
        """Replay's map of the fields it knows, and the bar extras mapped explicitly."""
        bars = self.kind is InputKind.BARS_1M
        extras: dict[str, str] = {}
        rest: list[str] = []
        for part in filter(None, (p.strip() for p in self.columns.split(","))):
            name, _, column = (s.strip() for s in part.partition("="))
            if bars and name in BAR_EXTRAS:
                if not column:
                    raise ColumnMapError(f"column mapping {part!r}: write field=column")
                extras[name] = column
            else:
                rest.append(part)
        kind = RecordKind.BARS if bars else RecordKind.TRADES
        return ColumnMap.parse(",".join(rest), kind), extras

    def fields(self, path: Path, available: list[str]) -> dict[str, str]:
        """Field -> column for one file; ReplayError names what is missing."""
        column_map, extras = self.column_maps()
        try:
            fields = column_map.resolve(available)
        except KeyError as exc:
            field, column = exc.args
            present = ", ".join(available) or "none"
            reason = f"no such column for {field} (columns: {present})"
            raise ReplayError(path, reason, column=column) from None
        if self.kind is InputKind.BARS_1M:
            for name in BAR_EXTRAS:
                column = extras.get(name, name)
                if column in available:
                    fields[name] = column
                elif name in extras:
                    raise ReplayError(path, f"no such column for {name}", column=column)
        if self.symbol is not None:
            fields.pop("symbol", None)
        elif "symbol" not in fields:
            raise ReplayError(path, "no symbol column: map one (symbol=...) or pass --symbol")
        wanted = {"trades": ("ts", "price", "size", "symbol")}.get(self.kind.value)
        return {k: v for k, v in fields.items() if wanted is None or k in wanted}
