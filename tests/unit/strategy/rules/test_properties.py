"""Random valid rule sets: they parse, parse stably, and run over random bars."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.strategy.candles import Candle
from shared.strategy.definition import Sizing
from shared.strategy.rules import RuleStrategy, dump_rules, parse_rules
from tests.unit.strategy.rules.helpers import MINUTE, T0, orders, runner

PARAMETERS = {
    "level": {"type": "float", "default": 1.5},
    "qty": {"type": "int", "default": 2, "min": 1},
    "period": {"type": "int", "default": 3, "min": 1, "max": 50},
}
INDICATORS = {
    "fast": {"type": "sma", "period": {"param": "period"}},
    "slow": {"type": "ema", "period": 4, "source": "high"},
    "bands": {"type": "bollinger", "period": 3, "k": 1.5},
    "m": {"type": "macd", "fast": 2, "slow": 3, "signal": 2, "timeframe": "5m"},
    "range": {"type": "atr", "period": 2},
    "ch": {"type": "donchian", "period": 3, "timeframe": "5m"},
    "session": {"type": "vwap"},
}
FIELDS = ["open", "high", "low", "close", "volume", "vwap"]
LINES = ["fast", "slow", "bands.upper", "bands.middle", "bands.lower", "m.macd", "m.signal",
         "m.histogram", "range", "ch.upper", "ch.lower", "ch.middle", "session"]  # fmt: skip

market = st.one_of(
    st.sampled_from(FIELDS + LINES),
    st.builds(
        lambda f, tf: {"field": f, "timeframe": tf},
        st.sampled_from(FIELDS),
        st.sampled_from(["1m", "5m", "15m"]),
    ),
)
number = st.one_of(
    st.integers(-10_000, 10_000),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.just({"param": "level"}),
    st.builds(lambda n: {"ticks": n}, st.integers(1, 40)),
)
arith = st.sampled_from(["+", "-", "*", "/"])
value = st.recursive(
    st.one_of(market, number),
    lambda inner: st.builds(lambda op, a, b: {op: [a, b]}, arith, inner, inner),
    max_leaves=4,
)
reading = st.one_of(market, st.builds(lambda op, a, b: {op: [a, b]}, arith, market, value))


def comparison(op: str, a: Any, b: Any, swap: bool, tolerance: float | None) -> dict[str, Any]:
    out: dict[str, Any] = {op: [b, a] if swap else [a, b]}
    if op == "==" and tolerance is not None:
        out["tolerance"] = tolerance
    return out


simple = st.one_of(
    st.builds(
        comparison,
        st.sampled_from([">", ">=", "<", "<=", "==", "crosses_above", "crosses_below"]),
        reading,
        value,
        st.booleans(),
        st.none() | st.floats(0, 10),
    ),
    st.builds(lambda side: {"position": side}, st.sampled_from(["long", "short", "flat"])),
)
condition = st.recursive(
    simple,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)
leg = st.one_of(
    st.builds(lambda n: {"ticks": n}, st.integers(1, 40) | st.just({"param": "qty"})),
    st.builds(lambda x: {"offset": x}, st.floats(0.01, 50)),
    st.builds(lambda v: {"price": v}, value),
)


def entry(do: str, quantity: Any, take_profit: Any, stop_loss: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"do": do}
    for key, part in (
        ("quantity", quantity),
        ("take_profit", take_profit),
        ("stop_loss", stop_loss),
    ):
        if part is not None:
            out[key] = part
    return out


action = st.one_of(
    st.just({"do": "exit"}),
    st.builds(
        entry,
        st.sampled_from(["enter_long", "enter_short", "reverse"]),
        st.none() | st.integers(1, 5) | st.just({"param": "qty"}),
        st.none() | leg,
        st.none() | leg,
    ),
)
rule = st.builds(
    lambda when, then, name: {"when": when, "then": then, **({"name": name} if name else {})},
    condition,
    action,
    st.none() | st.text(min_size=1, max_size=20),
)
window = st.builds(
    lambda start, end, flatten: {
        "start": f"{start // 60:02d}:{start % 60:02d}",
        "end": f"{end // 60:02d}:{end % 60:02d}",
        "timezone": "America/Chicago",
        "flatten": flatten,
    },
    st.integers(0, 1439),
    st.integers(0, 1439),
    st.booleans(),
).filter(lambda w: w["start"] != w["end"])
rule_sets = st.builds(
    lambda rules, window: {
        "parameters": PARAMETERS,
        "indicators": INDICATORS,
        **({"window": window} if window else {}),
        "rules": rules,
    },
    st.lists(rule, min_size=1, max_size=5),
    st.none() | window,
)


@settings(max_examples=300, deadline=None)
@given(rule_sets)
def test_random_valid_rule_sets_parse_and_round_trip(data: dict[str, Any]) -> None:
    rules = parse_rules(data)
    assert parse_rules(data) == rules
    canonical = dump_rules(rules)
    again = parse_rules(json.loads(json.dumps(canonical)))
    assert again == rules
    assert dump_rules(again) == canonical
    RuleStrategy(rules, {"level": -3.25, "qty": 1, "period": 7})


def random_bars(seed: int, count: int) -> list[Candle]:
    """1m candles around 5000 on the ES tick, with the 5m ones after each fifth 1m bar."""
    rng = random.Random(seed)
    out, price, five = [], 5000.0, []
    for i in range(count):
        o = price
        price = max(1.0, price + rng.choice([-1, 1]) * rng.randrange(0, 9) * 0.25)
        h, lo = (
            max(o, price) + rng.randrange(0, 4) * 0.25,
            min(o, price) - rng.randrange(0, 4) * 0.25,
        )
        t = T0 + i * MINUTE
        c = Candle("ESZ6", "1m", t, t + MINUTE, o, h, lo, price, float(rng.randrange(0, 50)), price)
        out.append(c)
        five.append(c)
        if len(five) == 5:
            out.append(
                Candle("ESZ6", "5m", five[0].open_time, c.close_time, five[0].open,
                       max(x.high for x in five), min(x.low for x in five), c.close,
                       sum(x.volume for x in five), c.close)
            )  # fmt: skip
            five = []
    return out


@settings(max_examples=60, deadline=None)
@given(rule_sets, st.integers(0, 2**32 - 1), st.sampled_from(["fixed", "equity"]))
def test_random_valid_rule_sets_run_over_random_bars(
    data: dict[str, Any], seed: int, sizing: str
) -> None:
    fraction = Decimal(1) if sizing == "equity" else Decimal("0.1")
    run = runner(data, sizing=Sizing(sizing, fraction=fraction))
    for candle in random_bars(seed, 60):
        for order in orders(run.on_bar(candle)):
            assert order.quantity > 0
            assert order.bracket is None or not order.reduce_only
