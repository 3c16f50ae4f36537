"""``tickstream backtest`` end to end on the sample file, and on candles in InfluxDB."""

from __future__ import annotations

import asyncio
import csv
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from shared.backtest.csv_source import load_csv
from shared.tsdb import InfluxDB
from strategy_workers.cli_backtest import register
from tests.integration.backtest.conftest import candle_lines

pytestmark = pytest.mark.integration

SAMPLE = Path(__file__).parents[3] / "examples/data/ESZ6-1m.csv"
MA = ["backtest", "--strategy", "builtin:ma_crossover", "--data", str(SAMPLE)]


def tickstream() -> typer.Typer:
    app = typer.Typer(rich_markup_mode=None)
    register(app)

    @app.callback()
    def main() -> None:
        """Stands in for the ``tickstream`` command."""

    return app


def invoke(*args: str) -> Result:
    return CliRunner().invoke(tickstream(), list(args))


def test_a_backtest_prints_statistics_and_writes_trades_and_equity(tmp_path: Path) -> None:
    result = invoke(
        *MA, "--param", "fast=10", "--param", "slow=30", "--commission-rate", "0.00002",
        "--slippage-ticks", "1", "--out", str(tmp_path),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "net profit" in result.output and "Sharpe (daily, 252)" in result.output
    with open(tmp_path / "trades.csv") as handle:
        trades = list(csv.DictReader(handle))
    with open(tmp_path / "equity.csv") as handle:
        equity = list(csv.DictReader(handle))
    assert len(trades) > 50
    assert len(equity) == len(load_csv(SAMPLE)[0])
    net = sum((Decimal(t["net_pnl"]) for t in trades), Decimal(0))
    final = Decimal(equity[-1]["equity"])
    assert abs(Decimal(100_000) + net - final) < Decimal("0.01")
    assert f"{net.quantize(Decimal('0.01')):,}" in result.output


def test_a_sweep_ranks_the_grid_run_on_two_processes(tmp_path: Path) -> None:
    result = invoke(
        *MA, "--sweep", "fast=5:15:5", "--sweep", "slow=20,40", "--rank-by", "net_profit",
        "--workers", "2", "--out", str(tmp_path),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with open(tmp_path / "sweep.csv") as handle:
        runs = list(csv.DictReader(handle))
    assert len(runs) == 6
    profits = [Decimal(r["net_profit"]) for r in runs]
    assert profits == sorted(profits, reverse=True)
    assert "6 runs ranked by net_profit" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "builtin:nope", "--data", str(SAMPLE)], "unknown strategy code"),
        ([*MA[1:], "--param", "fast=abc"], "parameter 'fast'"),
        ([*MA[1:], "--param", "fast=40", "--param", "slow=30"], "must be below slow"),
        (["--strategy", "builtin:ma_crossover", "--data", "/no/such.csv"], "cannot read"),
        ([*MA[1:], "--sweep", "fast"], "expected NAME=START:STOP:STEP"),
        ([*MA[1:], "--commission-rate", "x"], "is not a number"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args: list[str], message: str) -> None:
    result = invoke("backtest", *args)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


async def test_a_backtest_reads_candles_from_influxdb(
    influx: InfluxDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    [bars] = load_csv(SAMPLE)
    await influx.write_lines(candle_lines(bars))
    monkeypatch.setenv("TICKSTREAM_INFLUX_URL", influx.url)
    monkeypatch.setenv("TICKSTREAM_INFLUX_DATABASE", influx.database)
    from_file = invoke(*MA)

    # The command runs its own event loop: off this test's loop, in a thread.
    from_influx = await asyncio.to_thread(
        invoke, "backtest", "--strategy", "builtin:ma_crossover", "--influx", "--symbol",
        "ESZ6", "--timeframe", "1m", "--start", "2026-01-05", "--end", "2026-01-09",
    )  # fmt: skip

    assert from_influx.exit_code == 0, from_influx.output
    figures = [line for line in from_file.output.splitlines() if "net profit" in line]
    assert figures and figures[0] in from_influx.output
