"""Stored candles for warm-ups, from InfluxDB.

The market data engine's layout: measurement ``candles``, tags ``symbol`` and
``timeframe``, time = the candle's open time (ns), float fields ``open`` ``high`` ``low``
``close`` ``volume`` ``vwap`` and the integer ``close_time``.
"""

from __future__ import annotations

from typing import Any

from shared.strategy.candles import Candle
from shared.tsdb import InfluxDB, quote_ident

MEASUREMENT = "candles"
FIELDS = ("open", "high", "low", "close", "volume", "vwap", "close_time")


class InfluxCandleHistory:
    """``CandleHistory`` over the ``candles`` measurement."""

    def __init__(self, influx: InfluxDB, measurement: str = MEASUREMENT) -> None:
        self._influx = influx
        self._statement = (
            f"SELECT {','.join(map(quote_ident, FIELDS))} FROM {quote_ident(measurement)} "
            'WHERE "symbol" = $symbol AND "timeframe" = $timeframe AND time < $end '
            "ORDER BY time DESC LIMIT {limit}"
        )

    async def before(self, symbol: str, timeframe: str, end_ns: int, limit: int) -> list[Candle]:
        """The newest ``limit`` candles opened before ``end_ns``, oldest first."""
        if limit <= 0:
            return []
        statement = self._statement.format(limit=int(limit))
        params = {"symbol": symbol, "timeframe": timeframe, "end": end_ns}
        series = await self._influx.query(statement, params=params)
        rows = series[0].values if series else []
        return [candle for row in reversed(rows) if (candle := _candle(symbol, timeframe, row))]


def _candle(symbol: str, timeframe: str, row: list[Any]) -> Candle | None:
    open_time, o, h, low, c, volume, vwap, close_time = row
    if None in (o, h, low, c, close_time):
        return None  # not a whole candle (written by something else)
    close = float(c)
    return Candle(
        symbol,
        timeframe,
        int(open_time),
        int(close_time),
        float(o),
        float(h),
        float(low),
        close,
        float(volume or 0.0),
        float(vwap) if vwap is not None else close,
    )
