"""Backtest speed: the MA crossover over synthetic 1-minute bars. Prints figures.

    uv run python bench/backtest_speed.py [--bars 1000000] [--small 100000]
        [--fast 10] [--slow 30] [--repeat 3] [--profile]

For each size (``--small`` and ``--bars`` bars of a seeded random walk on the ES tick;
the small one best of ``--repeat`` runs):

- backtest: ``run_backtest`` of ``builtin:ma_crossover`` (long-short with reversal,
  next-open fills, a commission rate), wall and CPU time, bars/s, fills;
- without trades: the same run with the strategy's actions switched off (``ctx.live``
  False from its start, so each crossing still computes its decision): the cost of the
  bars alone, runner and loop;
- cost per fill: (CPU with trades - CPU without) / fills; it should not grow with the
  size, that is with the number of trades;
- plain-Python reference: the same SMA crossover as a bare loop over the same arrays,
  position and P&L in floats, fills at the next open (no engine, no runner, no ids).

The target is >= 300,000 bars/s on the 1M bars. ``--profile`` prints the hottest functions
of the large run (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import time
import uuid
from decimal import Decimal
from typing import Any

from shared.backtest import BacktestOptions, BacktestResult, BarSeries, run_backtest
from shared.backtest.synthetic import random_walk
from shared.strategy.builtins.ma_crossover import MovingAverageCrossover
from shared.strategy.context import StrategyContext
from shared.strategy.definition import StrategyDefinition, Subscription
from shared.strategy.params import resolve

TARGET = 300_000
RATE = Decimal("0.00002")
POINT = 50.0


class Silent(MovingAverageCrossover):
    """The crossover deciding as usual, its actions ignored (as during warm-up)."""

    def on_start(self, ctx: StrategyContext) -> None:
        super().on_start(ctx)
        ctx.live = False


def definition(fast: int, slow: int) -> StrategyDefinition:
    return StrategyDefinition(
        strategy_id=uuid.UUID(int=1),
        version=1,
        user_id=uuid.UUID(int=2),
        account_id=uuid.UUID(int=3),
        code_ref="builtin:ma_crossover",
        subscriptions=(Subscription("ESZ6", "1m"),),
        parameters={"fast": fast, "slow": slow},
    )


def timed(run) -> tuple[float, float, BacktestResult]:  # type: ignore[no-untyped-def]
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - started, time.process_time() - cpu, result


def reference(bars: BarSeries, fast: int, slow: int) -> tuple[float, float, int, float]:
    """The bare loop: (wall s, CPU s, fills, final equity)."""
    opens, closes = bars.open.tolist(), bars.close.tolist()
    started, cpu = time.perf_counter(), time.process_time()
    rate, fast_sum, slow_sum = float(RATE), 0.0, 0.0
    position, entry, cash, pending, fills = 0, 0.0, 100_000.0, 0, 0
    before = 0
    equity = [0.0] * len(closes)
    for i, close in enumerate(closes):
        if pending:
            price = opens[i]
            cash -= rate * price * POINT * abs(pending)
            if position:
                cash += (price - entry) * position * POINT
            position += pending
            entry, pending = price, 0
            fills += 1
        fast_sum += close
        slow_sum += close
        if i >= fast:
            fast_sum -= closes[i - fast]
        if i >= slow:
            slow_sum -= closes[i - slow]
        if i >= slow - 1:
            diff = fast_sum / fast - slow_sum / slow
            now = (diff > 0) - (diff < 0)
            if i >= slow and now and now != before:
                target = now  # long on a cross up, short on a cross down
                if target != position:
                    pending = target - position
            before = now
        equity[i] = cash + (close - entry) * position * POINT if position else cash
    return time.perf_counter() - started, time.process_time() - cpu, fills, equity[-1]


def measure(bars: BarSeries, fast: int, slow: int, repeat: int) -> dict[str, Any]:
    """The best of ``repeat`` runs of each kind (least disturbed by other processes)."""
    d = definition(fast, slow)
    options = BacktestOptions(commission_rate=RATE)
    params = resolve(MovingAverageCrossover.PARAMS, d.parameters)
    best: dict[str, Any] = {}

    def keep(name: str, wall: float, cpu: float) -> None:
        if name + "_cpu" not in best or cpu < best[name + "_cpu"]:
            best[name + "_wall"], best[name + "_cpu"] = wall, cpu

    marks: list[tuple[int, float]] = []

    def mark(done: int, total: int) -> None:
        marks.append((done, time.process_time()))

    def marked() -> BacktestResult:
        marks.clear()
        marks.append((0, time.process_time()))
        return run_backtest(d, [bars], options, progress=mark)

    for _ in range(repeat):
        wall, cpu, result = timed(marked)
        keep("trades", wall, cpu)
        fills, trades = len(result.fills), len(result.trades)
        halves = _halves(bars, marks, [f.ts_ns for f in result.fills])
        del result  # its orders and fills would weigh on the garbage collector below
        wall, cpu, _ = timed(lambda: run_backtest(d, [bars], options, strategy=Silent(params)))
        keep("quiet", wall, cpu)
        wall, cpu, ref_fills, _ = reference(bars, fast, slow)
        keep("ref", wall, cpu)
    return {
        **best,
        "bars": len(bars),
        "fills": fills,
        "trades": trades,
        "per_fill_us": (best["trades_cpu"] - best["quiet_cpu"]) / max(fills, 1) * 1e6,
        "ref_fills": ref_fills,
        "halves": halves,
    }


def _halves(
    bars: BarSeries, marks: list[tuple[int, float]], fill_times: list[int]
) -> tuple[tuple[float, int], tuple[float, int]]:
    """(CPU s, fills) of the first and the second half of a run's bars, from its progress."""
    middle = min(marks[1:], key=lambda m: abs(m[0] - len(bars) // 2))
    cut = int(bars.close_time[middle[0] - 1])
    before = sum(1 for t in fill_times if t < cut)
    return (middle[1] - marks[0][1], before), (marks[-1][1] - middle[1], len(fill_times) - before)


def report(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'bars':>10}{'fills':>8}{'backtest bars/s':>17}{'(CPU)':>10}{'no trades':>11}"
        f"{'(CPU)':>10}{'us/fill CPU':>13}{'reference':>11}{'(CPU)':>10}{'ratio':>7}"
    )
    for r in rows:
        n = r["bars"]
        print(
            f"{n:>10,.0f}{r['fills']:>8,.0f}{n / r['trades_wall']:>17,.0f}"
            f"{n / r['trades_cpu']:>10,.0f}{n / r['quiet_wall']:>11,.0f}"
            f"{n / r['quiet_cpu']:>10,.0f}{r['per_fill_us']:>13,.1f}"
            f"{n / r['ref_wall']:>11,.0f}{n / r['ref_cpu']:>10,.0f}"
            f"{r['trades_wall'] / r['ref_wall']:>6.0f}x"
        )


def profile(bars: BarSeries, fast: int, slow: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    run_backtest(definition(fast, slow), [bars], BacktestOptions(commission_rate=RATE))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("SORT", "tottime")).print_stats(
        int(os.environ.get("TOP", "30"))
    )
    print(out.getvalue())


def main(args: argparse.Namespace) -> None:
    run_backtest(definition(args.fast, args.slow), [random_walk(5_000, seed=1)])  # warm up
    print(
        f"MA crossover fast={args.fast} slow={args.slow} (SMA, long-short), next-open fills, "
        f"commission rate {RATE}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    rows = []
    for size, repeat in ((args.small, args.repeat), (args.bars, 1)):
        bars = random_walk(size, seed=42)
        rows.append(measure(bars, args.fast, args.slow, repeat))
    report(rows)
    small, large = rows
    growth = large["per_fill_us"] / small["per_fill_us"]
    verdict = "met" if large["bars"] / large["trades_wall"] >= TARGET else "NOT met"
    print(
        f"cost per fill {large['bars']:,.0f} vs {small['bars']:,.0f} bars: x{growth:.2f}; "
        f"reference fills {large['ref_fills']:,.0f} (backtest {large['fills']:,.0f}); "
        f"target >= {TARGET:,} bars/s on {large['bars']:,.0f} bars: {verdict}"
    )
    (_, first_n), (_, second_n) = large["halves"]
    first_us, second_us = (s / max(n, 1) * 1e6 for s, n in large["halves"])
    print(
        f"within the {large['bars']:,.0f}-bar run, CPU per fill all-in (bars included): "
        f"first half {first_us:.0f} us ({first_n:,} fills), second {second_us:.0f} us "
        f"({second_n:,} fills)"
    )
    per_bar = large["quiet_cpu"] / large["bars"]
    room = (1 / TARGET - per_bar) * large["bars"] / (large["per_fill_us"] / 1e6)
    print(
        f"at {per_bar * 1e6:.2f} us per bar and {large['per_fill_us']:.0f} us per fill, "
        f"{TARGET:,} bars/s allows {max(room, 0):,.0f} fills per {large['bars']:,.0f} bars "
        f"(this run has {large['fills']:,.0f})"
    )
    if args.profile:
        profile(random_walk(args.bars, seed=42), args.fast, args.slow)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--fast", type=int, default=10)
    parser.add_argument("--slow", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the small size")
    parser.add_argument("--profile", action="store_true")
    main(parser.parse_args())
