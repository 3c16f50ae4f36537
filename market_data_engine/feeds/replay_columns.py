"""Which file column holds which field of a trade or a bar.

Written on the command line as ``ts=timestamp,price=px,size=qty``. A field not mapped is
looked for under its own name; optional fields (side, symbol, id) are used only when the
file has them, while a column mapped explicitly must exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class RecordKind(StrEnum):
    """What the rows of a replay file are."""

    TRADES = "trades"
    BARS = "bars"


REQUIRED: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.TRADES: ("ts", "price", "size"),
    RecordKind.BARS: ("ts", "open", "high", "low", "close", "volume"),
}
OPTIONAL: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.TRADES: ("side", "symbol", "id"),
    RecordKind.BARS: ("symbol",),
}


class ColumnMapError(ValueError):
    """A column mapping that names unknown fields or is malformed."""


@dataclass(frozen=True)
class ColumnMap:
    """Field name -> column name, for one kind of record."""

    kind: RecordKind = RecordKind.TRADES
    columns: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        known = REQUIRED[self.kind] + OPTIONAL[self.kind]
        unknown = sorted(set(self.columns) - set(known))
        if unknown:
            raise ColumnMapError(
                f"unknown {self.kind} field(s) {', '.join(unknown)}; fields: {', '.join(known)}"
            )

    @classmethod
    def parse(cls, text: str, kind: RecordKind = RecordKind.TRADES) -> ColumnMap:
        """``"ts=timestamp,price=px"`` -> a map; empty text maps every field to its own name."""
        columns: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, sep, column = (s.strip() for s in part.partition("="))
            if not sep or not name or not column:
                raise ColumnMapError(f"column mapping {part!r}: write field=column, e.g. ts=time")
            if name in columns:
                raise ColumnMapError(f"column mapping: field {name!r} is mapped twice")
            columns[name] = column
        return cls(kind, columns)

    def resolve(self, available: list[str]) -> dict[str, str]:
        """The fields this file provides -> their columns; missing required ones raise.

        Raises ``KeyError`` with (field, column) when a needed column is absent.
        """
        present = set(available)
        chosen: dict[str, str] = {}
        for name in REQUIRED[self.kind] + OPTIONAL[self.kind]:
            column = self.columns.get(name, name)
            if column in present:
                chosen[name] = column
            elif name in self.columns or name in REQUIRED[self.kind]:
                raise KeyError(name, column)
        return chosen
