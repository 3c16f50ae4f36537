"""Values from other timeframes: the latest bar of that timeframe closed before the
primary bar, whatever order bars of the same close time arrive in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from shared.strategy.candles import Candle
from shared.strategy.runner import StrategyRunner
from tests.unit.strategy.rules.helpers import MINUTE, SYMBOL, T0, bar, orders, runner

FIVE = 5 * MINUTE
M5_CLOSE = {"field": "close", "timeframe": "5m"}


def five_minute(closes: Sequence[float], first: int) -> list[Candle]:
    """5m candles; the first opens ``first`` 5-minute bars after T0 (negative: before)."""
    return [bar(first + i, c, timeframe="5m", step=FIVE) for i, c in enumerate(closes)]


def live_order(one: list[Candle], five: list[Candle], *, wider_first: bool = False) -> list[Candle]:
    """Merge by close time; at equal close times the 1m bar comes first, as live data does
    (or the 5m bar first, as a careless backtest might)."""
    later = "1m" if wider_first else "5m"
    return sorted([*one, *five], key=lambda c: (c.close_time, c.timeframe == later))


def decisions(run: StrategyRunner, candles: Iterable[Candle]) -> list[tuple[str, int, str]]:
    """(timeframe of the candle that caused it, its close in minutes after T0, side)."""
    out = []
    for c in candles:
        for order in orders(run.on_bar(c)):
            out.append((c.timeframe, (c.close_time - T0) // MINUTE, order.side.value))
    return out


def gated(trend: Any, **top: Any) -> dict[str, Any]:
    return {
        **top,
        "rules": [
            {"when": {">": ["close", trend]}, "then": {"do": "enter_long", "quantity": 1}},
            {"when": {"<": ["close", trend]}, "then": {"do": "exit"}},
        ],
    }


# 5m bars closing at 14:00 (100), 14:05 (110), 14:10 (90); 1m closes 14:01..14:11
FIVE_BARS = five_minute([100, 110, 90], first=-1)
ONE_BARS = [bar(i, 95 if i < 4 else 105) for i in range(11)]
EXPECTED = [("1m", 5, "BUY"), ("1m", 6, "SELL"), ("1m", 11, "BUY")]


def test_the_rule_subscribes_to_the_other_timeframe() -> None:
    run = runner(gated(M5_CLOSE))
    assert run.subscriptions == ((SYMBOL, "1m"), (SYMBOL, "5m"))


def test_a_one_minute_rule_uses_the_five_minute_bar_closed_before_it() -> None:
    # 14:05: the 5m bar closing at 14:05 comes after the 1m bar: 105 > 100 (14:00) -> long;
    # 14:06: 105 < 110 (14:05) -> exit; 14:10 still sees 110; 14:11 sees 90 -> long
    sent = decisions(runner(gated(M5_CLOSE)), live_order(ONE_BARS, FIVE_BARS))
    assert sent == EXPECTED


def test_the_decision_is_the_same_when_the_wider_bar_arrives_first() -> None:
    sent = decisions(runner(gated(M5_CLOSE)), live_order(ONE_BARS, FIVE_BARS, wider_first=True))
    assert sent == EXPECTED


def test_an_indicator_of_the_wider_timeframe_is_fed_its_own_bars_only() -> None:
    rules = gated("trend", indicators={"trend": {"type": "sma", "period": 2, "timeframe": "5m"}})
    # SMA 2 of the 5m closes 100, 100, 110, 90: 100 at 14:00, 105 at 14:05, 100 at 14:10
    five = five_minute([100, 100, 110, 90], first=-2)
    one = [bar(i, 95 if i < 4 else 102) for i in range(11)]
    for wider_first in (False, True):
        sent = decisions(runner(rules), live_order(one, five, wider_first=wider_first))
        assert sent == EXPECTED


def test_a_wider_value_is_unknown_before_its_first_bar() -> None:
    rules = {
        "rules": [
            {"when": {"not": {"<": ["close", M5_CLOSE]}}, "then": {"do": "enter_long"}},
        ]
    }
    run = runner(rules)
    assert decisions(run, ONE_BARS[:3]) == []
    assert decisions(run, [*FIVE_BARS[:1], ONE_BARS[4]]) == [("1m", 5, "BUY")]


def test_a_crossing_of_a_wider_value_fires_on_the_first_bar_that_sees_the_new_value() -> None:
    rules = {
        "rules": [
            {"when": {"crosses_above": ["close", M5_CLOSE]}, "then": {"do": "enter_long"}},
        ]
    }
    one = [bar(i, 105) for i in range(11)]
    for wider_first in (False, True):
        sent = decisions(runner(rules), live_order(one, FIVE_BARS, wider_first=wider_first))
        assert sent == [("1m", 11, "BUY")]  # 105 vs 110 until 14:10, vs 90 from 14:11


def test_a_narrower_bar_with_the_same_close_time_is_used_when_it_came_first() -> None:
    rules = {
        "timeframe": "5m",
        "rules": [
            {
                "when": {">": [{"field": "close", "timeframe": "1m"}, "close"]},
                "then": {"do": "enter_long", "quantity": 1},
            }
        ],
    }
    run = runner(rules)
    assert run.subscriptions == ((SYMBOL, "1m"), (SYMBOL, "5m"))
    one = [bar(i, 99) for i in range(4)] + [bar(4, 101)]  # the last closes at 14:05
    five = five_minute([100], first=0)  # 14:00-14:05
    assert decisions(run, [*one, *five]) == [("5m", 5, "BUY")]


def test_rules_act_on_their_own_timeframe_only() -> None:
    rules = {
        "timeframe": "5m",
        "rules": [{"when": {">": ["close", 0]}, "then": {"do": "enter_long"}}],
    }
    run = runner(rules)
    assert decisions(run, ONE_BARS[:4]) == []
    assert decisions(run, five_minute([100], first=0)) == [("5m", 5, "BUY")]


def test_every_symbol_gets_the_primary_and_the_named_timeframes() -> None:
    rules = {
        "timeframe": "5m",
        "indicators": {"trend": {"type": "ema", "period": 3, "timeframe": "15m"}},
        "rules": [{"when": {">": ["close", "trend"]}, "then": {"do": "enter_long"}}],
    }
    run = runner(rules, subscriptions=((SYMBOL, "1m"), ("NQZ6", "1m")))
    assert run.subscriptions == (
        (SYMBOL, "1m"),
        ("NQZ6", "1m"),
        (SYMBOL, "5m"),
        (SYMBOL, "15m"),
        ("NQZ6", "5m"),
        ("NQZ6", "15m"),
    )
