"""One symbol's rules at run time: the values they read on each timeframe, and the vector.

Values of another timeframe are those of its latest bar that closed before the primary
bar did; a bar closing at the same instant counts only when its timeframe is narrower.
Live, the market data engine publishes the bars of one close time narrowest first, so a
wider bar with the primary bar's close time always arrives after it: excluding it makes
the decision the same whatever order a backtest feeds bars of equal close time in.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal

from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.feeds import Tracked
from shared.strategy.rules.evaluate import Compiler, Leaf, Vector
from shared.strategy.rules.nodes import Const, FieldRef, IndicatorRef
from shared.strategy.rules.plans import Plan, plan
from shared.strategy.rules.reader import width_ns
from shared.strategy.rules.ruleset import IndicatorSpec, RuleSet
from shared.strategy.rules.walk import references

Reader = Callable[[Candle], Vector]


class Series:
    """The latest two snapshots of another timeframe's values, by close time."""

    __slots__ = ("earlier", "empty", "latest", "narrower", "read")

    def __init__(self, read: Reader, size: int, narrower: bool) -> None:
        self.read, self.narrower = read, narrower
        self.empty: Vector = (None,) * size
        self.latest: tuple[int, Vector] | None = None
        self.earlier: tuple[int, Vector] | None = None

    def remember(self, candle: Candle) -> None:
        """Snapshot the values after ``candle`` (its indicators are already updated)."""
        latest = self.latest
        if latest is not None and candle.close_time < latest[0]:
            return  # a late older bar: the snapshots already cover its time
        if latest is None or candle.close_time > latest[0]:
            self.earlier = latest
        self.latest = (candle.close_time, self.read(candle))

    def at(self, close_time: int) -> Vector:
        """The values of the latest bar usable by a primary bar closing at ``close_time``."""
        for snap in (self.latest, self.earlier):
            if snap is not None and (
                snap[0] < close_time or (self.narrower and snap[0] == close_time)
            ):
                return snap[1]
        return self.empty


class SymbolRules:
    """The compiled rules of ``symbol`` acting on its ``primary`` timeframe."""

    def __init__(self, ctx: StrategyContext, rules: RuleSet, symbol: str, primary: str) -> None:
        self.symbol, self.primary = symbol, primary
        self.prev: Vector | None = None
        specs = {spec.name: spec for spec in rules.indicators}
        trackers = {name: _track(ctx, spec, symbol, primary) for name, spec in specs.items()}

        def leaf(node: FieldRef | IndicatorRef) -> Leaf:
            if isinstance(node, FieldRef):
                return (node.timeframe or primary, "field", node.field)
            line = node.name if node.output is None else f"{node.name}.{node.output}"
            return (specs[node.name].timeframe or primary, "indicator", line)

        groups: dict[str, list[Leaf]] = {primary: []}
        for key in dict.fromkeys(leaf(node) for node in references(rules)):
            groups.setdefault(key[0], []).append(key)
        others = sorted((tf for tf in groups if tf != primary), key=lambda tf: (width_ns(tf), tf))
        order = [key for tf in (primary, *others) for key in groups[tf]]
        slots = {key: i for i, key in enumerate(order)}
        self.read = _reader(groups[primary], trackers)
        self.others = {
            tf: Series(
                _reader(groups[tf], trackers), len(groups[tf]), width_ns(tf) < width_ns(primary)
            )
            for tf in others
        }
        tick = float(ctx.instruments.get(symbol).tick_size)
        compiler = Compiler(slots, leaf, tick, len(slots))
        self.plans: tuple[Plan, ...] = tuple(
            plan(i, r, compiler) for i, r in enumerate(rules.rules)
        )

    def remember(self, candle: Candle) -> None:
        """A bar of another timeframe."""
        series = self.others.get(candle.timeframe)
        if series is not None:
            series.remember(candle)

    def advance(self, bar: Candle, held: Decimal) -> tuple[Vector, Vector | None]:
        """The vector of a primary bar (the position's sign last), and the previous one."""
        now = self.read(bar)
        for series in self.others.values():
            now += series.at(bar.close_time)
        now += (1.0 if held > 0 else -1.0 if held < 0 else 0.0,)
        prev, self.prev = self.prev, now
        return now, prev


def _track(ctx: StrategyContext, spec: IndicatorSpec, symbol: str, primary: str) -> Tracked:
    params = {}
    for key, number in spec.params:
        assert isinstance(number, Const), "parameters are bound before compiling"
        params[key] = number.value
    return ctx.indicator(
        spec.type,
        symbol=symbol,
        timeframe=spec.timeframe or primary,
        source=spec.source or "close",
        **params,
    )


def _reader(keys: list[Leaf], trackers: dict[str, Tracked]) -> Reader:
    getters: list[Callable[[Candle], float | None]] = []
    for _, kind, ref in keys:
        if kind == "field":
            getters.append(operator.itemgetter(Candle._fields.index(ref)))
            continue
        name, _, line = ref.partition(".")
        tracked = trackers[name]
        k = tracked.indicator.OUTPUTS.index(line) if line else None
        getters.append(_getter(tracked, k))
    return lambda candle: tuple([get(candle) for get in getters])


def _getter(tracked: Tracked, line: int | None) -> Callable[[Candle], float | None]:
    """The indicator's value, or line ``line`` of it (None while it warms up)."""
    if line is None:
        return lambda _: tracked.value

    def get(_: Candle) -> float | None:
        value = tracked.value
        return None if value is None else value[line]

    return get
