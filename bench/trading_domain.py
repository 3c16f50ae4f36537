"""The trading core in process: risk check + paper fill + position update. Prints figures.

    uv run python bench/trading_domain.py [--orders 50000] [--symbols 4] [--batch 1000]
        [--profile]

One account with every risk limit set (SetRiskLimits: max order quantity, position, open
contracts, notional, daily loss, orders per minute, allowed instruments, session only,
price band), so each check runs for each order. Orders alternate buy and sell market orders
(DAY) on a few symbols, each followed by a trade of its symbol that fills it: an order's
life is submit (order checks, pre-trade risk, accept), fill (match, fill, position open or
close, exposure, daily P&L, the daily-loss watch). Every ``--batch`` orders the engine's
changes are taken and finished orders forgotten, as the order processor does per batch.
The SubmitOrder payloads, their ids and the trade ids are built before the clock starts.

The baseline, timed in the same run, is a plain loop doing the least arithmetic the same
work needs on Decimals (a few limit comparisons, the fill's commission, the position's net
quantity and realized P&L), so the ratio is the cost of the engine's bookkeeping.
``--profile`` prints the engine's hottest functions (cProfile) after the figures. The
default 50k orders keep ``make bench`` short; the figure holds at 200k (``--orders 200000``).
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

from shared.instruments import InstrumentRegistry
from shared.messages.schemas.common import OrderSide, OrderType
from shared.messages.schemas.orders import SubmitOrder
from shared.messages.schemas.risk_limits import RiskLimitsSpec, SetRiskLimits
from shared.trading.engine import TradingEngine
from shared.trading.state import Account

START_NS = 1_767_600_000_000_000_000  # 2026-01-05 08:00 UTC, a Monday: CME Globex is open
STEP_NS = 1_000_000  # 1 ms between orders: 60k in any minute, under the rate limit below
ROOTS = ("ES", "NQ", "CL", "GC", "YM", "RTY", "MES", "MNQ")
PRICES = {"ES": "5000.25", "NQ": "18000.50", "CL": "75.31", "GC": "2050.10", "YM": "39000"}
TARGET = 100_000


def symbols(count: int) -> list[str]:
    return [f"{ROOTS[i % len(ROOTS)]}H6" for i in range(count)]


def limits(names: list[str]) -> RiskLimitsSpec:
    """Limits every order passes, but which each check has to compute to know it."""
    return RiskLimitsSpec(
        max_order_quantity=Decimal(10),
        max_position=Decimal(20),
        max_open_contracts=Decimal(100),
        max_notional=Decimal(100_000_000),
        max_daily_loss=Decimal(1_000_000_000),
        max_orders_per_minute=100_000,
        allowed_symbols=tuple(names),
        session_only=True,
        price_band_pct=Decimal(5),
    )


def commands(
    count: int, names: list[str], account: uuid.UUID, user: uuid.UUID
) -> list[tuple[SubmitOrder, uuid.UUID, str, Decimal, str]]:
    """(command, its message id, symbol, trade price, trade id) per order, built up front.

    Orders come in pairs per symbol, buy then sell, so positions open and close in turn.
    """
    out = []
    for i in range(count):
        symbol = names[(i // 2) % len(names)]
        cmd = SubmitOrder(
            account_id=account,
            user_id=user,
            client_order_id=f"bench-{i}",
            symbol=symbol,
            side=OrderSide.BUY if i % 2 == 0 else OrderSide.SELL,
            order_type=OrderType.MARKET,
            quantity=Decimal(1 + i % 3),
        )
        price = Decimal(PRICES.get(symbol[:-2], "100.00"))
        out.append((cmd, uuid.uuid4(), symbol, price, f"t{i}"))
    return out


def engine_for(names: list[str], account: uuid.UUID, user: uuid.UUID) -> TradingEngine:
    engine = TradingEngine(InstrumentRegistry.with_standard_futures())
    engine.state.accounts[account] = Account(account, user, "USD", Decimal(100_000))
    set_limits = SetRiskLimits(account_id=account, user_id=user, limits=limits(names))
    engine.handle(set_limits, uuid.uuid4(), START_NS)
    engine.take_changes()
    return engine


def run_engine(
    engine: TradingEngine,
    work: list[tuple[SubmitOrder, uuid.UUID, str, Decimal, str]],
    batch: int,
) -> tuple[float, float, int, int]:
    """Wall and CPU seconds for all orders; events emitted; orders filled."""
    one = Decimal(1)
    events = filled = 0
    now = START_NS
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(work), batch):
        for cmd, command_id, symbol, price, trade_id in work[start : start + batch]:
            now += STEP_NS
            events += len(engine.handle(cmd, command_id, now))
            events += len(engine.on_trade(symbol, price, one, trade_id, now))
        changes = engine.take_changes()
        filled += len(changes.fills)
        engine.state.book.forget_done()
    return time.perf_counter() - started, time.process_time() - cpu, events, filled


def run_baseline(
    work: list[tuple[SubmitOrder, uuid.UUID, str, Decimal, str]], batch: int
) -> tuple[float, float]:
    """The least the same work needs: limit comparisons, commission, net and realized P&L."""
    max_qty, max_pos, max_notional = Decimal(10), Decimal(20), Decimal(100_000_000)
    fee, point = Decimal("2.25"), Decimal(50)
    net: dict[str, Decimal] = {}
    cost: dict[str, Decimal] = {}
    realized = Decimal(0)
    fills: list[tuple[str, Decimal, Decimal, Decimal]] = []
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(work), batch):
        for cmd, _id, symbol, price, _trade in work[start : start + batch]:
            qty = cmd.quantity if cmd.side is OrderSide.BUY else -cmd.quantity
            held = net.get(symbol, Decimal(0))
            after = held + qty
            if cmd.quantity > max_qty or abs(after) > max_pos:
                continue
            if abs(after) * price * point > max_notional:
                continue
            commission = fee * cmd.quantity
            fills.append((symbol, price, qty, commission))
            if after:
                cost[symbol] = cost.get(symbol, Decimal(0)) + price * qty
            else:
                realized += (cost.pop(symbol, Decimal(0)) - price * held) * point
            realized -= commission
            net[symbol] = after
        fills.clear()
    return time.perf_counter() - started, time.process_time() - cpu


def profile(
    names: list[str],
    work: list[tuple[SubmitOrder, uuid.UUID, str, Decimal, str]],
    batch: int,
    account: uuid.UUID,
    user: uuid.UUID,
) -> None:
    """The same run again under cProfile, on a fresh engine: its hottest functions."""
    engine = engine_for(names, account, user)
    profiler = cProfile.Profile()
    profiler.enable()
    run_engine(engine, work, batch)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "tottime")).print_stats(
        int(os.environ.get("TOP", "30"))
    )
    print(out.getvalue())


def main(args: argparse.Namespace) -> None:
    names = symbols(args.symbols)
    account, user = uuid.uuid4(), uuid.uuid4()
    started = time.perf_counter()
    work = commands(args.orders, names, account, user)
    print(
        f"N = {args.orders} market orders on {len(names)} symbols, batches of {args.batch}, "
        f"all risk limits set (built in {time.perf_counter() - started:.1f} s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    engine = engine_for(names, account, user)
    gc.collect()
    gc.freeze()  # the pre-built commands are not the engine's garbage to scan
    base_s, base_cpu = run_baseline(work, args.batch)
    engine_s, engine_cpu, events, filled = run_engine(engine, work, args.batch)
    n = args.orders
    print(f"{'':34}{'orders/s':>11}{'us/order':>10}{'CPU us/order':>14}")
    for label, wall, cpu in (
        ("plain Decimal loop (baseline)", base_s, base_cpu),
        ("TradingEngine submit + on_trade", engine_s, engine_cpu),
    ):
        print(f"{label:34}{n / wall:>11,.0f}{wall / n * 1e6:>10.2f}{cpu / n * 1e6:>14.2f}")
    verdict = "met" if n / engine_s >= TARGET else "NOT met"
    print(
        f"engine / baseline: {engine_s / base_s:.0f}x; {filled} filled, {n - filled} not, "
        f"{events} events; target >= {TARGET:,} orders/s: {verdict}"
    )
    if args.profile:
        profile(names, work, args.batch, account, user)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=50_000)
    parser.add_argument("--symbols", type=int, default=4)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    main(parser.parse_args())
