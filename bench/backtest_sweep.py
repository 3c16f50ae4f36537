"""A 100-combination parameter sweep of the MA crossover: one process vs every core.

    uv run python bench/backtest_sweep.py [--bars 100000] [--workers N]

The grid is fast = 5, 10, ... 50 by slow = 60, 70, ... 150 (100 combinations, all valid)
over ``--bars`` synthetic 1-minute bars, run by ``shared.backtest.sweep.run_sweep``: first
with one worker (in this process), then with ``--workers`` processes (default: one per
core), each receiving the bars once. For each: wall time, the CPU time of this process and
of its worker processes (``os.times``), and the CPU use as a share of the cores used over
the wall time. Both runs must rank the combinations identically.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid

from shared.backtest import BacktestOptions
from shared.backtest.grid import parse_grid
from shared.backtest.sweep import rank, run_sweep
from shared.backtest.synthetic import random_walk
from shared.strategy.definition import StrategyDefinition, Subscription

GRID = ("fast=5:50:5", "slow=60:150:10")


def definition() -> StrategyDefinition:
    return StrategyDefinition(
        strategy_id=uuid.UUID(int=1),
        version=1,
        user_id=uuid.UUID(int=2),
        account_id=uuid.UUID(int=3),
        code_ref="builtin:ma_crossover",
        subscriptions=(Subscription("ESZ6", "1m"),),
    )


def timed_sweep(bars, workers: int):  # type: ignore[no-untyped-def]
    """(wall s, own CPU s, children's CPU s, runs)."""
    before = os.times()
    started = time.perf_counter()
    runs = run_sweep(
        definition(),
        [bars],
        parse_grid(GRID),
        BacktestOptions(),
        workers=workers,
    )
    wall = time.perf_counter() - started
    after = os.times()
    own = (after.user - before.user) + (after.system - before.system)
    children = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, own, children, runs


def main(args: argparse.Namespace) -> None:
    bars = random_walk(args.bars, seed=42)
    cores = os.cpu_count() or 1
    workers = args.workers or cores
    combos = len(parse_grid(GRID)["fast"]) * len(parse_grid(GRID)["slow"])
    print(
        f"sweep of {combos} MA crossover combinations ({' x '.join(GRID)}) on {args.bars:,} "
        f"bars; load average {os.getloadavg()[0]:.1f} on {cores} cores"
    )
    print(f"{'':16}{'wall s':>9}{'CPU s':>9}{'of which workers':>18}{'CPU use':>10}{'runs/s':>9}")
    results = {}
    for label, count in (("1 process", 1), (f"{workers} processes", workers)):
        wall, own, children, runs = timed_sweep(bars, count)
        results[count] = (wall, runs)
        cpu = own + children
        use = cpu / (wall * count)
        print(
            f"{label:16}{wall:>9.1f}{cpu:>9.1f}{children:>18.1f}{use:>10.0%}"
            f"{len(runs) / wall:>9.2f}"
        )
    (one_wall, one_runs), (many_wall, many_runs) = results[1], results[workers]
    same = [r.parameters for r in rank(one_runs, "sharpe")] == [
        r.parameters for r in rank(many_runs, "sharpe")
    ]
    best = rank(many_runs, "sharpe")[0]
    print(
        f"speed-up {one_wall / many_wall:.2f}x on {workers} processes; same ranking: {same}; "
        f"best by Sharpe: {best.parameters}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=0)
    main(parser.parse_args())
