"""How values are written in the ledger API: decimals as plain strings, times as ISO with Z."""

from __future__ import annotations

from decimal import Decimal

from shared.clock import ns_to_iso


def dec(value: Decimal) -> str:
    """A decimal in fixed notation (never ``5E+3``), zero without a sign."""
    return format(abs(value) if value.is_zero() else value, "f")


def opt_dec(value: Decimal | None) -> str | None:
    return None if value is None else dec(value)


def iso(ns: int) -> str:
    """UTC nanoseconds as ISO 8601 with nanoseconds and ``Z``."""
    return ns_to_iso(ns)


def opt_iso(ns: int | None) -> str | None:
    return None if ns is None else ns_to_iso(ns)
