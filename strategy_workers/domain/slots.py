"""One strategy as a worker runs it: its runner, status, run and what it has been fed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.messages.schemas.strategy import StrategyStatus
from shared.strategy.candles import Candle
from shared.strategy.definition import StrategyDefinition, Subscription
from shared.strategy.runner import StrategyRunner


@dataclass
class Slot:
    """A running (or paused) strategy version on this worker.

    ``fed`` holds the open time of the newest candle fed per subscription, warm-up
    included: an older or repeated candle (a re-emitted bar) is never fed twice.
    ``known`` holds the client order ids the ledger had when the book was rebuilt, so an
    order the strategy asks for again on a replayed bar keeps its true state.
    """

    runner: StrategyRunner
    status: StrategyStatus
    run_id: uuid.UUID | None = None
    warmed: bool = False
    fed: dict[Subscription, int] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)

    @property
    def definition(self) -> StrategyDefinition:
        return self.runner.definition

    @property
    def strategy_id(self) -> uuid.UUID:
        return self.runner.definition.strategy_id

    @property
    def run_key(self) -> str:
        """Names the run in the ids of what ``on_start``/``on_stop`` emit: the same after a
        restart of the worker, different for the next run of the strategy."""
        return run_key_of(self.run_id, self.definition.version)

    def fresh(self, candle: Candle) -> bool:
        """True unless a candle of this subscription as new or newer was fed already."""
        last = self.fed.get(Subscription(candle.symbol, candle.timeframe))
        return last is None or candle.open_time > last

    def note(self, candle: Candle) -> None:
        """``candle`` was fed."""
        sub = Subscription(candle.symbol, candle.timeframe)
        self.fed[sub] = max(candle.open_time, self.fed.get(sub, candle.open_time))


def run_key_of(run_id: uuid.UUID | None, version: int) -> str:
    """The run's key in message ids: its id when the store has one, else the version."""
    return run_id.hex[:12] if run_id is not None else f"v{version}"


def quietly(runner: StrategyRunner, call: Callable[[], object]) -> None:
    """Run a callback with the strategy's actions off (a paused strategy keeps its state
    from bars and order events, and sends nothing)."""
    ctx = runner.ctx
    ctx.live = False
    try:
        call()
    finally:
        ctx.live = True
        ctx.intents.clear()
