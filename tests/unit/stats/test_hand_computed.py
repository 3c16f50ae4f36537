"""Statistics against values worked out by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pytest

from shared.stats import (
    average_loss,
    average_win,
    cagr,
    daily_returns,
    expectancy,
    max_drawdown,
    profit_factor,
    sharpe,
    sortino,
    summarize,
    total_return,
    win_rate,
)

DAY = 86_400_000_000_000
HOUR = DAY // 24
D = Decimal


def test_trade_figures() -> None:
    pnls = [D(100), D(-50), D(0), D(250), D(-25)]

    assert win_rate(pnls) == pytest.approx(2 / 5)
    assert profit_factor(pnls) == D(350) / D(75)
    assert expectancy(pnls) == D(55)
    assert average_win(pnls) == D(175)
    assert average_loss(pnls) == D("-37.5")


def test_trade_figures_without_trades_or_without_losses() -> None:
    assert win_rate([]) is None
    assert expectancy([]) is None
    assert profit_factor([]) is None
    assert profit_factor([D(10), D(0)]) is None  # no loss: undefined, not infinite
    assert profit_factor([D(-10)]) == 0
    assert average_win([D(-1)]) is None
    assert average_loss([D(1)]) is None


def test_drawdown_amount_percent_and_duration() -> None:
    times = np.array([1, 2, 3, 4, 5, 6]) * HOUR
    equity = np.array([110.0, 99.0, 104.5, 120.0, 90.0, 100.0])
    dd = max_drawdown(times, equity, 100.0, 0)

    assert dd.amount == 30.0  # 120 -> 90
    assert dd.percent == pytest.approx(0.25)
    assert (dd.peak_time, dd.trough_time) == (4 * HOUR, 5 * HOUR)
    # Underwater from the 110 peak (1h) until 120 (4h): 3h; from 120 (4h) to the end: 2h.
    assert dd.duration_ns == 3 * HOUR


def test_the_largest_percentage_drawdown_may_be_another_dip_than_the_largest_amount() -> None:
    equity = np.array([50.0, 100.0, 500.0, 400.0])
    dd = max_drawdown(np.arange(1, 5), equity, 100.0, 0)

    assert dd.amount == 100.0
    assert dd.percent == pytest.approx(0.5)  # 100 -> 50 at the start


def test_a_rising_or_flat_curve_has_no_drawdown() -> None:
    for equity in ([100.0, 100.0, 100.0], [100.0, 101.0, 105.0], []):
        dd = max_drawdown(np.arange(len(equity)), np.array(equity), 100.0, 0)
        assert (dd.amount, dd.percent, dd.duration_ns) == (0.0, 0.0, 0)


def test_returns_and_cagr() -> None:
    assert total_return(100.0, 125.0) == pytest.approx(0.25)
    year = int(365.25 * DAY)
    assert cagr(100.0, 121.0, 0, 2 * year) == pytest.approx(0.1)
    assert cagr(100.0, 0.0, 0, year) == -1.0
    assert cagr(100.0, 120.0, 5, 5) is None
    assert cagr(100.0, 90.0, 0, 29 * 86_400 * 10**9) is None  # too short to annualise


def test_daily_returns_take_each_days_last_value() -> None:
    times = np.array([1 * HOUR, 5 * HOUR, DAY + HOUR, 2 * DAY + 3 * HOUR, 2 * DAY + 4 * HOUR])
    equity = np.array([105.0, 110.0, 99.0, 120.0, 108.9])
    returns = daily_returns(times, equity, 100.0)

    np.testing.assert_allclose(returns, [0.10, -0.10, 0.10])


def test_sharpe_and_sortino_by_hand() -> None:
    r = np.array([0.01, -0.02, 0.03, 0.0])
    mean = 0.005
    sd = math.sqrt(sum((x - mean) ** 2 for x in r) / 3)
    downside = math.sqrt((0.02**2) / 4)

    assert sharpe(r) == pytest.approx(math.sqrt(252) * mean / sd)
    assert sortino(r) == pytest.approx(math.sqrt(252) * mean / downside)
    rf = 0.0252  # 0.0001 a day
    assert sharpe(r, risk_free=rf) == pytest.approx(math.sqrt(252) * (mean - 0.0001) / sd)


def test_ratios_are_undefined_for_flat_or_too_short_curves() -> None:
    assert sharpe(np.array([0.01])) is None
    assert sharpe(np.zeros(5)) is None
    assert sortino(np.array([0.01, 0.02])) is None


@dataclass
class T:
    net_pnl: Decimal
    gross_pnl: Decimal
    commission: Decimal


def test_summary_of_a_run() -> None:
    times = np.array([1, 2, 3, 4]) * DAY
    equity = np.array([100_000.0, 100_500.0, 100_200.0, 101_000.0])
    trades = [T(D(600), D(610), D(10)), T(D(-300), D(-290), D(10)), T(D(700), D(710), D(10))]
    stats = summarize(
        capital=D(100_000),
        trades=trades,
        final_equity=D(101_000),
        times=times,
        equity=equity,
        in_market=np.array([False, True, True, False]),
        start_ns=0,
        first_price=5000.0,
        last_price=5100.0,
    )

    assert stats.net_profit == D(1000)
    assert stats.total_return == pytest.approx(0.01)
    assert stats.trades == 3 and stats.winning_trades == 2 and stats.losing_trades == 1
    assert stats.profit_factor == D(1300) / D(300)
    assert stats.gross_pnl == D(1030) and stats.commissions == D(30)
    assert stats.exposure == 0.5
    assert stats.buy_and_hold_return == pytest.approx(0.02)
    assert stats.max_drawdown == 300.0
    assert stats.max_drawdown_duration_ns == 2 * DAY
    assert stats.as_dict()["net_profit"] == D(1000)


def test_summary_without_trades_or_bars() -> None:
    stats = summarize(
        capital=D(1000),
        trades=[],
        final_equity=D(1000),
        times=np.zeros(0, dtype=np.int64),
        equity=np.zeros(0),
        in_market=np.zeros(0, dtype=bool),
        start_ns=0,
    )

    assert stats.trades == 0 and stats.win_rate is None and stats.profit_factor is None
    assert stats.sharpe is None and stats.cagr is None and stats.buy_and_hold_return is None
    assert (stats.max_drawdown, stats.exposure, stats.total_return) == (0.0, 0.0, 0.0)
