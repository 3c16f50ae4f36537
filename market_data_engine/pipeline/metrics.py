"""Prometheus metrics of the candle pipeline (metric objects only; no connections)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

TRADES = Counter("tickstream_marketdata_trades", "Trades folded into candles.")
CANDLES = Counter(
    "tickstream_marketdata_candles", "Closed candles written, by timeframe.", ["timeframe"]
)
LATE_TRADES = Counter(
    "tickstream_marketdata_late_trades",
    "Trades that arrived after their candle closed: counted, never folded in.",
    ["symbol", "timeframe"],
)
PIPELINE_UP = Gauge(
    "tickstream_marketdata_pipeline_up",
    "1 while the candle pipeline consumes, 0 while it is (re)connecting or failed.",
)
