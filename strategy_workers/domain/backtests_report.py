"""A finished backtest as stored with its job: statistics, trades and the equity curve as
plain JSON data.

Amounts are exact decimal strings; ratios and the curve are floats (a figure that is not a
finite number is null). The curve keeps at most ``max_points`` points: beyond that it is
downsampled to the first and last points plus, in equal slices of the rest, each slice's
lowest and highest point, so its peaks, troughs and drawdowns still show.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import numpy as np

from shared.backtest.bars import Floats
from shared.backtest.results import BacktestResult, EquityCurve, Trade
from shared.stats import Statistics

DOWNSAMPLING = "min-max per slice"


def plain(value: Any) -> Any:
    """A figure as JSON data: Decimals as exact text, non-finite floats as None."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def statistics(stats: Statistics) -> dict[str, Any]:
    """Every statistic by name."""
    return {name: plain(value) for name, value in stats.as_dict().items()}


def trade(one: Trade) -> dict[str, Any]:
    """One trade, closed or still open."""
    return {
        "position_id": str(one.position_id),
        "symbol": one.symbol,
        "side": one.side.value,
        "quantity": str(one.quantity),
        "entry_time": one.entry_time,
        "entry_bar": one.entry_bar,
        "entry_price": str(one.entry_price),
        "exit_time": one.exit_time,
        "exit_bar": one.exit_bar,
        "exit_price": str(one.exit_price),
        "gross_pnl": str(one.gross_pnl),
        "commission": str(one.commission),
        "net_pnl": str(one.net_pnl),
        "mae": str(one.mae),
        "mfe": str(one.mfe),
        "closed": one.closed,
    }


def trades(result: BacktestResult) -> list[dict[str, Any]]:
    """The closed trades in order, then those reported open."""
    return [trade(t) for t in (*result.trades, *result.open_trades)]


def summary(result: BacktestResult) -> dict[str, Any]:
    """The run's figures: statistics and counts."""
    return {
        "statistics": statistics(result.statistics),
        "bars": result.bars,
        "candles": result.candles,
        "orders": len(result.orders),
        "fills": len(result.fills),
        "trades": len(result.trades),
        "open_trades": len(result.open_trades),
        "signals": len(result.signals),
        "final_equity": str(result.final_equity),
    }


def kept(values: Floats, max_points: int) -> list[int]:
    """Indices of the points kept (all when they fit)."""
    n = len(values)
    if n <= max_points:
        return list(range(n))
    slices = max(1, (max_points - 2) // 2)
    edges = np.linspace(1, n - 1, slices + 1).astype(np.int64)
    chosen = {0, n - 1}
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        if hi > lo:
            part = values[lo:hi]
            chosen.add(lo + int(np.argmin(part)))
            chosen.add(lo + int(np.argmax(part)))
    return sorted(chosen)


def equity(curve: EquityCurve, max_points: int) -> dict[str, Any]:
    """The curve, downsampled to ``max_points`` at most (and said so)."""
    index = kept(curve.values, max_points)
    values = curve.values[index]
    return {
        "times": curve.times[index].tolist(),
        "values": [plain(float(v)) for v in values],
        "in_market": curve.in_market[index].tolist(),
        "points": len(index),
        "source_points": len(curve),
        "downsampled": len(index) < len(curve),
        "method": DOWNSAMPLING if len(index) < len(curve) else None,
    }
