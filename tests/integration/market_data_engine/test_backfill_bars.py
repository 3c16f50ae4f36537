"""Backfill of 1-minute bar files, and the ``tickstream backfill`` command with cache warming."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from market_data_engine.adapters.candle_format import CACHE_DEPTH
from market_data_engine.backfill import Backfill, Backfiller, InputKind, InputSpec
from market_data_engine.domain.batch import aggregate
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from shared.cache import Cache
from shared.cli.main import app
from shared.instruments import CME_GLOBEX
from shared.tsdb import InfluxDB
from tests.infra import Endpoints
from tests.integration.market_data_engine.test_backfill_trades import (
    CATALOG,
    TRADES,
    expected_rows,
    stored_rows,
    write_csv,
)

pytestmark = pytest.mark.integration


def write_bars(path: Path) -> Path:
    """The trades' 1-minute candles as a bar file: epoch ms at the close, trade count, VWAP."""
    bars = aggregate(*TRADES, ("1m",), CME_GLOBEX)["1m"]
    lines = [
        f"{(c.close_time) // 1_000_000},{c.open * 0.25},{c.high * 0.25},{c.low * 0.25},"
        f"{c.close * 0.25},{c.volume},{c.trade_count},{c.turnover / c.volume * 0.25!r}\n"
        for c in bars.candles("ESZ6", "1m")
    ]
    path.write_text("end,o,h,l,c,v,n,vw\n" + "".join(lines))
    return path


@pytest.fixture
async def influx(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[InfluxDB]:
    adapter = InfluxDB(infra.influx_url, unique("backfill"), batch_lines=10_000, timeout_s=60)
    await adapter.start()
    await adapter.create_database()
    yield adapter
    await adapter.drop_database(adapter.database)
    await adapter.close()


def same_within_float(stored: list[list[Any]], expected: list[list[Any]]) -> None:
    assert len(stored) == len(expected)
    for got, want in zip(stored, expected, strict=True):
        vwap_got, vwap_want = got.pop(7), want.pop(7)
        assert got == want
        assert vwap_got == pytest.approx(vwap_want, rel=1e-12)


async def test_bars_merge_into_the_candles_the_trades_make(
    influx: InfluxDB, tmp_path: Path
) -> None:
    columns = "ts=end,open=o,high=h,low=l,close=c,volume=v,trades=n,vwap=vw"
    spec = InputSpec(InputKind.BARS_1M, columns, "ms", symbol="ESZ6", bar_label="close")
    job = Backfill((write_bars(tmp_path / "bars.csv"),), spec, DEFAULT_TIMEFRAMES, 500)
    result = await Backfiller(influx, CATALOG).run(job)
    stored, expected = await stored_rows(influx), expected_rows(*TRADES)
    assert result.rows == len(expected["1m"])
    assert set(stored) == set(DEFAULT_TIMEFRAMES)
    for timeframe in DEFAULT_TIMEFRAMES:
        same_within_float(stored[timeframe], expected[timeframe])


def test_the_command_loads_reports_and_warms_the_cache(
    infra: Endpoints, unique: Callable[[str], str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "trades.csv", *TRADES)
    database, prefix = unique("backfill_cli"), unique("cli")
    env = {"TICKSTREAM_INFLUX_URL": infra.influx_url, "TICKSTREAM_REDIS_URL": infra.redis_url}
    args = ["backfill", str(path), "--symbol", "ESZ6", "--columns", "ts=time,price=px,size=qty"]
    args += ["--database", database, "--cache-prefix", prefix, "--chunk-rows", "10000"]
    runner = CliRunner()
    try:
        first = runner.invoke(app, args, env=env)
        second = runner.invoke(app, args, env=env)
        cached = asyncio.run(_cached_count(infra.redis_url, prefix))
    finally:
        asyncio.run(_drop(infra, database, prefix))
    assert first.exit_code == 0, first.output
    minutes = len(expected_rows(*TRADES)["1m"])
    assert f"loaded {len(TRADES[0]):,} rows from 1 file(s)" in first.output
    assert f"1m {minutes:,}" in first.output
    assert "newest candles cached in Redis: " in first.output
    assert cached == min(minutes, CACHE_DEPTH)
    assert second.exit_code == 0 and "already loaded" in second.output


def test_the_command_names_a_bad_file_and_exits_1(
    infra: Endpoints, unique: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("time,px,qty\n2024-03-08T12:00:00Z,5000.10,1\n")
    env = {"TICKSTREAM_INFLUX_URL": infra.influx_url}
    args = ["backfill", str(path), "--symbol", "ESZ6", "--columns", "ts=time,price=px,size=qty"]
    database, prefix = unique("backfill_cli"), unique("cli")
    try:
        result = CliRunner().invoke(app, [*args, "--database", database], env=env)
    finally:
        asyncio.run(_drop(infra, database, prefix))
    assert result.exit_code == 1
    assert "bad.csv, row 1: price 5000.1 is not a multiple of 0.25" in result.output


async def _cached_count(url: str, prefix: str) -> int:
    cache = Cache(url, prefix=prefix)
    await cache.start()
    try:
        return int(await cache.client.zcard(cache.key("candles", "ESZ6", "1m")))
    finally:
        await cache.close()


async def _drop(infra: Endpoints, database: str, prefix: str) -> None:
    influx, cache = InfluxDB(infra.influx_url, database), Cache(infra.redis_url, prefix=prefix)
    await influx.start()
    await cache.start()
    keys = [key async for key in cache.client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await cache.client.delete(*keys)
    await influx.drop_database(database)
    await influx.close()
    await cache.close()
