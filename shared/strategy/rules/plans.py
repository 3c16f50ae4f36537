"""Compiled rules and what they do: which rule acts on a bar, and its orders."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shared.strategy.context import StrategyContext
from shared.strategy.rules.evaluate import Compiler, Test, Value, Vector
from shared.strategy.rules.nodes import Const
from shared.strategy.rules.ruleset import Rule


@dataclass(frozen=True, slots=True)
class Leg:
    """A bracket leg: ``ticks`` (count), ``offset`` (price distance) or ``price`` (a value)."""

    key: str
    kind: str
    amount: float
    price: Value | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A compiled rule of one symbol."""

    tag: str
    do: str
    test: Test
    quantity: Decimal | None
    legs: tuple[Leg, ...]
    tick: float

    def applies(self, held: Decimal) -> bool:
        """Whether the action changes the position ``held`` (entering long when long doesn't)."""
        if self.do == "enter_long":
            return held <= 0
        if self.do == "enter_short":
            return held >= 0
        return held != 0

    def bracket(self, now: Vector, close: float, direction: int) -> dict[str, Any] | None:
        """The bracket keywords for an entry in ``direction``; None when a price is unknown
        or, on the tick grid, not beyond the close (take-profit) or before it (stop-loss)."""
        out: dict[str, Any] = {}
        for leg in self.legs:
            if leg.kind == "ticks":
                out[f"{leg.key}_ticks"] = int(leg.amount)
                continue
            profit = leg.key == "take_profit"
            if leg.price is None:
                price: float | None = close + (direction if profit else -direction) * leg.amount
            else:
                price = leg.price(now)
            if price is None or not math.isfinite(price):
                return None
            ticks = (round(price / self.tick) - round(close / self.tick)) * direction
            if (ticks <= 0) if profit else (ticks >= 0):
                return None
            out[leg.key] = price
        return out


def plan(index: int, rule: Rule, compiler: Compiler) -> Plan:
    """Compile one (parameter-free) rule."""
    action = rule.then
    quantity = None
    if action.quantity is not None:
        assert isinstance(action.quantity, Const), "parameters are bound before compiling"
        quantity = Decimal(str(action.quantity.value))
    legs = []
    for key, leg in (("take_profit", action.take_profit), ("stop_loss", action.stop_loss)):
        if leg is None:
            continue
        if leg.kind == "price":
            legs.append(Leg(key, leg.kind, 0.0, compiler.value(leg.value)))
        else:
            assert isinstance(leg.value, Const), "parameters are bound before compiling"
            legs.append(Leg(key, leg.kind, float(leg.value.value)))
    tag = rule.name if rule.name is not None else f"rules[{index}]"
    test = compiler.test(rule.when)
    return Plan(tag, action.do, test, quantity, tuple(legs), compiler.tick)


def choose(
    plans: tuple[Plan, ...],
    now: Vector,
    prev: Vector | None,
    *,
    held: Decimal,
    entries: bool,
    close: float,
) -> tuple[Plan, dict[str, Any]] | None:
    """The rule that acts: the first matching exit, else the first matching entry.

    Only rules whose action would change the position count; entries only when
    ``entries`` (inside the window); an entry whose bracket price is unknown doesn't match.
    """
    chosen: tuple[Plan, dict[str, Any]] | None = None
    for rule in plans:
        if rule.do == "exit":
            if held and rule.test(now, prev) is True:
                return rule, {}
        elif chosen is None and entries and rule.applies(held) and rule.test(now, prev) is True:
            direction = _direction(rule.do, held)
            bracket = rule.bracket(now, close, direction)
            if bracket is not None:
                chosen = rule, bracket
                if not held:
                    return chosen  # flat: no exit can follow
    return chosen


def act(
    ctx: StrategyContext, rule: Plan, bracket: dict[str, Any], symbol: str, held: Decimal
) -> None:
    """Send the orders of ``rule`` for ``symbol`` holding ``held``."""
    if rule.do == "exit":
        ctx.close(symbol, tag=rule.tag)
    elif held == 0:
        order = ctx.buy if rule.do == "enter_long" else ctx.sell
        order(rule.quantity, symbol=symbol, tag=rule.tag, **bracket)
    else:
        ctx.reverse(rule.quantity, symbol=symbol, tag=rule.tag, **bracket)


def _direction(do: str, held: Decimal) -> int:
    if do == "enter_long":
        return 1
    if do == "enter_short":
        return -1
    return -1 if held > 0 else 1
