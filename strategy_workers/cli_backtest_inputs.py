"""What ``tickstream backtest`` runs: the strategy version, the candles and the options."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from shared.backtest import BacktestOptions, BarSeries, DataError, FillAt, OpenTrades
from shared.backtest.csv_source import load_csv
from shared.backtest.parquet_source import load_parquet
from shared.strategy.catalog import build
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription
from shared.trading.ids import derive_id

PARQUET = {".parquet", ".pq"}


@dataclass(frozen=True)
class Source:
    """Where the candles come from: files, or InfluxDB for one symbol and timeframe."""

    files: Sequence[Path]
    influx: bool
    symbol: str | None
    timeframe: str | None
    data_timeframe: str | None
    start: str | None
    end: str | None


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["fast=10", "slow=30"]`` -> ``{"fast": "10", "slow": "30"}`` (checked later)."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        params[name.strip()] = value.strip()
    return params


def decimal(name: str, text: str | None) -> Decimal | None:
    """An option's number, or None when not given."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{name} {text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{name} {text!r} is not a finite number")
    return value


def load(source: Source) -> list[BarSeries]:
    """The candles of the source (files by extension: .csv, .parquet/.pq)."""
    if source.influx:
        return [_from_influx(source)]
    if not source.files:
        raise ValueError("give --data FILE (CSV or Parquet) or --influx")
    loaded: list[BarSeries] = []
    for path in source.files:
        reader = load_parquet if path.suffix.lower() in PARQUET else load_csv
        loaded.extend(reader(path, symbol=source.symbol, timeframe=source.data_timeframe))
    return loaded


def _from_influx(source: Source) -> BarSeries:
    from shared.settings import CommonSettings
    from shared.times import parse_time
    from shared.tsdb import InfluxDB

    if not source.symbol or not (source.timeframe or source.data_timeframe):
        raise ValueError("--influx needs --symbol and --timeframe")
    timeframe = source.data_timeframe or source.timeframe or ""
    start = parse_time(source.start) if source.start else 0
    end = parse_time(source.end) if source.end else None
    from shared.backtest.influx_source import load_influx

    async def read() -> BarSeries:
        influx = InfluxDB.from_settings(CommonSettings())
        await influx.start()
        try:
            return await load_influx(influx, source.symbol or "", timeframe, start, end)
        finally:
            await influx.close()

    return asyncio.run(read())


def definition(  # noqa: PLR0917 -- the parts of a version
    code_ref: str,
    params: dict[str, str],
    rules_file: Path | None,
    data: Sequence[BarSeries],
    source: Source,
    sizing: Sizing,
    capital: Decimal,
) -> StrategyDefinition:
    """An ad-hoc strategy version on the first loaded symbol (or ``--symbol``), checked.

    Its ids are fixed, so the same run gives the same order ids.
    """
    if not data:
        raise DataError("no candles were loaded")
    symbol = source.symbol or data[0].symbol
    timeframe = source.timeframe or next(s.timeframe for s in data if s.symbol == symbol)
    rules: Any = None
    if rules_file is not None:
        try:
            rules = json.loads(rules_file.read_text())
        except (OSError, ValueError) as exc:
            raise ValueError(f"--rules {rules_file}: {exc}") from None
    made = StrategyDefinition(
        strategy_id=derive_id("backtest"),
        version=1,
        user_id=derive_id("backtest", "user"),
        account_id=derive_id("backtest", "account"),
        code_ref=code_ref,
        subscriptions=(Subscription(symbol, timeframe),),
        parameters=params,
        rules=rules,
        sizing=sizing,
        capital=capital,
        name=code_ref,
    )
    build(made)  # unknown strategy, bad parameters or rules: refused before any run
    return made


def options(  # noqa: PLR0917 -- the options of a run
    capital: Decimal,
    per_contract: str | None,
    rate: str | None,
    slippage_ticks: int,
    fill: str,
    open_trades: str,
) -> BacktestOptions:
    """The run's options from the command line's text."""
    return BacktestOptions(
        fill_at=FillAt(fill),
        commission_per_contract=decimal("--commission-per-contract", per_contract),
        commission_rate=decimal("--commission-rate", rate),
        slippage_ticks=slippage_ticks,
        capital=capital,
        open_trades=OpenTrades(open_trades),
    )
