"""Definitions, bars and a hand-written reference for the backtest tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shared.backtest.bars import BarSeries
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription

STRATEGY = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
USER = uuid.UUID("00000000-0000-4000-8000-0000000000b2")
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000c3")
ES_POINT = Decimal(50)
TICK = Decimal("0.25")


def definition(
    code_ref: str = "builtin:ma_crossover",
    subscriptions: tuple[Subscription, ...] = (Subscription("ESZ6", "1m"),),
    capital: Decimal = Decimal(100_000),
    quantity: int = 1,
    **parameters: Any,
) -> StrategyDefinition:
    """A strategy version for the tests (fixed size ``quantity``)."""
    return StrategyDefinition(
        strategy_id=STRATEGY,
        version=1,
        user_id=USER,
        account_id=ACCOUNT,
        code_ref=code_ref,
        subscriptions=subscriptions,
        parameters=parameters,
        sizing=Sizing("fixed", Decimal(quantity)),
        capital=capital,
    )


def dec(value: float) -> Decimal:
    return Decimal(repr(value))


@dataclass(frozen=True)
class RefTrade:
    """A trade of the reference: what the backtester must reproduce."""

    side: int  # +1 long, -1 short
    entry_bar: int
    entry_price: Decimal
    exit_bar: int
    exit_price: Decimal
    gross: Decimal
    commission: Decimal
    mae: Decimal
    mfe: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.commission


Held = tuple[int, int, Decimal, Decimal]
"""An open position of the reference: side, entry bar, entry price, market price there."""


def crossings(closes: list[float], fast: int, slow: int) -> list[tuple[int, bool]]:
    """(bar, True up / False down) for each bar where the fast average crosses the slow one.

    Up: fast above slow now, at or below it on the bar before; down: the mirror image.
    Exact arithmetic on tick counts: fast > slow iff sum_fast * slow > sum_slow * fast.
    """
    ticks = [round(c * 4) for c in closes]
    out = []
    before = None
    for i in range(slow - 1, len(ticks)):
        diff = sum(ticks[i - fast + 1 : i + 1]) * slow - sum(ticks[i - slow + 1 : i + 1]) * fast
        now = (diff > 0) - (diff < 0)
        if before is not None and now and now != before:
            out.append((i, now > 0))
        before = now
    return out


def reference_trades(
    bars: BarSeries,
    fast: int,
    slow: int,
    *,
    fill_at_close: bool = False,
    slippage_ticks: int = 0,
    rate: Decimal = Decimal(0),
    per_contract: Decimal = Decimal(0),
    close_at_end: bool = True,
) -> tuple[list[RefTrade], Held | None]:
    """The long-short crossover traded one contract at a time, by hand.

    Returns the closed trades and, when the last position is left open, (side, entry bar,
    entry price, market price at the entry). Fills: at the next bar's open (or the signal
    bar's close), slipped against the order; the position still open at the end closes at
    the last close.
    """
    o, h, low, c = (bars.open.tolist(), bars.high.tolist(), bars.low.tolist(), bars.close.tolist())
    last = len(c) - 1
    slip = TICK * slippage_ticks

    def commission(price: Decimal) -> Decimal:
        return rate * price * ES_POINT + per_contract

    def excursions(
        held: Held, exit_bar: int, exit_price: Decimal, exit_seen: bool
    ) -> tuple[Decimal, Decimal]:
        # What the position was marked at: its entry fill and the market price there, every
        # bar after the fill up to its exit (the exit bar too when it exits at that close),
        # and its exit fill.
        side, entry, entry_price, entry_raw = held
        first = entry + 1 if fill_at_close else entry
        end = exit_bar + 1 if exit_seen else exit_bar
        seen = [entry_price, entry_raw, exit_price]
        highs = [dec(x) for x in h[first:end]] + seen
        lows = [dec(x) for x in low[first:end]] + seen
        best = (max(highs) - entry_price) if side > 0 else (entry_price - min(lows))
        worst = (min(lows) - entry_price) if side > 0 else (entry_price - max(highs))
        return min(Decimal(0), worst * ES_POINT), max(Decimal(0), best * ES_POINT)

    def closed(held: Held, exit_bar: int, exit_price: Decimal, exit_seen: bool) -> RefTrade:
        side, entry_bar, entry_price, _ = held
        gross = (exit_price - entry_price) * side * ES_POINT
        mae, mfe = excursions(held, exit_bar, exit_price, exit_seen)
        fees = commission(entry_price) + commission(exit_price)
        return RefTrade(side, entry_bar, entry_price, exit_bar, exit_price, gross, fees, mae, mfe)

    trades: list[RefTrade] = []
    held: Held | None = None
    for bar, above in crossings(c, fast, slow):
        fill_bar = bar if fill_at_close else bar + 1
        if fill_bar > last:
            break  # sent on the last bar: the order never fills
        side = 1 if above else -1
        raw = dec(c[bar]) if fill_at_close else dec(o[fill_bar])
        price = raw + slip * side
        if held is not None:
            if held[0] == side:
                continue
            trades.append(closed(held, fill_bar, price, fill_at_close))  # one reversing fill
        held = (side, fill_bar, price, raw)
    if held is not None and close_at_end:
        exit_price = dec(c[last]) - slip * held[0]
        trades.append(closed(held, last, exit_price, True))
        held = None
    return trades, held
