"""Helpers for rule-strategy tests: a runner of a rule set, candles, and the orders sent."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from shared.instruments import InstrumentRegistry
from shared.messages.schemas.orders import SubmitOrder
from shared.strategy.candles import Candle
from shared.strategy.catalog import runner_for
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription
from shared.strategy.runner import Emitted, StrategyRunner

SYMBOL = "ESZ6"
MINUTE = 60_000_000_000
T0 = 1_772_546_400_000_000_000  # 2026-03-03 14:00 UTC, a Tuesday
INSTRUMENTS = InstrumentRegistry.with_standard_futures()


def runner(
    rules: Mapping[str, Any],
    *,
    subscriptions: Sequence[tuple[str, str]] = ((SYMBOL, "1m"),),
    parameters: Mapping[str, Any] | None = None,
    sizing: Sizing | None = None,
) -> StrategyRunner:
    """A started runner of a rule strategy version."""
    definition = StrategyDefinition(
        strategy_id=uuid.UUID("5a5a5a5a-0000-4000-8000-00000000a001"),
        version=1,
        user_id=uuid.UUID("00000000-0000-4000-8000-00000000d3e0"),
        account_id=uuid.UUID("00000000-0000-4000-8000-0000000acc01"),
        code_ref="rules",
        subscriptions=tuple(Subscription(*s) for s in subscriptions),
        parameters=dict(parameters or {}),
        rules=rules,
        sizing=sizing or Sizing(),
    )
    started = runner_for(definition, INSTRUMENTS)
    started.start(T0)
    return started


def bar(
    i: int,
    close: float,
    *,
    timeframe: str = "1m",
    step: int = MINUTE,
    start: int = T0,
    symbol: str = SYMBOL,
    high: float | None = None,
    low: float | None = None,
) -> Candle:
    """The ``i``-th candle of a series of width ``step`` (open = close unless high/low)."""
    t = start + i * step
    h = close if high is None else high
    lo = close if low is None else low
    return Candle(symbol, timeframe, t, t + step, close, h, lo, close, 100.0, close)


def closes(values: Iterable[float], **kw: Any) -> list[Candle]:
    """Consecutive candles with these closes."""
    return [bar(i, c, **kw) for i, c in enumerate(values)]


def orders(emitted: Iterable[Emitted]) -> list[SubmitOrder]:
    """The order submissions among emitted messages."""
    return [p for _, p in emitted if isinstance(p, SubmitOrder)]


def feed(run: StrategyRunner, candles: Iterable[Candle]) -> list[tuple[int, SubmitOrder]]:
    """Feed candles; every order sent, with the index of the candle that caused it."""
    sent = []
    for index, candle in enumerate(candles):
        sent += [(index, order) for order in orders(run.on_bar(candle))]
    return sent


def summary(sent: Iterable[tuple[int, SubmitOrder]]) -> list[tuple[int, str, Decimal, bool]]:
    """(candle index, side, quantity, reduce only) of each order."""
    return [(i, o.side.value, o.quantity, o.reduce_only) for i, o in sent]


def rule_set(*rules: Mapping[str, Any], **top: Any) -> dict[str, Any]:
    """A rule set of ``rules`` with the usual two averages (``fast``/``slow``, SMA 2 and 3)."""
    indicators = top.pop(
        "indicators",
        {"fast": {"type": "sma", "period": 2}, "slow": {"type": "sma", "period": 3}},
    )
    return {"indicators": indicators, **top, "rules": list(rules)}
