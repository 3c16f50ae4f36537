"""InfluxQL: quoting, and the JSON answers of ``/query`` turned into ``Series``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.tsdb.errors import InfluxError


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a query answer: its name, group-by tags, columns and rows.

    Values are as JSON gives them: a float field holding an integral value (4384.0)
    arrives as an int (4384), equal in comparison; ``SHOW FIELD KEYS`` has the types.
    """

    name: str
    columns: tuple[str, ...]
    values: list[list[Any]]
    tags: dict[str, str] = field(default_factory=dict)
    statement_id: int = 0

    def rows(self) -> list[dict[str, Any]]:
        """Each row as a dict keyed by column name (``time`` included)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.values]


def quote_ident(name: str) -> str:
    """A database, measurement, tag or field name as a double-quoted identifier."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_string(value: str) -> str:
    """A string literal (e.g. a tag value in WHERE) in single quotes."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def parse_query_response(body: Any) -> list[Series]:
    """Every series of every statement, in order; an ``error`` anywhere raises.

    InfluxDB reports a bad query either as a top-level ``error`` or as an ``error`` on
    the statement's result (HTTP 200), so both are checked.
    """
    if not isinstance(body, Mapping):
        raise InfluxError(f"query answer is not a JSON object: {body!r:.200}")
    if "error" in body:
        raise InfluxError(f"query failed: {body['error']}")
    series: list[Series] = []
    for result in body.get("results") or []:
        statement_id = int(result.get("statement_id", 0))
        if "error" in result:
            raise InfluxError(f"query statement {statement_id} failed: {result['error']}")
        for raw in result.get("series") or []:
            series.append(
                Series(
                    name=raw.get("name", ""),
                    columns=tuple(raw.get("columns") or ()),
                    values=raw.get("values") or [],
                    tags=dict(raw.get("tags") or {}),
                    statement_id=statement_id,
                )
            )
    return series
