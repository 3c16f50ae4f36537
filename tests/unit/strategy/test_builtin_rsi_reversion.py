"""RSI mean reversion on hand-made closes (RSI(2) values in the comments)."""

from __future__ import annotations

import pytest

from shared.strategy.catalog import build
from shared.strategy.params import ParameterError, ParamValue
from tests.unit.strategy.support import D, Sim, definition, series

# RSI(2):      -     -     100   100   100   20    9.1  33.3  74.4  85.9  90.3  94   98.2
CLOSES = [100, 101, 102, 103, 104, 100, 97, 98, 101, 103, 104, 105, 108,
          104, 100, 99]  # fmt: skip
#         34.3  14.9  11.6


def run(closes: list[int], **params: ParamValue) -> Sim:
    d = definition("builtin:rsi_reversion", {"period": 2, **params})
    return Sim(d).run(series(closes))


def test_buys_oversold_exits_at_the_exit_level_and_reverses_when_overbought() -> None:
    sim = run(CLOSES)
    # bar 5 crosses below 30: buy; bar 8 reaches 50 and crosses above 70: reverse;
    # bar 13 is back at or below 50: close the short; bar 14 crosses below 30: buy.
    assert [bar for bar, _, _ in sim.emitted] == [5, 8, 13, 14]
    assert sim.trades() == [("BUY", 1, 100), ("SELL", 2, 101), ("BUY", 1, 104), ("BUY", 1, 100)]


def test_long_only_closes_instead_of_reversing_and_never_shorts() -> None:
    sim = run(CLOSES, long_only=True)
    assert sim.trades() == [("BUY", 1, 100), ("SELL", 1, 101), ("BUY", 1, 100)]
    assert [s.reduce_only for s in sim.submits] == [False, True, False]


def test_sells_overbought_from_flat_and_covers_at_the_exit_level() -> None:
    # RSI(2): -, -, 0, 0, 0, 80 (crosses above 70), 85.7, 40 (at or below 50)
    sim = run([100, 99, 98, 97, 96, 100, 101, 99, 99])
    assert sim.trades() == [("SELL", 1, 100), ("BUY", 1, 99)]


def test_staying_in_the_zone_does_not_enter_again() -> None:
    sim = run(CLOSES[:8], stop_loss_ticks=1)  # the bracket stop closes the long at once
    assert [bar for bar, _, _ in sim.emitted] == [5]


def test_thresholds_are_parameters() -> None:
    # With oversold 10 only bar 6 (9.1) counts; exit at 80 comes on bar 9 (85.9).
    sim = run(CLOSES, oversold=10, exit_level=80, overbought=95)
    assert [bar for bar, _, _ in sim.emitted][:2] == [6, 9]


def test_brackets_in_ticks_go_on_entries() -> None:
    sim = run(CLOSES, take_profit_ticks=40, stop_loss_ticks=20)
    bracket = sim.submits[0].bracket
    assert bracket is not None
    assert (bracket.take_profit_price, bracket.stop_loss_price) == (D(110), D(95))


@pytest.mark.parametrize(
    "params", [{"exit_level": 20}, {"exit_level": 80}, {"oversold": 60, "overbought": 40}]
)
def test_exit_level_must_lie_between_the_thresholds(params: dict[str, ParamValue]) -> None:
    with pytest.raises(ParameterError) as caught:
        build(definition("builtin:rsi_reversion", params))
    assert caught.value.name == "exit_level"
    assert "must lie between oversold" in caught.value.problem
