"""Options, timeframes, exports, synthetic data and multi-symbol equity."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from shared.backtest import BacktestOptions, DataError, FillAt, OpenTrades, run_backtest
from shared.backtest.csv_source import load_csv
from shared.backtest.exports import TRADE_COLUMNS, trade_row, write_bars, write_equity
from shared.backtest.synthetic import random_walk
from shared.backtest.tables import timeframe_name
from shared.backtest.timeframes import width_ns
from shared.instruments import InstrumentRegistry
from shared.strategy.definition import Subscription
from tests.unit.backtest.support import definition


def test_options_take_their_enums_as_text_and_refuse_nonsense() -> None:
    options = BacktestOptions(fill_at="close", open_trades="report")  # type: ignore[arg-type]

    assert options.fill_at is FillAt.CLOSE and options.open_trades is OpenTrades.REPORT
    for bad in ({"slippage_ticks": -1}, {"commission_rate": Decimal(-1)}, {"capital": Decimal(0)}):
        with pytest.raises(ValueError):
            BacktestOptions(**bad)


def test_a_commission_override_replaces_both_parts_for_the_symbols() -> None:
    base = InstrumentRegistry.with_standard_futures()
    registry = BacktestOptions(commission_rate=Decimal("0.0001")).instruments(base, ["ESZ6"])

    es = registry.get("ESZ6")
    assert (es.commission_per_contract, es.commission_rate) == (Decimal(0), Decimal("0.0001"))
    assert base.get("ESZ6").commission_per_contract == Decimal("2.25")  # untouched
    assert registry.get("NQZ6").commission_per_contract == Decimal("2.25")


@pytest.mark.parametrize(
    ("name", "width"), [("30s", 30), ("1m", 60), ("15m", 900), ("4h", 14_400), ("1d", 86_400)]
)
def test_timeframe_names_and_widths(name: str, width: int) -> None:
    assert width_ns(name) == width * 1_000_000_000
    assert timeframe_name(width * 1_000_000_000) == name


@pytest.mark.parametrize("name", ["2d", "1w", "m", "0m", "1.5h"])
def test_unknown_timeframes_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="timeframe"):
        width_ns(name)


def test_synthetic_bars_are_the_same_for_a_seed() -> None:
    a, b, c = random_walk(500, seed=3), random_walk(500, seed=3), random_walk(500, seed=4)

    assert np.array_equal(a.close, b.close) and not np.array_equal(a.close, c.close)
    assert np.all(np.round(a.close / 0.25) * 0.25 == a.close)  # on the tick grid


def test_bars_written_read_back_the_same(tmp_path: Path) -> None:
    bars = random_walk(300, seed=9)
    write_bars(tmp_path / "b.csv", [bars])
    [back] = load_csv(tmp_path / "b.csv")

    for name in ("open_time", "close_time", "open", "high", "low", "close", "volume"):
        assert np.array_equal(getattr(back, name), getattr(bars, name)), name


def test_trades_and_equity_files(tmp_path: Path) -> None:
    result = run_backtest(definition(fast=5, slow=20), [random_walk(400, seed=2)])
    write_equity(tmp_path / "e.csv", result.equity)

    row = dict(zip(TRADE_COLUMNS, trade_row(result.trades[0]), strict=True))
    assert row["entry_time"].endswith("Z") and row["closed"] == "true"
    assert Decimal(row["net_pnl"]) == result.trades[0].net_pnl
    lines = (tmp_path / "e.csv").read_text().splitlines()
    assert lines[0] == "timestamp,equity,in_market" and len(lines) == 401


def test_equity_of_two_symbols_has_one_point_per_close_time() -> None:
    es = random_walk(300, seed=1)
    nq = random_walk(300, symbol="NQZ6", price=18_000.0, seed=2).rows(slice(0, 300, 2))
    subs = (Subscription("ESZ6", "1m"), Subscription("NQZ6", "1m"))
    result = run_backtest(definition(fast=3, slow=8, subscriptions=subs), [es, nq])

    assert np.array_equal(result.equity.times, es.close_time)
    assert {t.symbol for t in result.trades} == {"ESZ6"}  # the crossover trades its first
    assert result.equity.values[-1] == pytest.approx(float(result.final_equity))


def test_no_trades_leave_the_capital_flat() -> None:
    result = run_backtest(definition(fast=5, slow=200), [random_walk(100, seed=2)])

    assert result.trades == [] and result.fills == []
    assert set(result.equity.values.tolist()) == {100_000.0}
    assert result.statistics.net_profit == 0 and result.statistics.profit_factor is None


def test_empty_data_is_refused() -> None:
    with pytest.raises(DataError, match="no candles"):
        run_backtest(definition(), [random_walk(10).rows(slice(0, 0))])
