"""Helpers for strategy tests: definitions, candle series, a scripted strategy, and a
simulator that runs a strategy against the real trading engine (paper fills, positions)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from shared.instruments import InstrumentRegistry
from shared.messages.envelope import Payload
from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.order_events import OrderEvent, OrderFilled, OrderRejected
from shared.messages.schemas.orders import CancelOrder, SubmitOrder
from shared.strategy.base import Strategy
from shared.strategy.candles import Candle
from shared.strategy.catalog import runner_for
from shared.strategy.context import StrategyContext
from shared.strategy.definition import Sizing, StrategyDefinition, Subscription
from shared.strategy.params import ParamValue
from shared.strategy.runner import StrategyRunner
from shared.trading.engine import TradingEngine
from shared.trading.state import Account

D = Decimal
STRATEGY = uuid.UUID("5a5a5a5a-0000-4000-8000-000000000001")
USER = uuid.UUID("00000000-0000-4000-8000-00000000d3e0")
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000acc01")
SYMBOL = "ESZ6"
MINUTE = 60_000_000_000
T0 = 1_772_546_400_000_000_000  # 2026-03-03 14:00 UTC, a Tuesday inside the CME session
INSTRUMENTS = InstrumentRegistry.with_standard_futures()


def definition(
    code_ref: str = "builtin:ma_crossover",
    parameters: Mapping[str, ParamValue] | None = None,
    *,
    subscriptions: Sequence[tuple[str, str]] = ((SYMBOL, "1m"),),
    sizing: Sizing | None = None,
    capital: Decimal = Decimal(100_000),
    version: int = 1,
) -> StrategyDefinition:
    """A strategy version of the demo user's account."""
    return StrategyDefinition(
        strategy_id=STRATEGY,
        version=version,
        user_id=USER,
        account_id=ACCOUNT,
        code_ref=code_ref,
        subscriptions=tuple(Subscription(*s) for s in subscriptions),
        parameters=dict(parameters or {}),
        sizing=sizing or Sizing(),
        capital=capital,
    )


def candle(
    i: int,
    close: float,
    *,
    open_: float | None = None,
    high: float | None = None,
    low: float | None = None,
    volume: float = 100.0,
    symbol: str = SYMBOL,
    timeframe: str = "1m",
    start: int = T0,
    step: int = MINUTE,
) -> Candle:
    """The ``i``-th candle of a series (open = close unless given; range = open..close)."""
    o = close if open_ is None else open_
    h = max(o, close) if high is None else high
    lo = min(o, close) if low is None else low
    t = start + i * step
    return Candle(symbol, timeframe, t, t + step, o, h, lo, close, volume, close)


def series(closes: Iterable[float], **kw: Any) -> list[Candle]:
    """Candles from closes; each opens at the previous close (the first at its own close)."""
    out: list[Candle] = []
    previous: float | None = None
    for i, close in enumerate(closes):
        out.append(candle(i, close, open_=previous, **kw))
        previous = close
    return out


class Script(Strategy):
    """A strategy whose callbacks are functions given by the test; it records every call."""

    NAME = "script"

    def __init__(
        self,
        on_bar: Callable[[StrategyContext, Candle], object] | None = None,
        *,
        on_start: Callable[[StrategyContext], object] | None = None,
        on_fill: Callable[[StrategyContext, OrderFilled], object] | None = None,
        on_event: Callable[[StrategyContext, Any], object] | None = None,
        on_stop: Callable[[StrategyContext], object] | None = None,
        extra: Sequence[Subscription] = (),
    ) -> None:
        super().__init__({})
        self.calls: list[tuple[str, Any]] = []
        self._bar, self._start, self._fill = on_bar, on_start, on_fill
        self._event, self._stop, self._extra = on_event, on_stop, tuple(extra)

    def subscriptions(self, given: Sequence[Subscription]) -> tuple[Subscription, ...]:
        return (*given, *self._extra)

    def on_start(self, ctx: StrategyContext) -> None:
        self.calls.append(("start", None))
        if self._start:
            self._start(ctx)

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        self.calls.append(("bar", bar))
        if self._bar:
            self._bar(ctx, bar)

    def on_fill(self, ctx: StrategyContext, fill: OrderFilled) -> None:
        self.calls.append(("fill", fill))
        if self._fill:
            self._fill(ctx, fill)

    def on_order_event(self, ctx: StrategyContext, event: OrderEvent | OrderRejected) -> None:
        self.calls.append(("event", event))
        if self._event:
            self._event(ctx, event)

    def on_stop(self, ctx: StrategyContext) -> None:
        self.calls.append(("stop", None))
        if self._stop:
            self._stop(ctx)


def scripted(
    strategy: Script, d: StrategyDefinition | None = None, *, start: bool = True
) -> StrategyRunner:
    """A runner of a scripted strategy, started."""
    runner = StrategyRunner(d or definition(), strategy, INSTRUMENTS)
    if start:
        runner.start(T0)
    return runner


def sent(emitted: Iterable[tuple[uuid.UUID, Payload]]) -> list[Any]:
    """The payloads of what a runner emitted."""
    return [payload for _, payload in emitted]


def fill_of(
    submit: SubmitOrder,
    price: str | Decimal,
    *,
    quantity: Decimal | None = None,
    leaves: Decimal = Decimal(0),
    n: int = 1,
    commission: str = "0",
) -> OrderFilled:
    """A fill of a submitted order (the fill id from ``n`` and the client order id)."""
    qty = quantity if quantity is not None else submit.quantity
    return OrderFilled(
        account_id=submit.account_id,
        user_id=submit.user_id,
        order_id=uuid.uuid5(STRATEGY, submit.client_order_id),
        client_order_id=submit.client_order_id,
        symbol=submit.symbol,
        strategy_id=submit.strategy_id,
        strategy_version=submit.strategy_version,
        fill_id=uuid.uuid5(STRATEGY, f"{submit.client_order_id}/{n}"),
        side=submit.side,
        price=D(price),
        quantity=qty,
        commission=D(commission),
        commission_currency="USD",
        cum_quantity=submit.quantity - leaves,
        leaves_quantity=leaves,
    )


class Sim:
    """A strategy run against the trading engine: bars fill working orders first (market
    orders at the next bar's open), the strategy's order events go back to it, then it
    sees the bar. Records every command it sent and every fill."""

    def __init__(self, d: StrategyDefinition, instruments: InstrumentRegistry = INSTRUMENTS):
        self.engine = TradingEngine(instruments)
        self.engine.state.accounts[ACCOUNT] = Account(ACCOUNT, USER, "USD", d.capital)
        self.runner = runner_for(d, instruments)
        self.commands: list[Payload] = []
        self.fills: list[OrderFilled] = []
        self.events: list[Payload] = []
        self.emitted: list[tuple[int, uuid.UUID, Payload]] = []
        """(bar number, message id, payload) of what ``on_bar`` emitted."""
        self.fills_before: list[int] = []
        """How many fills the strategy had seen before each bar's ``on_bar``."""
        self.now = T0
        self._send(self.runner.start(T0))

    @property
    def ctx(self) -> StrategyContext:
        return self.runner.ctx

    def bar(self, c: Candle) -> None:
        prices = tuple(D(repr(p)) for p in (c.open, c.high, c.low, c.close))
        self.now = c.close_time
        events = self.engine.on_bar(c.symbol, c.open_time, c.close_time, prices, D(c.volume))  # type: ignore[arg-type]
        self._route(events)
        self.fills_before.append(len(self.fills))
        emitted = self.runner.on_bar(c)
        self.emitted.extend((len(self.fills_before) - 1, i, p) for i, p in emitted)
        self._send(emitted)

    def run(self, candles: Iterable[Candle]) -> Sim:
        for c in candles:
            self.bar(c)
        return self

    def _send(self, emitted: Iterable[tuple[uuid.UUID, Payload]]) -> None:
        for message_id, payload in emitted:
            assert isinstance(payload, (SubmitOrder, CancelOrder)), payload
            self.commands.append(payload)
            self._route(self.engine.handle(payload, message_id, self.now))

    def _route(self, events: Iterable[Any]) -> None:
        for event in events:
            payload = event.payload()
            if not isinstance(payload, (OrderEvent, OrderRejected)):
                continue
            self.events.append(payload)
            if isinstance(payload, OrderFilled):
                self.fills.append(payload)
            self._send(self.runner.on_event(payload))

    @property
    def submits(self) -> list[SubmitOrder]:
        return [c for c in self.commands if isinstance(c, SubmitOrder)]

    @property
    def cancels(self) -> list[CancelOrder]:
        return [c for c in self.commands if isinstance(c, CancelOrder)]

    def trades(self) -> list[tuple[str, float, float]]:
        """Fills as (side, quantity, price); floats, exact for prices on a quarter tick."""
        return [(f.side.value, float(f.quantity), float(f.price)) for f in self.fills]

    def position(self) -> Decimal:
        net = D(0)
        for f in self.fills:
            net += f.quantity if f.side is OrderSide.BUY else -f.quantity
        return net
