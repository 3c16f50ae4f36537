"""Fakes for the strategy workers' service tests: the store, stored candles, bars, a desk."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shared.bus.memory import MemoryBus
from shared.clock import FakeClock
from shared.instruments import InstrumentRegistry
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.marketdata import Bar
from shared.messages.schemas.strategy import PauseStrategy, StartStrategy, StopStrategy
from shared.strategy.candles import Candle, candle_of
from shared.strategy.definition import StrategyDefinition, Subscription
from strategy_workers.runtime.desk import Desk, DeskConfig
from strategy_workers.runtime.outbound import Outbound, topic_map
from tests.service.strategy_workers.fake_store import FakeStore

SYMBOL = "ESZ6"
MINUTE = 60_000_000_000
T0 = 1_790_000_040 * 1_000_000_000  # a whole minute
USER = uuid.UUID("b0000000-0000-4000-8000-000000000001")
ACCOUNT = uuid.UUID("a0000000-0000-4000-8000-000000000001")
COMMANDS_TOPIC = "orders.commands"
SIGNALS_TOPIC = "strategy.signals"
Control = StartStrategy | PauseStrategy | StopStrategy


def definition(
    strategy_id: uuid.UUID | None = None,
    *,
    version: int = 1,
    code_ref: str = "builtin:ma_crossover",
    subscriptions: Sequence[tuple[str, str]] = ((SYMBOL, "1m"),),
    parameters: dict[str, Any] | None = None,
) -> StrategyDefinition:
    return StrategyDefinition(
        strategy_id=strategy_id or uuid.uuid4(),
        version=version,
        user_id=USER,
        account_id=ACCOUNT,
        code_ref=code_ref,
        subscriptions=tuple(Subscription(*s) for s in subscriptions),
        parameters=parameters if parameters is not None else {"fast": 2, "slow": 3},
        name="test",
    )


@dataclass
class FakeHistory:
    """Stored candles by (symbol, timeframe), as InfluxDB would answer."""

    candles: dict[tuple[str, str], list[Candle]] = field(default_factory=dict)
    reads: int = 0

    def store(self, bars: Sequence[Bar]) -> None:
        for bar in bars:
            self.candles.setdefault((bar.symbol, bar.timeframe), []).append(candle_of(bar))

    async def before(self, symbol: str, timeframe: str, end_ns: int, limit: int) -> list[Candle]:
        self.reads += 1
        found = [c for c in self.candles.get((symbol, timeframe), []) if c.open_time < end_ns]
        return sorted(found, key=lambda c: c.open_time)[-limit:]


def bars(
    closes: Sequence[float | str], *, symbol: str = SYMBOL, timeframe: str = "1m",
    start: int = T0, step: int = MINUTE,
) -> list[Bar]:  # fmt: skip
    """Bars closing at ``closes``, each opening at the previous close."""
    out = []
    previous = Decimal(str(closes[0]))
    for i, value in enumerate(closes):
        close = Decimal(str(value))
        high, low = max(previous, close), min(previous, close)
        out.append(
            Bar(
                symbol=symbol, timeframe=timeframe, open_time=start + i * step,
                close_time=start + (i + 1) * step, open=previous, high=high, low=low,
                close=close, volume=Decimal(10), trade_count=5,
            )
        )  # fmt: skip
        previous = close
    return out


def bar_envelope(bar: Bar, clock: FakeClock | None = None) -> Envelope[Payload]:
    """A bar as the market data engine publishes it (its id from symbol/timeframe/open)."""
    message_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{bar.symbol}/{bar.timeframe}/{bar.open_time}")
    return new_envelope(
        bar, clock=clock or FakeClock(bar.close_time), producer="test-mde",
        ts_event=bar.close_time, message_id=message_id,
    )  # fmt: skip


def control(cls: type[Control], d: StrategyDefinition, **fields: Any) -> Envelope[Payload]:
    payload = cls(
        account_id=d.account_id, user_id=d.user_id, strategy_id=d.strategy_id,
        strategy_version=d.version, **fields,
    )  # fmt: skip
    return new_envelope(payload, clock=FakeClock(T0), producer="test-gateway")


@dataclass
class Rig:
    """A desk over the fakes, publishing to an in-memory bus."""

    store: FakeStore
    history: FakeHistory
    bus: MemoryBus
    outbound: Outbound
    desk: Desk
    clock: FakeClock


def rig(*, warmup_bars: int = 500, held: Sequence[int] = (0,)) -> Rig:
    store, history, bus, clock = FakeStore(), FakeHistory(), MemoryBus(), FakeClock(T0)
    outbound = Outbound(
        bus, topic_map({COMMANDS_TOPIC: COMMANDS_TOPIC, SIGNALS_TOPIC: SIGNALS_TOPIC})
    )
    desk = Desk(
        store, history, InstrumentRegistry.with_standard_futures(), clock,
        place=lambda symbol: 0, config=DeskConfig(warmup_bars=warmup_bars),
    )  # fmt: skip
    desk.held = set(held)
    return Rig(store, history, bus, outbound, desk, clock)


def payloads(envelopes: Sequence[Envelope[Payload]], kind: type[Any]) -> list[Any]:
    return [e.payload for e in envelopes if isinstance(e.payload, kind)]
