"""What ``tickstream backtest`` prints and writes: the summary, the sweep table, the files."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from shared.backtest import BacktestResult, BarSeries
from shared.backtest.exports import write_equity, write_trades
from shared.backtest.sweep import SweepRun
from shared.stats import Statistics
from shared.times import iso

CENT = Decimal("0.01")


def money(value: Decimal | float | None) -> str:
    """``-1,234.50``; ``-`` for none."""
    if value is None:
        return "-"
    return f"{Decimal(str(value)).quantize(CENT):,}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f} %"


def ratio(value: Decimal | float | None) -> str:
    return "-" if value is None else f"{float(value):.2f}"


def duration(ns: int) -> str:
    """``3d 04:05`` (days, hours, minutes)."""
    minutes = ns // 60_000_000_000
    days, minutes = divmod(minutes, 1440)
    return f"{days}d {minutes // 60:02d}:{minutes % 60:02d}"


def summary(
    result: BacktestResult, data: Sequence[BarSeries], currency: str, seconds: float
) -> str:
    """The run's data, then its statistics, one per line."""
    s = result.statistics
    lines = [
        f"{bars.symbol} {bars.timeframe}  {iso(int(bars.open_time[0]))[:19]}Z .. "
        f"{iso(int(bars.close_time[-1]))[:19]}Z  {len(bars):,} bars"
        for bars in data
        if len(bars)
    ]
    rows = [
        ("starting capital", f"{money(s.starting_capital)} {currency}"),
        ("final equity", f"{money(s.final_equity)} {currency}"),
        ("net profit", f"{money(s.net_profit)} {currency}"),
        ("total return", percent(s.total_return)),
        ("CAGR", percent(s.cagr)),
        ("max drawdown", f"{money(s.max_drawdown)} ({percent(s.max_drawdown_pct)})"),
        ("longest drawdown", duration(s.max_drawdown_duration_ns)),
        ("Sharpe (daily, 252)", ratio(s.sharpe)),
        ("Sortino (daily, 252)", ratio(s.sortino)),
        ("trades", f"{s.trades} ({s.winning_trades} won, {s.losing_trades} lost)"),
        ("win rate", percent(s.win_rate)),
        ("profit factor", ratio(s.profit_factor)),
        ("expectancy", money(s.expectancy)),
        ("average win / loss", f"{money(s.average_win)} / {money(s.average_loss)}"),
        ("gross P&L", money(s.gross_pnl)),
        ("commissions", money(s.commissions)),
        ("exposure", percent(s.exposure)),
        ("buy and hold", percent(s.buy_and_hold_return)),
        ("open trades", str(len(result.open_trades))),
        ("orders / fills", f"{len(result.orders)} / {len(result.fills)}"),
        (
            "run time",
            f"{seconds:.2f} s ({result.bars / max(seconds, 1e-9):,.0f} bars/s)",
        ),
    ]
    return "\n".join([*lines, "", *(f"{label:<22}{value}" for label, value in rows)])


SWEEP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("NET PROFIT", "net_profit"),
    ("RETURN", "total_return"),
    ("SHARPE", "sharpe"),
    ("MAX DD", "max_drawdown_pct"),
    ("TRADES", "trades"),
    ("WIN RATE", "win_rate"),
    ("PF", "profit_factor"),
)


def cell(name: str, stats: Statistics) -> str:
    value = getattr(stats, name)
    if name in {"total_return", "max_drawdown_pct", "win_rate", "exposure", "cagr"}:
        return percent(value)
    if name in {"net_profit", "max_drawdown", "expectancy", "gross_pnl", "commissions"}:
        return money(value)
    if isinstance(value, int):
        return str(value)
    return ratio(value)


def sweep_table(runs: Sequence[SweepRun], rank_by: str, top: int) -> str:
    """The ranked runs (parameters, the main figures and the ranking one), then failures."""
    from shared.cli.output import table

    names = list(runs[0].parameters) if runs else []
    columns = list(SWEEP_COLUMNS)
    if rank_by not in {field for _, field in columns}:
        columns.append((rank_by.upper(), rank_by))
    ran = [r for r in runs if r.statistics is not None]
    rows = [
        [str(place), *(run.parameters[n] for n in names), *(cell(f, stats) for _, f in columns)]
        for place, run in enumerate(ran[:top], 1)
        if (stats := run.statistics) is not None
    ]
    header = ["#", *(n.upper() for n in names), *(c for c, _ in columns)]
    failed = [
        "failed " + " ".join(f"{n}={v}" for n, v in run.parameters.items()) + f": {run.error}"
        for run in runs
        if run.statistics is None
    ]
    return "\n".join([table(header, rows), *([""] if failed else []), *failed])


def write_results(out: Path, result: BacktestResult) -> list[Path]:
    """trades.csv (closed then open trades) and equity.csv in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    trades, equity = out / "trades.csv", out / "equity.csv"
    write_trades(trades, [*result.trades, *result.open_trades])
    write_equity(equity, result.equity)
    return [trades, equity]


def write_sweep(out: Path, runs: Sequence[SweepRun]) -> Path:
    """sweep.csv in ``out``: every run's parameters and statistics, in ranked order."""
    import csv

    out.mkdir(parents=True, exist_ok=True)
    path = out / "sweep.csv"
    names = list(runs[0].parameters) if runs else []
    fields = list(Statistics.__dataclass_fields__)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*names, *fields, "error"])
        for run in runs:
            stats = run.statistics.as_dict() if run.statistics else {}
            values = ["" if stats.get(f) is None else str(stats[f]) for f in fields]
            writer.writerow([*(run.parameters[n] for n in names), *values, run.error or ""])
    return path
