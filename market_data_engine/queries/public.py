"""Candles written straight to their public JSON: the hot path skips model validation.

Every candle value is a number, an ISO time or a decimal string the engine made, so only
the symbol and timeframe need JSON escaping. ``api.schemas.CandlesPublic`` documents the
shape (and the tests check it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from market_data_engine.queries.convert import CandleFormat, CandleRow
from shared.times import iso


def candle_json(row: CandleRow) -> str:
    """One candle as a ``CandlePublic`` JSON object."""
    vwap = "null" if row.vwap is None else f'"{row.vwap}"'
    return (
        f'{{"open_time":"{iso(row.open_time)}","close_time":"{iso(row.close_time)}",'
        f'"open":"{row.open}","high":"{row.high}","low":"{row.low}","close":"{row.close}",'
        f'"volume":"{row.volume}","trade_count":{row.trade_count},"vwap":{vwap},'
        f'"forming":{"true" if row.forming else "false"}}}'
    )


class StoredJson:
    """InfluxDB rows (``time`` then ``HISTORY_FIELDS``) straight to ``candle_json`` text.

    What ``candle_json(fmt.stored(row))`` gives, in one string format per row: the cost of
    a query InfluxDB answers is mostly this.
    """

    def __init__(self, fmt: CandleFormat) -> None:
        (price_places, self._tick), (volume_places, self._step) = fmt.price_grid, fmt.volume_grid
        self._vwap = fmt.vwap_text
        price = f'"%.{price_places}f"'
        self._template = (
            f'{{"open_time":"%s","close_time":"%s","open":{price},"high":{price},'
            f'"low":{price},"close":{price},"volume":"%.{volume_places}f","trade_count":%d,'
            '"vwap":%s,"forming":false}'
        )

    def __call__(self, row: list[Any]) -> str:
        open_time, o, h, low, c, volume, trades, vwap, close_time = row
        tick, step = self._tick, self._step
        return self._template % (
            iso(open_time),
            iso(close_time),
            round(o / tick) * tick,
            round(h / tick) * tick,
            round(low / tick) * tick,
            round(c / tick) * tick,
            round(volume / step) * step,
            trades,
            "null" if vwap is None else f'"{self._vwap(vwap)}"',
        )


@dataclass(frozen=True, slots=True)
class CandlePage:
    """The answer to a query: candles as JSON objects, oldest first (forming one last)."""

    symbol: str
    timeframe: str
    candles: list[str]
    source: str

    def to_json(self) -> bytes:
        """The page as a ``CandlesPublic`` JSON document."""
        head = f'{{"symbol":{json.dumps(self.symbol)},"timeframe":{json.dumps(self.timeframe)}'
        tail = f'"count":{len(self.candles)},"source":"{self.source}"}}'
        return f'{head},"data":[{",".join(self.candles)}],{tail}'.encode()
