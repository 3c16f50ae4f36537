"""The InfluxDB adapter against a real server: points written come back exactly."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

import httpx
import pytest

from shared.settings import CommonSettings
from shared.tsdb import InfluxDB, InfluxError, NotStartedError, Point, line, quote_ident

pytestmark = pytest.mark.integration

T0 = 1_700_000_000_123_456_789  # nanoseconds, deliberately not round


@pytest.fixture
async def influx(infra):
    adapter = InfluxDB(infra.influx_url, f"test_{uuid.uuid4().hex[:12]}", batch_lines=5000)
    await adapter.start()
    await adapter.create_database()
    yield adapter
    await adapter.drop_database(adapter.database)
    await adapter.close()


def random_bars(count: int, seed: int):
    rng = random.Random(seed)
    bars = []
    for i in range(count):
        low = round(rng.uniform(4000, 5000), 2)
        bars.append(
            Point(
                "bars",
                {"symbol": rng.choice(["ES", "NQ", "CL"]), "timeframe": "1m"},
                {
                    "open": low + 0.25,
                    "high": low + 1.5,
                    "low": low,
                    "close": low + 0.75,
                    "volume": rng.randint(1, 10_000),
                    "trades": rng.randint(1, 500),
                    "vwap": Decimal(str(low)) + Decimal("0.5"),
                },
                T0 + i * 60_000_000_000 + rng.randint(0, 999),
            )
        )
    return bars


async def test_written_points_read_back_exactly(influx):
    bars = random_bars(50, seed=11)
    assert await influx.write_lines(p.to_line() for p in bars) == 50

    series = await influx.query("SELECT * FROM bars GROUP BY symbol, timeframe")

    got = {
        (s.tags["symbol"], row["time"]): (s.tags["timeframe"], row)
        for s in series
        for row in s.rows()
    }
    assert len(got) == 50
    for bar in bars:
        timeframe, row = got[(bar.tags["symbol"], bar.ts_ns)]
        assert timeframe == "1m"
        for name, value in bar.fields.items():
            expected = float(value) if isinstance(value, Decimal) else value
            assert row[name] == expected, name
    # JSON answers show a float such as 4384.0 as 4384, so the stored types are checked here.
    (keys,) = await influx.query("SHOW FIELD KEYS FROM bars")
    assert dict(keys.values) == {
        "open": "float",
        "high": "float",
        "low": "float",
        "close": "float",
        "vwap": "float",
        "volume": "integer",
        "trades": "integer",
    }


async def test_large_writes_go_in_batches_and_all_arrive(influx):
    lines = (line("ticks", {"symbol": "ES"}, {"price": 1.0 + i}, T0 + i) for i in range(12_001))
    assert await influx.write_lines(lines) == 12_001
    (series,) = await influx.query("SELECT count(price) FROM ticks")
    assert series.values[0][1] == 12_001


async def test_names_with_special_characters_round_trip(influx):
    names = ["a b", "a,b", "a=b", 'a"b', "a'b", "#x", "é€😀", "="]
    lines = [
        line("odd measure,ment", {"k " + n: n}, {"f " + n: i, "s": f'say "{n}"\n'}, T0 + i)
        for i, n in enumerate(names)
    ]
    await influx.write_lines(lines)

    (series,) = await influx.query(f"SELECT * FROM {quote_ident('odd measure,ment')}")
    rows = series.rows()
    assert [row["time"] for row in rows] == [T0 + i for i in range(len(names))]
    for i, (name, row) in enumerate(zip(names, rows, strict=True)):
        assert row["k " + name] == name
        assert row["f " + name] == i
        assert row["s"] == f'say "{name}"\n'


async def test_bound_parameters_select_by_tag_value(influx):
    await influx.write_lines(
        [line("bars", {"symbol": s}, {"close": c}, T0) for s, c in [("ES", 1.5), ("NQ", 2.5)]]
    )
    (series,) = await influx.query("SELECT close FROM bars WHERE symbol = $s", params={"s": "NQ"})
    assert series.values == [[T0, 2.5]]


async def test_an_unparsable_write_raises_with_the_server_message(influx):
    with pytest.raises(InfluxError, match="HTTP 400") as raised:
        await influx.write_lines(["bars close=notanumber 1"])
    assert raised.value.status == 400
    assert "unable to parse" in raised.value.body


async def test_a_bad_query_raises_with_the_server_message(influx):
    with pytest.raises(InfluxError, match="error parsing query"):
        await influx.query("SELEKT nothing")


async def test_a_query_on_a_missing_database_raises(influx):
    with pytest.raises(InfluxError, match="database not found"):
        await influx.query("SELECT * FROM bars", database=f"missing_{uuid.uuid4().hex[:8]}")


async def test_an_empty_measurement_gives_no_series(influx):
    assert await influx.query("SELECT * FROM nothing_here") == []


async def test_from_settings_reaches_the_configured_server(infra):
    settings = CommonSettings(influx_url=infra.influx_url, influx_database="x")
    adapter = InfluxDB.from_settings(settings)
    await adapter.start()
    try:
        await adapter.ping()
        assert adapter.database == "x"
    finally:
        await adapter.close()


async def test_a_failed_start_raises_and_leaves_nothing_open():
    adapter = InfluxDB("http://127.0.0.1:1", "x", timeout_s=2)
    with pytest.raises(httpx.ConnectError):
        await adapter.start()
    with pytest.raises(NotStartedError):
        adapter.client  # noqa: B018
