"""The MA crossover backtest against trades computed by hand from the same bars."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from shared.backtest import BacktestOptions, FillAt, OpenTrades, Trade, run_backtest
from shared.backtest.synthetic import random_walk
from shared.messages.schemas.common import PositionSide
from tests.unit.backtest.support import ES_POINT, RefTrade, dec, definition, reference_trades

FAST, SLOW = 5, 20
BARS = random_walk(1500, seed=11)
RATE = Decimal("0.00002")


def as_reference(trade: Trade) -> RefTrade:
    return RefTrade(
        1 if trade.side is PositionSide.LONG else -1,
        trade.entry_bar,
        trade.entry_price,
        trade.exit_bar if trade.exit_bar is not None else -1,
        trade.exit_price,
        trade.gross_pnl,
        trade.commission,
        trade.mae,
        trade.mfe,
    )


def run(**options: object):
    return run_backtest(
        definition(fast=FAST, slow=SLOW),
        [BARS],
        BacktestOptions(**options),  # type: ignore[arg-type]
    )


def test_next_open_fills_with_a_commission_rate_reproduce_the_hand_computed_trades() -> None:
    expected, still_open = reference_trades(BARS, FAST, SLOW, rate=RATE)
    result = run(commission_rate=RATE)

    assert still_open is None
    assert len(expected) > 40
    assert [as_reference(t) for t in result.trades] == expected
    for trade, ref in zip(result.trades, expected, strict=True):
        assert trade.net_pnl.quantize(Decimal("0.01")) == ref.net.quantize(Decimal("0.01"))
        assert trade.quantity == 1
        assert trade.entry_time == int(BARS.open_time[ref.entry_bar])
        if ref.exit_bar < len(BARS) - 1:
            assert trade.exit_time == int(BARS.open_time[ref.exit_bar])
    assert result.open_trades == []
    assert result.statistics.net_profit == sum(r.net for r in expected)


def test_fills_at_the_signal_bars_close_reproduce_the_hand_computed_trades() -> None:
    expected, _ = reference_trades(BARS, FAST, SLOW, fill_at_close=True, rate=RATE)
    result = run(commission_rate=RATE, fill_at=FillAt.CLOSE)

    assert [as_reference(t) for t in result.trades] == expected
    assert result.trades[0].entry_time == int(BARS.close_time[expected[0].entry_bar])


def test_slippage_moves_every_market_fill_against_the_order() -> None:
    expected, _ = reference_trades(BARS, FAST, SLOW, slippage_ticks=2, rate=RATE)
    plain, _ = reference_trades(BARS, FAST, SLOW, rate=RATE)
    result = run(commission_rate=RATE, slippage_ticks=2)

    assert [as_reference(t) for t in result.trades] == expected
    # Each round trip pays two ticks on the way in and two on the way out.
    for slipped, clean in zip(expected, plain, strict=True):
        assert clean.gross - slipped.gross == 4 * Decimal("0.25") * ES_POINT


def test_a_per_contract_commission_is_charged_on_entry_and_exit() -> None:
    expected, _ = reference_trades(BARS, FAST, SLOW, per_contract=Decimal("2.25"))
    result = run(commission_per_contract=Decimal("2.25"))

    assert [as_reference(t) for t in result.trades] == expected
    assert {t.commission for t in result.trades} == {Decimal("4.50")}


def test_a_trade_open_at_the_end_is_reported_open_at_the_last_close() -> None:
    expected, held = reference_trades(BARS, FAST, SLOW, rate=RATE, close_at_end=False)
    result = run(commission_rate=RATE, open_trades=OpenTrades.REPORT)

    assert held is not None
    assert [as_reference(t) for t in result.trades] == expected
    [trade] = result.open_trades
    side, entry_bar, entry_price, _ = held
    last = dec(float(BARS.close[-1]))
    assert not trade.closed and trade.exit_time is None and trade.exit_bar is None
    assert (trade.entry_bar, trade.entry_price, trade.exit_price) == (entry_bar, entry_price, last)
    assert trade.gross_pnl == (last - entry_price) * side * ES_POINT
    assert trade.commission == RATE * entry_price * ES_POINT
    assert result.final_equity == Decimal(100_000) + sum(r.net for r in expected) + trade.net_pnl


@pytest.mark.parametrize(("fill_at", "slippage"), [(FillAt.NEXT_OPEN, 0), (FillAt.CLOSE, 2)])
def test_the_equity_curve_is_cash_plus_the_open_position_at_each_close(
    fill_at: FillAt, slippage: int
) -> None:
    expected, _ = reference_trades(
        BARS, FAST, SLOW, fill_at_close=fill_at is FillAt.CLOSE, slippage_ticks=slippage, rate=RATE
    )
    result = run(commission_rate=RATE, fill_at=fill_at, slippage_ticks=slippage)
    closes = [dec(c) for c in BARS.close.tolist()]
    curve = []
    for k, close in enumerate(closes):
        equity = Decimal(100_000)
        for ref in expected:
            if ref.exit_bar <= k:
                equity += ref.net
            elif ref.entry_bar <= k:
                equity += (close - ref.entry_price) * ref.side * ES_POINT
                equity -= RATE * ref.entry_price * ES_POINT
        curve.append(float(equity))

    assert np.array_equal(result.equity.times, BARS.close_time)
    np.testing.assert_allclose(result.equity.values, curve, rtol=0, atol=1e-6)
    held = [any(r.entry_bar <= k < r.exit_bar for r in expected) for k in range(len(closes))]
    assert result.equity.in_market.tolist() == held


@pytest.mark.parametrize("fill_at", list(FillAt))
def test_orders_and_fills_are_those_of_the_trades(fill_at: FillAt) -> None:
    result = run(commission_rate=RATE, fill_at=fill_at)

    contracts = sum(f.quantity for f in result.fills)
    assert contracts == 2 * len(result.trades)  # every trade opened and closed one contract
    assert sum(f.commission for f in result.fills) == sum(t.commission for t in result.trades)
    strategy_orders = [o for o in result.orders if o.tag != "flatten"]
    assert all(o.strategy_id is not None for o in strategy_orders)
    assert len(result.orders) - len(strategy_orders) == 1  # the position closed at the end
