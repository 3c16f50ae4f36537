"""``RuleStrategy``: a rule set run as a strategy, the same live and in a backtest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.definition import Subscription
from shared.strategy.params import resolve
from shared.strategy.rules.dump import bind
from shared.strategy.rules.plans import act, choose
from shared.strategy.rules.reader import width_ns
from shared.strategy.rules.ruleset import RuleSet
from shared.strategy.rules.symbol import SymbolRules
from shared.strategy.rules.walk import timeframes
from shared.strategy.rules.window import WindowClock

WINDOW_END_TAG = "window end"


def primaries(given: Sequence[Subscription], timeframe: str | None) -> list[Subscription]:
    """The (symbol, timeframe) the rules act on, one per subscribed symbol: the rule set's
    timeframe, else the symbol's first subscribed one."""
    found: dict[str, str] = {}
    for symbol, tf in given:
        found.setdefault(symbol, timeframe or tf)
    return [Subscription(symbol, tf) for symbol, tf in found.items()]


class RuleStrategy(Strategy):
    """A strategy defined by a rule set (see docs/rules.md).

    ``params`` are checked against the rule set's declared parameters and bound into it
    (ParameterError, or RuleError when a value makes the rules invalid).
    """

    NAME = "rules"

    def __init__(self, rules: RuleSet, params: Mapping[str, Any]) -> None:
        values = resolve(rules.parameters, params)
        super().__init__(values)
        self.rules = rules
        self.bound = bind(rules, values)
        self._extra = sorted(timeframes(self.bound), key=lambda tf: (width_ns(tf), tf))
        self._symbols: dict[str, SymbolRules] = {}
        window = self.bound.window
        self._window = WindowClock(window) if window is not None else None
        self._flatten = window is not None and window.flatten

    def subscriptions(self, given: Sequence[Subscription]) -> tuple[Subscription, ...]:
        """The given ones, each symbol's primary timeframe and the timeframes rules read."""
        wanted = list(given)
        for symbol, primary in primaries(given, self.bound.timeframe):
            for tf in (primary, *self._extra):
                if (symbol, tf) not in wanted:
                    wanted.append(Subscription(symbol, tf))
        return tuple(wanted)

    def on_start(self, ctx: StrategyContext) -> None:
        """The indicators of every symbol, and its compiled rules."""
        self._symbols = {
            symbol: SymbolRules(ctx, self.bound, symbol, primary)
            for symbol, primary in primaries(ctx.definition.subscriptions, self.bound.timeframe)
        }

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        """Remember other timeframes' bars; on a primary bar, let one rule act."""
        rules = self._symbols.get(bar.symbol)
        if rules is None:
            return
        if bar.timeframe != rules.primary:
            rules.remember(bar)
            return
        held = ctx.intended(bar.symbol)
        now, prev = rules.advance(bar, held)
        entries = self._window is None or self._window.inside(bar.close_time)
        if not entries and self._flatten:
            if held:
                ctx.close(bar.symbol, tag=WINDOW_END_TAG)
            return
        chosen = choose(rules.plans, now, prev, held=held, entries=entries, close=bar.close)
        if chosen is not None:
            act(ctx, chosen[0], chosen[1], bar.symbol, held)
