"""Sweep grids: parsing, combinations, ranking, and runs on one or two processes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.backtest.grid import combinations, parse_axis, parse_grid
from shared.backtest.sweep import SweepRun, rank, run_sweep
from shared.backtest.synthetic import random_walk
from shared.stats import Statistics
from tests.unit.backtest.support import definition


@pytest.mark.parametrize(
    ("spec", "axis"),
    [
        ("fast=5:20:5", ("fast", ["5", "10", "15", "20"])),
        ("fast=5:19:5", ("fast", ["5", "10", "15"])),
        ("k=0.5:1.5:0.5", ("k", ["0.5", "1.0", "1.5"])),
        ("slow=20,40, 60", ("slow", ["20", "40", "60"])),
        ("average=sma,ema", ("average", ["sma", "ema"])),
    ],
)
def test_an_axis_is_a_range_or_a_list(spec: str, axis: tuple[str, list[str]]) -> None:
    assert parse_axis(spec) == axis


@pytest.mark.parametrize("spec", ["fast", "=1,2", "fast=", "fast=1:2", "fast=5:1:1", "fast=1:5:0"])
def test_a_bad_axis_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="sweep"):
        parse_axis(spec)


def test_the_grid_is_every_combination_first_axis_slowest() -> None:
    grid = parse_grid(["fast=1,2", "slow=3,4,5"])

    assert combinations(grid) == [
        {"fast": "1", "slow": "3"}, {"fast": "1", "slow": "4"}, {"fast": "1", "slow": "5"},
        {"fast": "2", "slow": "3"}, {"fast": "2", "slow": "4"}, {"fast": "2", "slow": "5"},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="given twice"):
        parse_grid(["fast=1", "fast=2"])


def stats(**values: object) -> Statistics:
    base = dict.fromkeys(Statistics.__dataclass_fields__)
    base.update(values)
    return Statistics(**base)  # type: ignore[arg-type]


def test_ranking_puts_the_best_first_and_failures_last() -> None:
    runs = [
        SweepRun({"x": "1"}, stats(sharpe=0.5, max_drawdown=30.0)),
        SweepRun({"x": "2"}, None, "refused"),
        SweepRun({"x": "3"}, stats(sharpe=None, max_drawdown=10.0)),
        SweepRun({"x": "4"}, stats(sharpe=1.5, max_drawdown=20.0)),
    ]

    assert [r.parameters["x"] for r in rank(runs, "sharpe")] == ["4", "1", "3", "2"]
    assert [r.parameters["x"] for r in rank(runs, "max_drawdown")] == ["3", "4", "1", "2"]
    with pytest.raises(ValueError, match="unknown statistic"):
        rank(runs, "luck")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_sweep_gives_what_single_backtests_give(workers: int) -> None:
    from shared.backtest import run_backtest

    bars = random_walk(600, seed=4)
    runs = run_sweep(definition(), [bars], parse_grid(["fast=5,30", "slow=20"]), workers=workers)

    assert runs[1].statistics is None and "must be below slow" in (runs[1].error or "")
    alone = run_backtest(definition(fast=5, slow=20), [bars]).statistics
    assert runs[0].statistics == alone
    assert runs[0].statistics is not None and runs[0].statistics.trades > 5


def test_a_grid_the_strategy_refuses_entirely_is_an_error() -> None:
    with pytest.raises(ValueError, match="no combination can run"):
        run_sweep(definition(), [random_walk(50)], parse_grid(["luck=1,2"]))


def test_statistics_survive_the_trip_to_a_worker_process() -> None:
    import pickle

    value = stats(net_profit=Decimal("1.5"), sharpe=2.0)
    assert pickle.loads(pickle.dumps(value)) == value
