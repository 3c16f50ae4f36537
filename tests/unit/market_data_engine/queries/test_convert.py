"""Public candle values: exact decimals on the instrument's grid, the same from either store."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market_data_engine.domain.candles import Candle, Scale
from market_data_engine.queries.convert import CandleFormat
from market_data_engine.queries.public import StoredJson, candle_json
from shared.instruments import AssetClass, Instrument, InstrumentRegistry
from tests.unit.market_data_engine.queries.support import MINUTE, T0, bar, member, stored_row

REGISTRY = InstrumentRegistry.with_standard_futures()
FRACTIONAL = Instrument(
    symbol="BTC-USD",
    root="BTC-USD",
    asset_class=AssetClass.CRYPTO,
    exchange="TEST",
    currency="USD",
    tick_size=Decimal("0.01"),
    point_value=Decimal(1),
    quantity_step=Decimal("0.0001"),
)
INSTRUMENTS = [REGISTRY.get(s) for s in ("ES", "CL", "RTY", "YM", "GC")] + [FRACTIONAL]


@st.composite
def engine_candles(draw: st.DrawFn) -> tuple[Instrument, Candle]:
    """A candle as the core makes it, in ticks and size steps (volume int or float)."""
    instrument = draw(st.sampled_from(INSTRUMENTS))
    ticks = draw(st.lists(st.integers(-5_000, 10_000_000), min_size=4, max_size=4))
    o, c = ticks[0], ticks[1]
    high, low = max(ticks), min(ticks)
    volume = draw(st.integers(1, 10**7))
    turnover = draw(st.integers(low * volume, high * volume))
    as_float = draw(st.booleans())
    return instrument, Candle(
        "X", "1m", T0, T0 + MINUTE, o, high, low, c,
        float(volume) if as_float else volume, draw(st.integers(1, 10**6)),
        float(turnover) if as_float else turnover,
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(engine_candles())
def test_a_candle_reads_the_same_from_the_cache_and_from_influxdb(
    case: tuple[Instrument, Candle],
) -> None:
    instrument, candle = case
    engine_bar = Scale.of(instrument).bar(candle)
    fmt = CandleFormat.of(instrument)
    from_cache = fmt.cached(json.loads(member(engine_bar)))
    assert from_cache == fmt.stored(stored_row(engine_bar))
    assert Decimal(from_cache.open) == engine_bar.open
    assert Decimal(from_cache.low) == engine_bar.low
    assert Decimal(from_cache.volume) == engine_bar.volume
    assert engine_bar.vwap is not None and from_cache.vwap is not None
    assert abs(Decimal(from_cache.vwap) - engine_bar.vwap) <= Decimal("1e-6")


@settings(max_examples=300, deadline=None)
@given(engine_candles())
def test_stored_rows_render_in_one_step_as_in_two(case: tuple[Instrument, Candle]) -> None:
    instrument, candle = case
    fmt = CandleFormat.of(instrument)
    row = stored_row(Scale.of(instrument).bar(candle))
    assert StoredJson(fmt)(row) == candle_json(fmt.stored(row))
    no_vwap = [*row[:7], None, row[8]]
    assert StoredJson(fmt)(no_vwap) == candle_json(fmt.stored(no_vwap))


def test_prices_keep_the_ticks_decimal_places() -> None:
    fmt = CandleFormat(Decimal("0.25"))
    candle = bar(T0, prices=("5000", "5001.5", "4999.75", "5000.0"))
    row = fmt.cached(json.loads(member(candle)))
    assert (row.open, row.high, row.low, row.close) == ("5000.00", "5001.50", "4999.75", "5000.00")


def test_floats_round_to_the_nearest_tick() -> None:
    fmt = CandleFormat(Decimal("0.01"))
    stored = [T0, 71.23, 71.23000000000001, 71.22999999999999, 0.1 + 0.2, 12.0, 3, None, T0]
    row = fmt.stored(stored)
    assert (row.open, row.high, row.low, row.close) == ("71.23", "71.23", "71.23", "0.30")
    assert row.volume == "12"
    assert row.vwap is None


def test_volume_loses_a_float_tail_and_vwap_gets_fixed_places() -> None:
    fmt = CandleFormat(Decimal("0.25"))
    row = fmt.cached(json.loads(member(bar(T0, volume="12.0", vwap="5000.12345678905"))))
    assert row.volume == "12"
    assert row.vwap == "5000.123457"  # 2 tick places + 4


def test_negative_prices_stay_exact() -> None:
    fmt = CandleFormat(Decimal("0.01"))
    row = fmt.stored([T0, -37.63, -37.63, -40.32, -38.5, 7, 2, -39.1234, T0 + MINUTE])
    assert (row.open, row.low, row.close, row.vwap) == (
        "-37.63",
        "-40.32",
        "-38.50",
        "-39.123400",
    )


@pytest.mark.parametrize(("tick", "places"), [("0.25", 2), ("1", 0), ("1.00", 2), ("0.0001", 4)])
def test_places_follow_the_tick_as_written(tick: str, places: int) -> None:
    fmt = CandleFormat(Decimal(tick))
    row = fmt.stored([T0, 2.0, 2.0, 2.0, 2.0, 1, 1, 2.0, T0 + MINUTE])
    assert row.open == ("2." + "0" * places if places else "2")
    assert row.vwap == "2." + "0" * (places + 4)
