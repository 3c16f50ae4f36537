"""Gap reports over candles stored in a real InfluxDB: holes inside sessions, nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from typer.testing import CliRunner

from market_data_engine.gaps import Gap, GapReports, InfluxOpenTimes
from market_data_engine.pipeline.outputs import influx_lines
from market_data_engine.queries import Catalog
from shared.cli.main import app
from shared.clock import FakeClock, ns_to_iso
from shared.instruments import CME_GLOBEX, InstrumentRegistry
from shared.tsdb import InfluxDB
from tests.infra import Endpoints
from tests.unit.market_data_engine.queries.support import MINUTE, bar
from tests.unit.market_data_engine.queries.test_gaps import chicago

pytestmark = pytest.mark.integration

START, END = chicago(2024, 3, 7, 17), chicago(2024, 3, 11, 12)  # Thursday evening to Monday noon
FRIDAY_HOLE = (chicago(2024, 3, 8, 9, 31), chicago(2024, 3, 8, 9, 38))
MONDAY_HOLE = (chicago(2024, 3, 11, 3), chicago(2024, 3, 11, 4))


def stored_minutes() -> list[int]:
    """Every in-session minute of the range but the two holes."""
    return [
        t
        for t in range(START, END, MINUTE)
        if CME_GLOBEX.is_open(t)
        and not any(start <= t < end for start, end in (FRIDAY_HOLE, MONDAY_HOLE))
    ]


@pytest.fixture
async def influx(infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[InfluxDB]:
    adapter = InfluxDB(infra.influx_url, unique("gaps"))
    await adapter.start()
    await adapter.create_database()
    await adapter.write_lines(influx_lines(bar(t) for t in stored_minutes()))
    yield adapter
    await adapter.drop_database(adapter.database)
    await adapter.close()


async def test_only_the_holes_inside_sessions_are_gaps(influx: InfluxDB) -> None:
    catalog = Catalog(InstrumentRegistry.with_standard_futures())
    reports = GapReports(InfluxOpenTimes(influx, page_rows=500), catalog, FakeClock(END))
    report = await reports.report("ESZ6", "1m", START, END)
    assert report.gaps == [Gap(*FRIDAY_HOLE, 7), Gap(*MONDAY_HOLE, 60)]
    assert report.expected == len(stored_minutes()) + 67 == (23 + 19) * 60


def test_the_command_prints_the_gaps_as_a_table(influx: InfluxDB, infra: Endpoints) -> None:
    args = ["gaps", "--symbol", "ESZ6", "--timeframe", "1m", "--start", ns_to_iso(START)]
    args += ["--end", str(END), "--database", influx.database]
    result = CliRunner().invoke(app, args, env={"TICKSTREAM_INFLUX_URL": infra.influx_url})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("2 gap(s), 67 of 2,520 in-session intervals missing")
    assert lines[2].split() == ["START", "END", "MISSING"]
    assert lines[3].split() == [ns_to_iso(FRIDAY_HOLE[0]), ns_to_iso(FRIDAY_HOLE[1]), "7"]
    assert lines[4].split() == [ns_to_iso(MONDAY_HOLE[0]), ns_to_iso(MONDAY_HOLE[1]), "60"]


def test_the_command_explains_an_unknown_timeframe(infra: Endpoints) -> None:
    args = ["gaps", "--symbol", "ESZ6", "--timeframe", "2m"]
    result = CliRunner().invoke(app, args, env={"TICKSTREAM_INFLUX_URL": infra.influx_url})
    assert result.exit_code == 1
    assert "configured: 1m, 5m, 15m, 1h, 4h, 1d" in result.output
