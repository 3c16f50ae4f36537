"""Properties of the statistics over arbitrary curves and trades."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from shared.stats import expectancy, max_drawdown, profit_factor, sharpe, win_rate

values = st.lists(st.floats(1.0, 1e6, allow_nan=False), min_size=1, max_size=60)
pnls = st.lists(st.integers(-10_000, 10_000).map(Decimal), min_size=1, max_size=40)


@given(values, st.floats(1.0, 1e6))
def test_drawdown_is_never_negative_nor_over_the_whole(equity: list[float], start: float) -> None:
    dd = max_drawdown(np.arange(1, len(equity) + 1), np.array(equity), start, 0)

    assert dd.amount >= 0
    assert 0 <= dd.percent <= 1
    assert 0 <= dd.duration_ns <= len(equity)


@given(values, st.floats(1.0, 1e6))
def test_drawdown_is_the_largest_fall_from_any_earlier_point(
    equity: list[float], start: float
) -> None:
    path = [start, *equity]
    worst = max(path[i] - min(path[i:]) for i in range(len(path)))

    dd = max_drawdown(np.arange(1, len(equity) + 1), np.array(equity), start, 0)
    assert dd.amount == worst


@given(values)
def test_a_curve_that_never_falls_has_no_drawdown(steps: list[float]) -> None:
    equity = np.cumsum(steps) + 100.0
    assert max_drawdown(np.arange(1, len(steps) + 1), equity, 100.0, 0).amount == 0


@given(pnls)
def test_trade_figures_stay_in_their_ranges(trades: list[Decimal]) -> None:
    rate = win_rate(trades)
    factor = profit_factor(trades)

    assert rate is not None and 0 <= rate <= 1
    assert factor is None or factor >= 0
    assert expectancy(trades) == sum(trades) / len(trades)
    assert (factor is None) == all(p >= 0 for p in trades)


@given(
    st.lists(st.floats(-0.05, 0.05, allow_nan=False), min_size=2, max_size=50), st.floats(0.1, 10)
)
def test_sharpe_does_not_change_when_returns_are_scaled(returns: list[float], k: float) -> None:
    r = np.array(returns)
    base, scaled = sharpe(r), sharpe(r * k)

    if base is None or scaled is None:
        return
    assert abs(base - scaled) <= 1e-6 * max(1.0, abs(base))
