"""Results and candles as CSV files: trades, the equity curve, and bars in the loader's format."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from shared.backtest.bars import BarSeries
from shared.backtest.results import EquityCurve, Trade
from shared.times import iso

TRADE_COLUMNS = (
    "symbol",
    "side",
    "quantity",
    "entry_time",
    "entry_bar",
    "entry_price",
    "exit_time",
    "exit_bar",
    "exit_price",
    "gross_pnl",
    "commission",
    "net_pnl",
    "mae",
    "mfe",
    "closed",
)
BAR_COLUMNS = ("timestamp", "symbol", "open", "high", "low", "close", "volume")


def trade_row(trade: Trade) -> list[str]:
    """One trade as text (times ISO 8601; an open trade has no exit time or bar)."""
    return [
        trade.symbol,
        trade.side.value,
        str(trade.quantity),
        iso(trade.entry_time),
        str(trade.entry_bar),
        str(trade.entry_price),
        "" if trade.exit_time is None else iso(trade.exit_time),
        "" if trade.exit_bar is None else str(trade.exit_bar),
        str(trade.exit_price),
        str(trade.gross_pnl),
        str(trade.commission),
        str(trade.net_pnl),
        str(trade.mae),
        str(trade.mfe),
        "true" if trade.closed else "false",
    ]


def write_trades(path: str | Path, trades: Sequence[Trade]) -> None:
    """``trades`` (closed and open) as CSV with ``TRADE_COLUMNS``."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRADE_COLUMNS)
        writer.writerows(trade_row(t) for t in trades)


def write_equity(path: str | Path, curve: EquityCurve) -> None:
    """The equity curve as CSV: ``timestamp`` (a bar close), ``equity``, ``in_market``."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("timestamp", "equity", "in_market"))
        for ts, value, held in zip(
            curve.times.tolist(), curve.values.tolist(), curve.in_market.tolist(), strict=True
        ):
            writer.writerow((iso(ts), f"{value:.2f}", "1" if held else "0"))


def write_bars(path: str | Path, series: Sequence[BarSeries]) -> None:
    """Candles as CSV that ``load_csv`` reads back (open times ISO 8601, symbol column)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(BAR_COLUMNS)
        for bars in series:
            rows = zip(
                bars.open_time.tolist(),
                bars.open.tolist(),
                bars.high.tolist(),
                bars.low.tolist(),
                bars.close.tolist(),
                bars.volume.tolist(),
                strict=True,
            )
            for ts, o, h, low, c, v in rows:
                writer.writerow((_iso_seconds(ts), bars.symbol, o, h, low, c, f"{v:g}"))


def _iso_seconds(ns: int) -> str:
    """``2026-01-05T00:00:00Z`` when the time is whole seconds, else the full form."""
    text = iso(ns)
    return text[:19] + "Z" if text.endswith(".000000000Z") else text
