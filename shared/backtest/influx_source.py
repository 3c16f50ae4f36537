"""Candles from InfluxDB: the ``candles`` measurement the market data engine writes.

Layout (the market data engine's): tags ``symbol`` and ``timeframe``, timestamp = the
candle's open time, fields ``open``/``high``/``low``/``close``/``volume``/``vwap`` (floats)
and ``close_time`` (ns). Read in pages, oldest first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from shared.backtest.bars import BarSeries, DataError, Floats, series
from shared.backtest.timeframes import width_ns
from shared.tsdb import InfluxDB, quote_ident

MEASUREMENT = "candles"
FIELDS = ("open", "high", "low", "close", "volume", "vwap", "close_time")
PAGE_ROWS = 10_000


def statement(after: bool, end: bool, limit: int) -> str:
    """The InfluxQL of one page (bound parameters: symbol, timeframe, start, end)."""
    where = [
        '"symbol" = $symbol',
        '"timeframe" = $timeframe',
        f"time {'>' if after else '>='} $start",
    ]
    if end:
        where.append("time < $end")
    fields = ",".join(map(quote_ident, FIELDS))
    return (
        f"SELECT {fields} FROM {quote_ident(MEASUREMENT)} WHERE {' AND '.join(where)} "
        f"ORDER BY time ASC LIMIT {int(limit)}"
    )


async def load_influx(
    influx: InfluxDB,
    symbol: str,
    timeframe: str,
    start_ns: int = 0,
    end_ns: int | None = None,
    *,
    page_rows: int = PAGE_ROWS,
) -> BarSeries:
    """The candles of ``symbol`` and ``timeframe`` opening in ``[start_ns, end_ns)``."""
    width = width_ns(timeframe)
    rows: list[list[Any]] = []
    params: dict[str, Any] = {"symbol": symbol, "timeframe": timeframe, "start": start_ns}
    if end_ns is not None:
        params["end"] = end_ns
    after = False
    while True:
        found = await influx.query(statement(after, end_ns is not None, page_rows), params=params)
        page = found[0].values if found else []
        rows.extend(page)
        if len(page) < page_rows:
            break
        params["start"], after = page[-1][0], True
    where = f"InfluxDB {influx.database} {MEASUREMENT} {symbol} {timeframe}"
    if not rows:
        raise DataError(f"{where}: no candles in the period")
    return _series(rows, symbol, timeframe, width, where)


def _series(
    rows: list[list[Any]], symbol: str, timeframe: str, width: int, where: str
) -> BarSeries:
    table = np.array(rows, dtype=object)
    opens = table[:, 0].astype(np.int64)
    prices = [_floats(table[:, i + 1], FIELDS[i], where) for i in range(5)]
    vwap = np.array([np.nan if v is None else v for v in table[:, 6]], dtype=np.float64)
    vwap = np.where(np.isnan(vwap), prices[3], vwap)
    closes = np.array(
        [o + width if c is None else c for o, c in zip(opens.tolist(), table[:, 7], strict=True)],
        dtype=np.int64,
    )
    o, h, low, c, v = prices
    return series(symbol, timeframe, opens, closes, o, h, low, c, v, vwap, where=where)


def _floats(column: npt.NDArray[np.object_], name: str, where: str) -> Floats:
    missing = [i for i, v in enumerate(column) if v is None]
    if missing:
        raise DataError(f"{where}: row {missing[0] + 1}: no {name}")
    return column.astype(np.float64)
