"""Skipping the engine on bars without working orders changes nothing in the results."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from shared.backtest import BacktestOptions, BacktestResult, FillAt, run_backtest
from shared.backtest.simulation import Simulation
from shared.backtest.symbols import SymbolState, dec
from shared.backtest.synthetic import random_walk
from shared.strategy.candles import Candle
from shared.strategy.definition import Subscription
from tests.unit.backtest.support import definition

BARS = random_walk(1200, seed=5)


def every_bar_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the loop show every bar, whole, to ``TradingEngine.on_bar``, as a live order
    processor does."""
    settle = Simulation.settle

    def settle_then_work(self: Simulation, emitted, now_ns: int) -> None:
        settle(self, emitted, now_ns)
        for state in self.states:
            state.working = True

    def engine_bar(self: Simulation, state: SymbolState, candle: Candle) -> None:
        _, _, open_ns, close_ns, o, h, low, c, v, _ = candle
        ohlc = (dec(o), dec(h), dec(low), dec(c))
        events = self.engine.on_bar(state.name, open_ns, close_ns, ohlc, dec(v))
        state.seen = state.bar  # the engine marked the position at every point
        self.settle(self.process(events), close_ns)

    monkeypatch.setattr(Simulation, "settle", settle_then_work)
    monkeypatch.setattr(Simulation, "engine_bar", engine_bar)


def outcome(result: BacktestResult) -> tuple[object, ...]:
    trades = [
        (t.entry_bar, t.exit_bar, t.entry_price, t.exit_price, t.net_pnl, t.mae, t.mfe)
        for t in (*result.trades, *result.open_trades)
    ]
    fills = [(f.ts_ns, f.price, f.quantity, f.commission) for f in result.fills]
    return trades, fills, result.equity.values.tolist()


@pytest.mark.parametrize("fill_at", list(FillAt))
@pytest.mark.parametrize(
    "parameters",
    [
        {"fast": 5, "slow": 20},
        {"fast": 8, "slow": 21, "take_profit_ticks": 12, "stop_loss_ticks": 8},
        {"fast": 8, "slow": 21, "long_only": True, "stop_loss_ticks": 6},
    ],
)
def test_results_match_a_run_that_shows_the_engine_every_bar(
    monkeypatch: pytest.MonkeyPatch, fill_at: FillAt, parameters: dict[str, Any]
) -> None:
    options = BacktestOptions(
        fill_at=fill_at, commission_per_contract=Decimal("1.1"), slippage_ticks=1
    )
    lean = run_backtest(definition(**parameters), [BARS], options)
    every_bar_to_the_engine(monkeypatch)
    full = run_backtest(definition(**parameters), [BARS], options)

    assert len(lean.trades) > 20
    assert outcome(lean) == outcome(full)


RULES = {
    "timeframe": "1m",
    "indicators": {
        "fast": {"type": "ema", "period": 5},
        "slow": {"type": "ema", "period": 15},
        "trend": {"type": "sma", "period": 4, "timeframe": "15m"},
    },
    "rules": [
        {
            "name": "long with the trend",
            "when": {
                "all": [
                    {"crosses_above": ["fast", "slow"]},
                    {">": [{"field": "close", "timeframe": "15m"}, "trend"]},
                ]
            },
            "then": {"do": "enter_long", "quantity": 1, "stop_loss": {"ticks": 6}},
        },
        {"name": "out", "when": {"crosses_below": ["fast", "slow"]}, "then": {"do": "exit"}},
    ],
}


@pytest.mark.parametrize("fill_at", list(FillAt))
def test_a_multi_timeframe_rule_set_with_stops_matches_the_every_bar_run(
    monkeypatch: pytest.MonkeyPatch, fill_at: FillAt
) -> None:
    strategy = dataclasses.replace(definition(code_ref="rules"), rules=RULES)
    options = BacktestOptions(fill_at=fill_at, commission_per_contract=Decimal("1.1"))
    lean = run_backtest(strategy, [BARS], options)
    every_bar_to_the_engine(monkeypatch)
    full = run_backtest(strategy, [BARS], options)

    assert len(lean.trades) > 5
    assert outcome(lean) == outcome(full)


def test_the_merged_loop_gives_what_the_single_stream_loop_gives() -> None:
    other = random_walk(300, symbol="NQZ6", seed=8)
    subs = (Subscription("ESZ6", "1m"),)
    single = run_backtest(definition(fast=5, slow=20, subscriptions=subs), [BARS])
    # A second symbol in the data but not subscribed leaves a single stream; a subscribed
    # higher timeframe the MA crossover ignores forces the merged loop over the same bars.
    merged = run_backtest(
        definition(fast=5, slow=20, subscriptions=(*subs, Subscription("ESZ6", "15m"))),
        [BARS, other],
    )

    assert outcome(single) == outcome(merged)
