"""The moving-average crossover, on hand-made closes and against a reference loop."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.indicators.exponential_moving_average import EMA
from shared.strategy.builtins.ma_crossover import MovingAverageCrossover
from shared.strategy.catalog import runner_for
from shared.strategy.params import ParamValue
from tests.unit.strategy.support import INSTRUMENTS, Sim, definition, sent, series

D = Decimal
# SMA(2) crosses above SMA(3) on bar 4, below on bar 6, above again on bar 9.
CLOSES = [10, 10, 10, 10, 12, 14, 9, 8, 8, 12, 12]


def run(closes: list[int], **params: ParamValue) -> Sim:
    return Sim(definition("builtin:ma_crossover", {"fast": 2, "slow": 3, **params})).run(
        series(closes)
    )


def test_long_short_reverses_on_each_cross_at_the_next_open() -> None:
    sim = run(CLOSES)
    assert sim.trades() == [("BUY", 1, 12), ("SELL", 2, 9), ("BUY", 2, 12)]
    assert [s.reduce_only for s in sim.submits] == [False, False, False]
    assert sim.ctx.position() == 1


def test_long_only_goes_flat_on_a_cross_below() -> None:
    sim = run(CLOSES, long_only=True)
    assert sim.trades() == [("BUY", 1, 12), ("SELL", 1, 9), ("BUY", 1, 12)]
    assert [s.reduce_only for s in sim.submits] == [False, True, False]


def test_orders_are_sent_on_the_crossing_bar() -> None:
    sim = run(CLOSES)
    assert [bar for bar, _, _ in sim.emitted] == [4, 6, 9]


def test_a_first_cross_below_opens_a_short_unless_long_only() -> None:
    closes = [10, 10, 10, 10, 8, 7, 7]
    assert run(closes).trades() == [("SELL", 1, 8)]
    assert run(closes, long_only=True).trades() == []


def test_no_double_entry_while_the_entry_is_on_its_way() -> None:
    """Without fills coming back, a second cross up must not buy again."""
    runner = runner_for(definition("builtin:ma_crossover", {"fast": 2, "slow": 3}), INSTRUMENTS)
    runner.start(0)
    orders = [p for c in series([10, 10, 10, 10, 12, 9, 12, 12]) for p in sent(runner.on_bar(c))]
    assert [(p.side, p.quantity) for p in orders] == [("BUY", 1), ("SELL", 2), ("BUY", 2)]


def test_bracket_ticks_go_on_every_entry() -> None:
    sim = run(CLOSES, take_profit_ticks=8, stop_loss_ticks=4)
    entry = sim.submits[0]
    assert entry.bracket is not None
    assert (entry.bracket.take_profit_price, entry.bracket.stop_loss_price) == (D(14), D(11))


def test_ema_average_uses_exponential_averages() -> None:
    sim = Sim(definition("builtin:ma_crossover", {"fast": 2, "slow": 3, "average": "ema"}))
    strategy = sim.runner.strategy
    assert isinstance(strategy, MovingAverageCrossover)
    assert isinstance(strategy.fast.indicator, EMA)
    assert isinstance(strategy.slow.indicator, EMA)


def reference(
    closes: list[int], fast: int, slow: int, long_only: bool
) -> list[tuple[str, int, int]]:
    """Crossings of plain moving averages; each order fills at the next bar's open."""

    def sma(n: int, i: int) -> float | None:
        return sum(closes[i - n + 1 : i + 1]) / n if i >= n - 1 else None

    trades, held = [], 0
    for i in range(2, len(closes)):
        now = (sma(fast, i), sma(slow, i))
        before = (sma(fast, i - 1), sma(slow, i - 1))
        if None in now or None in before:
            continue
        (f, s), (fb, sb) = now, before
        if f > s and fb <= sb:  # type: ignore[operator]
            target = 1
        elif f < s and fb >= sb:  # type: ignore[operator]
            target = 0 if long_only else -1
        else:
            continue
        if target != held and i + 1 < len(closes):
            side = "BUY" if target > held else "SELL"
            trades.append((side, abs(target - held), closes[i]))  # next open = this close
        held = target
    return trades


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(min_value=95, max_value=105), min_size=3, max_size=60),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=1, max_value=5),
    st.booleans(),
)
def test_trades_match_a_reference_loop(
    closes: list[int], fast: int, extra: int, long_only: bool
) -> None:
    slow = fast + extra
    sim = run(closes, fast=fast, slow=slow, long_only=long_only)
    assert sim.trades() == reference(closes, fast, slow, long_only)
