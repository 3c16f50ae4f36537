"""Backfill of trade files into a real InfluxDB: every timeframe as the core makes it,
idempotent on rerun, resumable after a failure."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from market_data_engine.backfill import Backfill, Backfiller, CheckpointStore, InputSpec, job_id
from market_data_engine.domain.batch import aggregate
from market_data_engine.domain.candles import Scale
from market_data_engine.domain.timeframes import DEFAULT_TIMEFRAMES
from market_data_engine.feeds.replay_files import ReplayError
from market_data_engine.queries import Catalog
from shared.clock import ns_to_iso
from shared.instruments import CME_GLOBEX, InstrumentRegistry
from shared.tsdb import InfluxDB, InfluxError
from tests.infra import Endpoints
from tests.unit.market_data_engine.queries.support import session_trades
from tests.unit.market_data_engine.queries.test_gaps import chicago

pytestmark = pytest.mark.integration

CATALOG = Catalog(InstrumentRegistry.with_standard_futures())
ES = Scale(Decimal("0.25"))
FIELDS = "open,high,low,close,volume,trades,vwap,close_time"
TRADES = session_trades(60_000, chicago(2024, 3, 8, 10))  # over the spring-forward weekend


def write_csv(path: Path, ts: Any, price: Any, size: Any) -> Path:
    """Trades as a CSV file with its own column names and ISO times."""
    lines = (
        f"{ns_to_iso(t)},{p * 0.25},{s}\n"
        for t, p, s in zip(ts.tolist(), price.tolist(), size.tolist(), strict=True)
    )
    path.write_text("time,px,qty\n" + "".join(lines))
    return path


def expected_rows(ts: Any, price: Any, size: Any) -> dict[str, list[list[Any]]]:
    """What InfluxDB must hold per timeframe: the live writer's line of each core candle."""
    result = {}
    for timeframe, columns in aggregate(ts, price, size, DEFAULT_TIMEFRAMES, CME_GLOBEX).items():
        rows = []
        for candle in columns.candles("ESZ6", timeframe):
            bar = ES.bar(candle)
            assert bar.vwap is not None
            values = (bar.open, bar.high, bar.low, bar.close, bar.volume)
            rows.append(
                [
                    bar.open_time,
                    *map(float, values),
                    bar.trade_count,
                    float(bar.vwap),
                    bar.close_time,
                ]
            )
        result[timeframe] = rows
    return result


async def stored_rows(influx: InfluxDB) -> dict[str, list[list[Any]]]:
    series = await influx.query(
        f'SELECT {FIELDS} FROM "candles" WHERE "symbol" = \'ESZ6\' GROUP BY "timeframe"'
    )
    return {s.tags["timeframe"]: s.values for s in series}


@pytest.fixture
async def influx(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[InfluxDB]:
    adapter = InfluxDB(infra.influx_url, unique("backfill"), batch_lines=10_000, timeout_s=60)
    await adapter.start()
    await adapter.create_database()
    yield adapter
    await adapter.drop_database(adapter.database)
    await adapter.close()


def job(files: Iterable[Path], chunk_rows: int = 7_000) -> Backfill:
    spec = InputSpec(columns="ts=time,price=px,size=qty", symbol="ESZ6")
    return Backfill(tuple(files), spec, DEFAULT_TIMEFRAMES, chunk_rows)


class FailingInflux(InfluxDB):
    """Refuses the candle write after ``healthy`` of them, as a server going away would."""

    def __init__(self, url: str, database: str, healthy: int) -> None:
        super().__init__(url, database, batch_lines=10_000)
        self.healthy = healthy

    async def write_lines(self, lines: Iterable[str], *, database: str | None = None) -> int:
        batch = list(lines)
        if batch and batch[0].startswith("candles,"):
            self.healthy -= 1
            if self.healthy < 0:
                raise InfluxError("injected: the server went away")
        return await super().write_lines(batch, database=database)


async def test_trades_become_the_cores_candles_of_every_timeframe(
    influx: InfluxDB, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "trades.csv", *TRADES)
    result = await Backfiller(influx, CATALOG).run(job([path]))
    assert result.rows == len(TRADES[0])
    expected = expected_rows(*TRADES)
    assert await stored_rows(influx) == expected
    days = [row[0] for row in expected["1d"]]  # trading days open at 17:00 Chicago time
    assert days[:2] == [chicago(2024, 3, 7, 17), chicago(2024, 3, 10, 17)]  # across the DST change


async def test_a_rerun_changes_nothing_and_a_restart_rewrites_the_same_points(
    influx: InfluxDB, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "trades.csv", *TRADES)
    await Backfiller(influx, CATALOG).run(job([path]))
    before = await stored_rows(influx)
    again = await Backfiller(influx, CATALOG).run(job([path]))
    assert again.already_done and again.rows == 0
    restarted = await Backfiller(influx, CATALOG).run(job([path]), restart=True)
    assert restarted.rows == len(TRADES[0])
    assert await stored_rows(influx) == before


async def test_trades_split_over_files_make_the_same_candles(
    influx: InfluxDB, tmp_path: Path
) -> None:
    cut = len(TRADES[0]) // 3  # inside a trading day: its candles span both files
    first = write_csv(tmp_path / "a.csv", *(c[:cut] for c in TRADES))
    second = write_csv(tmp_path / "b.csv", *(c[cut:] for c in TRADES))
    await Backfiller(influx, CATALOG).run(job([first, second]))
    assert await stored_rows(influx) == expected_rows(*TRADES)


async def test_a_failed_backfill_resumes_from_its_checkpoint(
    influx: InfluxDB, tmp_path: Path, infra: Endpoints
) -> None:
    path = write_csv(tmp_path / "trades.csv", *TRADES)
    failing = FailingInflux(infra.influx_url, influx.database, healthy=3)
    await failing.start()
    try:
        with pytest.raises(InfluxError, match="injected"):
            await Backfiller(failing, CATALOG).run(job([path]))
    finally:
        await failing.close()
    saved = await CheckpointStore(influx).load(job_id([path], job([path]).spec, DEFAULT_TIMEFRAMES))
    assert saved is not None and not saved.done
    assert 0 < saved.rows_done < len(TRADES[0])
    assert saved.held  # candles open at the chunk edge survive in the checkpoint

    resumed = await Backfiller(influx, CATALOG).run(job([path]))
    assert resumed.resumed_from == saved
    assert resumed.rows == len(TRADES[0]) - saved.rows_done
    assert await stored_rows(influx) == expected_rows(*TRADES)


async def test_unsorted_input_is_refused_naming_the_row(influx: InfluxDB, tmp_path: Path) -> None:
    ts, price, size = (np.array(c[:10]) for c in TRADES)
    ts[6], ts[7] = ts[7], ts[6]
    path = write_csv(tmp_path / "bad.csv", ts, price, size)
    with pytest.raises(ReplayError, match=r"bad\.csv, row 8: ESZ6 goes back in time"):
        await Backfiller(influx, CATALOG).run(job([path]))
