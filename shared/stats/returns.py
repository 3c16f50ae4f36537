"""Returns of an equity curve: total, annual growth, and risk-adjusted (Sharpe, Sortino).

Risk-adjusted ratios use daily returns: the curve's last value on each UTC calendar day
that has one, each day compared with the previous such day (the first with the starting
value). They are annualised with ``periods_per_year`` (252 trading days by default) and a
yearly ``risk_free`` rate (0 by default) taken off each day as ``risk_free / periods``.
"""

from __future__ import annotations

import math

import numpy as np

from shared.stats.drawdown import Floats, Times

DAY_NS = 86_400_000_000_000
YEAR_NS = int(365.25 * DAY_NS)
TRADING_DAYS = 252


def total_return(start_value: float, end_value: float) -> float:
    """``end / start - 1``: 0.25 for a 25 % gain."""
    if start_value <= 0:
        raise ValueError(f"a starting value of {start_value} has no return")
    return end_value / start_value - 1.0


MIN_CAGR_DAYS = 30
"""The shortest span whose growth is annualised."""


def cagr(start_value: float, end_value: float, start_ns: int, end_ns: int) -> float | None:
    """Compound annual growth: ``(end / start) ** (1 / years) - 1``, years of 365.25 days.

    None for a span shorter than ``MIN_CAGR_DAYS``: compounding a few days' return over a
    year gives figures (-100 %, +10,000 %) that say nothing. -1.0 when everything (or more)
    was lost.
    """
    years = (end_ns - start_ns) / YEAR_NS
    if years <= 0 or end_ns - start_ns < MIN_CAGR_DAYS * DAY_NS:
        return None
    growth = total_return(start_value, end_value) + 1.0
    if growth <= 0:
        return -1.0
    return float(growth ** (1.0 / years) - 1.0)


def daily_returns(times: Times, equity: Floats, start_value: float) -> Floats:
    """The return of each UTC day with curve points, from its last value (see module)."""
    if len(equity) == 0:
        return np.zeros(0, dtype=np.float64)
    days = np.asarray(times, dtype=np.int64) // DAY_NS
    last_of_day = np.flatnonzero(np.r_[days[1:] != days[:-1], True])
    closes = np.concatenate(([start_value], np.asarray(equity, dtype=np.float64)[last_of_day]))
    with np.errstate(divide="ignore", invalid="ignore"):
        returns = np.where(closes[:-1] != 0, closes[1:] / closes[:-1] - 1.0, 0.0)
    return returns.astype(np.float64)


def sharpe(
    returns: Floats, periods_per_year: int = TRADING_DAYS, risk_free: float = 0.0
) -> float | None:
    """``sqrt(periods) * mean(r - rf) / std(r)`` (sample standard deviation).

    None with fewer than two returns or when they do not vary.
    """
    if len(returns) < 2:
        return None
    excess = returns - risk_free / periods_per_year
    spread = float(np.std(excess, ddof=1))
    if not spread > 1e-15:
        return None
    return math.sqrt(periods_per_year) * float(np.mean(excess)) / spread


def sortino(
    returns: Floats, periods_per_year: int = TRADING_DAYS, risk_free: float = 0.0
) -> float | None:
    """``sqrt(periods) * mean(r - rf) / downside deviation``.

    The downside deviation is ``sqrt(mean(min(0, r - rf) ** 2))`` over all returns. None
    with fewer than two returns or without a single losing one.
    """
    if len(returns) < 2:
        return None
    excess = returns - risk_free / periods_per_year
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    if not downside > 1e-15:
        return None
    return math.sqrt(periods_per_year) * float(np.mean(excess)) / downside
