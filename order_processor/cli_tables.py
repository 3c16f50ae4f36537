"""Tables of the API's orders, positions and account summary, for people to read.

Each column names the fields that may hold it (the first present wins); a column none of
the rows has is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.cli.output import table
from shared.clock import ns_to_iso

Column = tuple[str, tuple[str, ...]]

ORDER_COLUMNS: tuple[Column, ...] = (
    ("ORDER", ("order_id",)),
    ("CLIENT ORDER ID", ("client_order_id",)),
    ("SYMBOL", ("symbol",)),
    ("SIDE", ("side",)),
    ("TYPE", ("order_type", "type")),
    ("QTY", ("quantity",)),
    ("FILLED", ("filled_quantity", "cum_quantity")),
    ("AVG PRICE", ("avg_fill_price", "average_fill_price", "avg_price")),
    ("LIMIT", ("limit_price",)),
    ("STOP", ("stop_price",)),
    ("TIF", ("time_in_force",)),
    ("STATUS", ("status",)),
    ("CREATED", ("created_ns", "created_at", "ts_created")),
)
POSITION_COLUMNS: tuple[Column, ...] = (
    ("SYMBOL", ("symbol",)),
    ("SIDE", ("side",)),
    ("QTY", ("quantity",)),
    ("AVG ENTRY", ("avg_entry_price", "average_entry_price", "avg_price", "entry_price")),
    ("MARK", ("mark_price", "last_price")),
    ("REALIZED", ("realized_pnl",)),
    ("UNREALIZED", ("unrealized_pnl",)),
    ("COMMISSIONS", ("commissions", "commission")),
    ("STATUS", ("status", "state")),
    ("OPENED", ("opened_ns", "opened_at", "open_ns")),
)


def cell(key: str, value: Any) -> str:
    """One value as text: ``-`` for none, UTC times for ``*_ns`` integers."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key.endswith("_ns") and isinstance(value, int):
        return ns_to_iso(value)[:19] + "Z"
    return str(value)


def _field(row: dict[str, Any], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in row), None)


def rows_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """The rows under the columns some row has."""
    present = [(title, names) for title, names in columns if any(_field(r, names) for r in rows)]
    body = []
    for row in rows:
        cells = []
        for _, names in present:
            key = _field(row, names)
            cells.append("-" if key is None else cell(key, row[key]))
        body.append(cells)
    return table([title for title, _ in present], body)


def _item(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    return " ".join(cell(k, v) for k, v in value.items() if v is not None and not k.endswith("_ns"))


def flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, value) of every field in nested objects, in order; a ``*_ns`` twin of
    a field that is there too (``as_of_ns`` beside ``as_of``) is left out."""
    pairs: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key.endswith("_ns") and key.removesuffix("_ns") in data:
            continue
        if isinstance(value, dict):
            pairs += flatten(value, f"{name}.")
        elif isinstance(value, list):
            pairs.append((name, "; ".join(_item(v) for v in value)))
        else:
            pairs.append((name, value))
    return pairs


def summary_table(summary: dict[str, Any]) -> str:
    """An account summary as FIELD / VALUE lines."""
    return table(("FIELD", "VALUE"), [(k, cell(k, v)) for k, v in flatten(summary)])
