"""Donchian breakout with its protective ATR stop, on hand-made bars."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from shared.messages.schemas.common import OrderSide, OrderType
from shared.strategy.builtins.donchian_breakout import DonchianBreakout
from shared.strategy.catalog import build
from shared.strategy.params import ParameterError, ParamValue
from tests.unit.strategy.support import Sim, candle, definition

Bar = tuple[float, float, float, float]
PARAMS: dict[str, ParamValue] = {"entry_bars": 3, "exit_bars": 2, "atr_period": 2, "atr_stop": 1.0}
# A quiet range 99..101 (true range 2, so ATR(2) = 2), then bar 4 closes above it
# (true range 3: ATR 2.5) and the buy fills at bar 5's open, 102.5: stop at 100.
RANGE: list[Bar] = [(100, 101, 99, 100)] * 4
BREAKOUT: Bar = (100, 103, 100, 102.5)
UP: Bar = (102.5, 104, 102, 103.5)


def run(bars: Sequence[Bar], **params: ParamValue) -> Sim:
    sim = Sim(definition("builtin:donchian_breakout", {**PARAMS, **params}))
    return sim.run(candle(i, c, open_=o, high=h, low=lo) for i, (o, h, lo, c) in enumerate(bars))


def stops(sim: Sim) -> list[tuple[str, float, float, bool]]:
    """Stop orders sent as (side, quantity, stop price, reduce only)."""
    return [
        (s.side.value, float(s.quantity), float(s.stop_price or 0), s.reduce_only)
        for s in sim.submits
        if s.order_type is OrderType.STOP
    ]


def test_a_close_above_the_channel_buys_and_the_fill_places_a_stop() -> None:
    sim = run([*RANGE, BREAKOUT, UP])
    assert sim.trades() == [("BUY", 1, 102.5)]
    assert sim.submits[0].order_type is OrderType.MARKET
    assert stops(sim) == [("SELL", 1, 100, True)]
    assert sim.ctx.working_orders() == [sim.submits[1].client_order_id]


def test_the_exit_channel_closes_and_cancels_the_stop() -> None:
    # bar 6 holds above the 2-bar low (100); bar 7 closes below the 2-bar low (101)
    sim = run([*RANGE, BREAKOUT, UP, (103.5, 104, 101, 101.5), (101.5, 102, 100.5, 100.75),
               (100.75, 101, 100.5, 100.75)])  # fmt: skip
    assert [bar for bar, _, _ in sim.emitted] == [4, 7, 7]
    assert [c.client_order_id for c in sim.cancels] == [sim.submits[1].client_order_id]
    assert sim.trades() == [("BUY", 1, 102.5), ("SELL", 1, 100.75)]
    assert sim.submits[-1].reduce_only
    assert sim.ctx.working_orders() == []
    assert sim.position() == 0


def test_the_stop_takes_the_position_out_when_hit() -> None:
    sim = run([*RANGE, BREAKOUT, UP, (103.5, 104, 99, 99.5)])
    assert sim.trades() == [("BUY", 1, 102.5), ("SELL", 1, 100)]
    assert sim.cancels == []
    assert sim.ctx.working_orders() == []


def test_a_close_below_the_channel_sells_with_a_stop_above() -> None:
    sim = run([*RANGE, (100, 100, 97, 97.5), (97.5, 98, 96, 97)])
    assert sim.trades() == [("SELL", 1, 97.5)]
    assert stops(sim) == [("BUY", 1, 100, True)]


def test_long_only_ignores_breaks_down() -> None:
    sim = run([*RANGE, (100, 100, 97, 97.5), (97.5, 98, 96, 97)], long_only=True)
    assert sim.commands == []


def test_no_stop_when_atr_stop_is_zero() -> None:
    sim = run([*RANGE, BREAKOUT, UP], atr_stop=0)
    assert sim.trades() == [("BUY", 1, 102.5)]
    assert stops(sim) == []


def test_the_stop_distance_is_the_atr_of_the_deciding_bar_times_the_multiple() -> None:
    sim = run([*RANGE, BREAKOUT, UP], atr_stop=2.0)
    assert stops(sim) == [("SELL", 1, 97.5, True)]  # 102.5 - 2 x 2.5


def test_a_trailing_stop_moves_up_and_never_down() -> None:
    # bar 5: ATR (2.5 + 2) / 2 = 2.25, close 103.5: the stop moves to 101.25.
    # bar 6: ATR (2.25 + 2.5) / 2 = 2.375, close 101.5: 99.125 would loosen it: stays.
    sim = run([*RANGE, BREAKOUT, UP, (103.5, 104, 101.5, 101.5)], trail_stop=True)
    assert [s[2] for s in stops(sim)] == [100, 101.25]
    assert [c.client_order_id for c in sim.cancels] == [sim.submits[1].client_order_id]
    assert sim.ctx.working_orders() == [sim.submits[2].client_order_id]
    assert sim.trades() == [("BUY", 1, 102.5)]


def test_entries_wait_for_the_atr_when_a_stop_is_asked_for() -> None:
    bars: list[Bar] = [(100, 101, 99, 100)] * 3 + [BREAKOUT]
    with_stop = run(bars, atr_period=5)
    assert with_stop.commands == []
    assert run(bars, atr_period=5, atr_stop=0).submits[0].side is OrderSide.BUY


def test_exit_channel_may_not_be_longer_than_the_entry_channel() -> None:
    with pytest.raises(ParameterError) as caught:
        build(definition("builtin:donchian_breakout", {"entry_bars": 5, "exit_bars": 6}))
    assert caught.value.name == "exit_bars"


def test_the_exit_cancels_a_stop_the_strategy_does_not_remember() -> None:
    """A restarted worker restores working orders into the book, not into the strategy."""
    bars = [*RANGE, BREAKOUT, UP, (103.5, 104, 101, 101.5)]
    sim = run(bars)
    strategy = sim.runner.strategy
    assert isinstance(strategy, DonchianBreakout)
    strategy.stops.clear()
    sim.run([candle(7, 100.75, open_=101.5, high=102, low=100.5)])
    assert [c.client_order_id for c in sim.cancels] == [sim.submits[1].client_order_id]
