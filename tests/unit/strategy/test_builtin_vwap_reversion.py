"""VWAP reversion on hand-made bars: bands in percent and in ATRs, session restarts."""

from __future__ import annotations

from decimal import Decimal

from shared.instruments import AssetClass, Instrument, InstrumentRegistry
from shared.strategy.builtins.vwap_reversion import VwapReversion
from shared.strategy.candles import Candle
from shared.strategy.params import ParamValue
from shared.strategy.sessions import DAY_NS
from tests.unit.strategy.support import MINUTE, Sim, candle, definition, series

D = Decimal


def run(closes: list[float], **params: ParamValue) -> Sim:
    d = definition("builtin:vwap_reversion", {"band_unit": "percent", "band": 1, **params})
    return Sim(d).run(series(closes))


def test_fades_a_stretch_below_and_above_and_exits_at_the_vwap() -> None:
    # Flat bars (typical = close), equal volumes: the VWAP is the mean of the closes.
    # bar 2: VWAP 99.33, band 0.99: 98 is below -> buy;  bar 4: 100 >= VWAP 99.7 -> close
    # bar 5: VWAP 99.75 -> 102 is above 100.75 -> sell;  bar 6: 99 <= VWAP 99.64 -> close
    sim = run([100, 100, 98, 98.5, 100, 102, 99, 99])
    assert [bar for bar, _, _ in sim.emitted] == [2, 4, 5, 6]
    assert sim.trades() == [("BUY", 1, 98), ("SELL", 1, 100), ("SELL", 1, 102), ("BUY", 1, 99)]
    assert [s.reduce_only for s in sim.submits] == [False, True, False, True]


def test_within_the_band_nothing_happens() -> None:
    assert run([100, 100, 98], band=2).commands == []


def test_long_only_never_sells_short() -> None:
    sim = run([100, 100, 98, 98.5, 100, 102, 99, 99], long_only=True)
    assert sim.trades() == [("BUY", 1, 98), ("SELL", 1, 100)]


def atr_bars(last_close: float) -> list[Candle]:
    """Three bars 99..101 around 100 (ATR(2) = 2), then one down to 97 closing at
    ``last_close``: ATR becomes 2.5, the VWAP about 99.5."""
    bars = [candle(i, 100, high=101, low=99) for i in range(3)]
    return [*bars, candle(3, last_close, open_=100, high=100, low=97)]


def test_band_in_atrs() -> None:
    d = definition("builtin:vwap_reversion", {"band": 1, "atr_period": 2})
    assert Sim(d).run(atr_bars(97.5)).commands == []  # VWAP 99.54 - 2.5 = 97.04 < 97.5
    d = definition("builtin:vwap_reversion", {"band": 0.5, "atr_period": 2})
    assert [s.side for s in Sim(d).run(atr_bars(97.5)).submits] == ["BUY"]  # 98.29 > 97.5


def test_nothing_before_the_atr_is_ready() -> None:
    d = definition("builtin:vwap_reversion", {"band": 0.1, "atr_period": 5})
    assert Sim(d).run(atr_bars(90)).commands == []


def test_the_vwap_weighs_by_volume() -> None:
    # typical prices (high + low + close) / 3 of 100 on 900 lots, then 93.33 on 100 lots:
    # VWAP 99.33, and 90 is more than 0.9% below it
    bars = [candle(0, 100, volume=900), candle(1, 90, open_=100, volume=100)]
    bars.append(candle(2, 98, open_=90, volume=1))
    sim = Sim(definition("builtin:vwap_reversion", {"band_unit": "percent", "band": 0.9}))
    sim.run(bars)
    assert [bar for bar, _, _ in sim.emitted] == [1]
    strategy = sim.runner.strategy
    assert isinstance(strategy, VwapReversion)
    typical = (100 * 900 + (100 + 90 + 90) / 3 * 100 + (98 + 90 + 98) / 3) / 1001
    assert abs(strategy.vwap.value - typical) < 1e-9


def test_the_vwap_restarts_with_each_session() -> None:
    coin = Instrument("BTCUSD", "BTCUSD", AssetClass.CRYPTO, "X", "USD", D("0.01"), D(1))
    registry = InstrumentRegistry([coin])
    day = 20_000 * DAY_NS
    late = series([100] * 5, symbol="BTCUSD", start=day - 5 * MINUTE)  # the day before
    first = candle(0, 90, symbol="BTCUSD", start=day)  # a new UTC day
    d = definition(
        "builtin:vwap_reversion",
        {"band_unit": "percent", "band": 1},
        subscriptions=(("BTCUSD", "1m"),),
    )
    sim = Sim(d, registry).run([*late, first])
    assert sim.commands == []  # 90 is the new session's whole VWAP, not 8% below 98
    strategy = sim.runner.strategy
    assert isinstance(strategy, VwapReversion)
    assert strategy.vwap.value == 90
