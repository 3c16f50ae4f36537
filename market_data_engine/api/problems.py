"""The problem details the candle and gap APIs answer with."""

from __future__ import annotations

from market_data_engine.queries import Catalog, UnknownSymbol, UnknownTimeframe, parse_time
from shared.service import ProblemError

UNKNOWN_SYMBOL = "urn:tickstream:problem:unknown-symbol"
UNKNOWN_TIMEFRAME = "urn:tickstream:problem:unknown-timeframe"
BAD_RANGE = "urn:tickstream:problem:bad-time-range"


def unknown_symbol(error: UnknownSymbol, catalog: Catalog) -> ProblemError:
    """404 naming the symbol, with the registered symbols and how contracts are named."""
    return ProblemError(
        404,
        UNKNOWN_SYMBOL,
        "Unknown symbol",
        f"{error} Use a registered symbol or a futures contract of a registered root, "
        "e.g. ESZ6 for the December 2026 E-mini S&P 500.",
        symbol=error.symbol,
        known_roots=catalog.roots,
    )


def unknown_timeframe(error: UnknownTimeframe) -> ProblemError:
    """422 naming the timeframe and listing the configured ones."""
    return ProblemError(
        422,
        UNKNOWN_TIMEFRAME,
        "Unknown timeframe",
        str(error),
        timeframe=error.timeframe,
        timeframes=list(error.configured),
    )


def bad_range(detail: str) -> ProblemError:
    """422 for a time that cannot be read or a range that ends before it starts."""
    return ProblemError(422, BAD_RANGE, "Bad time range", detail)


def time_param(name: str, value: str | None) -> int | None:
    """A ``start``/``end`` query parameter in nanoseconds; 422 when it cannot be read."""
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise bad_range(f"{name}: {exc}") from None


def check_order(
    start_ns: int | None, end_ns: int | None, start: str | None, end: str | None
) -> None:
    """422 when ``start`` is after ``end``."""
    if start_ns is not None and end_ns is not None and start_ns > end_ns:
        raise bad_range(f"start ({start}) is after end ({end})")
