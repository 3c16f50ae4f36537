"""A fresh InfluxDB database holding candles the way the market data engine writes them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from shared.backtest import BarSeries
from shared.tsdb import InfluxDB, line


def candle_lines(bars: BarSeries) -> list[str]:
    """The series as the market data engine's ``candles`` points."""
    rows = zip(
        bars.open_time.tolist(),
        bars.close_time.tolist(),
        bars.open.tolist(),
        bars.high.tolist(),
        bars.low.tolist(),
        bars.close.tolist(),
        bars.volume.tolist(),
        bars.vwap.tolist(),
        strict=True,
    )
    tags = {"symbol": bars.symbol, "timeframe": bars.timeframe}
    return [
        line(
            "candles",
            tags,
            {"open": o, "high": h, "low": lo, "close": c, "volume": v, "vwap": vw,
             "trades": 7, "close_time": ct},
            ot,
        )
        for ot, ct, o, h, lo, c, v, vw in rows
    ]  # fmt: skip


@pytest.fixture
async def influx(infra) -> AsyncIterator[InfluxDB]:
    adapter = InfluxDB(infra.influx_url, f"test_bt_{uuid.uuid4().hex[:12]}")
    await adapter.start()
    await adapter.create_database()
    try:
        yield adapter
    finally:
        await adapter.drop_database(adapter.database)
        await adapter.close()
