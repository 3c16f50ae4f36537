"""Which strategies a worker runs, and which of them each candle goes to.

The bars topic is keyed by symbol, so a member of the bars consumer group sees the symbols
of the partitions it holds. A strategy runs on the member holding its home symbol (the
symbol of its first subscription): every subscription on that symbol, whatever the
timeframe, arrives there in order. A strategy watching symbols of other partitions gets
their bars only while the same member holds those partitions too (always so with one
worker); see docs/live-strategies.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Mapping

from shared.strategy.definition import StrategyDefinition, Subscription

Placement = Callable[[str], int]
"""The partition of the bars topic that carries a symbol."""


def home_symbol(definition: StrategyDefinition) -> str:
    """The symbol whose partition decides where a strategy runs."""
    return definition.subscriptions[0].symbol


def owns(definition: StrategyDefinition, held: Collection[int], place: Placement) -> bool:
    """True when this member holds the partition of the strategy's home symbol."""
    return bool(definition.subscriptions) and place(home_symbol(definition)) in held


class Routes:
    """(symbol, timeframe) -> the strategies subscribed to it, in a stable order."""

    def __init__(
        self, subscriptions: Mapping[uuid.UUID, Iterable[Subscription]] | None = None
    ) -> None:
        subscriptions = subscriptions or {}
        table: dict[Subscription, list[uuid.UUID]] = {}
        for strategy_id in sorted(subscriptions):
            for sub in dict.fromkeys(subscriptions[strategy_id]):
                table.setdefault(Subscription(*sub), []).append(strategy_id)
        self._table = {sub: tuple(ids) for sub, ids in table.items()}

    def __call__(self, symbol: str, timeframe: str) -> tuple[uuid.UUID, ...]:
        """The strategies that receive candles of ``symbol`` and ``timeframe``."""
        return self._table.get(Subscription(symbol, timeframe), ())

    def __len__(self) -> int:
        return len(self._table)
