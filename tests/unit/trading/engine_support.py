"""A trading engine with accounts, driven by command payloads and market data, for tests.

Every event an engine call returns is validated into its payload here, so a test only has to
look at what it cares about. Times advance by one millisecond per call unless given.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns
from shared.instruments import InstrumentRegistry
from shared.messages.envelope import Payload
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.orders import (
    Bracket,
    CancelAll,
    CancelOrder,
    FlattenAll,
    ModifyOrder,
    SubmitOrder,
)
from shared.messages.schemas.risk import StateScope, TradingState
from shared.messages.schemas.risk_limits import RiskLimitsSpec, SetRiskLimits, SetTradingState
from shared.trading.engine import TradingEngine
from shared.trading.events import Event
from shared.trading.matching import FillConfig
from shared.trading.orders import Order
from shared.trading.positions import Position
from shared.trading.state import Account, EngineConfig

D = Decimal
BUY, SELL = OrderSide.BUY, OrderSide.SELL
MARKET, LIMIT = OrderType.MARKET, OrderType.LIMIT
STOP, STOP_LIMIT = OrderType.STOP, OrderType.STOP_LIMIT
DAY, GTC, IOC, FOK = TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK
ACCOUNT = uuid.UUID(int=0xA1)
USER = uuid.UUID(int=0xB1)
OTHER_ACCOUNT = uuid.UUID(int=0xA2)
OTHER_USER = uuid.UUID(int=0xB2)
STRATEGY = uuid.UUID(int=0x51)
OTHER_STRATEGY = uuid.UUID(int=0x52)
SYMBOL = "ESZ6"
CHICAGO = ZoneInfo("America/Chicago")


def chicago_ns(year: int, month: int, day: int, hour: int, minute: int = 0) -> int:
    """UTC nanoseconds of a Chicago wall-clock time."""
    return datetime_to_ns(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


T0 = chicago_ns(2026, 3, 3, 10)  # a Tuesday morning, the CME session open


def validated(events: Iterable[Event]) -> list[Event]:
    """The events, each checked to build its payload (a bad one raises here)."""
    out = list(events)
    for event in out:
        payload = event.payload()
        assert type(payload) is event.kind
    return out


def types(events: Iterable[Event]) -> list[str]:
    return [e.type for e in events]


def of(events: Iterable[Event], kind: str) -> list[Any]:
    """The validated payloads of one event type, in order."""
    return [e.payload() for e in events if e.type == kind]


def one(events: Iterable[Event], kind: str) -> Any:
    """The single payload of a type (asserting there is exactly one)."""
    found = of(events, kind)
    assert len(found) == 1, f"expected one {kind}, got {types(events)}"
    return found[0]


class Harness:
    """One engine, two accounts of two users, a clock and a log of everything emitted."""

    def __init__(self, config: EngineConfig | None = None, *, now: int = T0) -> None:
        self.engine = TradingEngine(InstrumentRegistry.with_standard_futures(), config)
        self.st = self.engine.state
        for account, user in ((ACCOUNT, USER), (OTHER_ACCOUNT, OTHER_USER)):
            self.st.accounts[account] = Account(account, user, "USD", D(100000))
        self.now = now
        self.log: list[Event] = []
        self.order_ids: dict[str, uuid.UUID] = {}
        self._ids = itertools.count(1)
        self._trades = itertools.count(1)

    @classmethod
    def with_fills(cls, **fills: Any) -> Harness:
        return cls(EngineConfig(fills=FillConfig(**fills)))

    def _at(self, ts: int | None) -> int:
        self.now = ts if ts is not None else self.now + 1_000_000
        return self.now

    def _record(self, events: list[Event]) -> list[Event]:
        out = validated(events)
        self.log.extend(out)
        return out

    def command(self, payload: Payload, *, ts: int | None = None) -> list[Event]:
        """Handle a command with a fresh command id."""
        command_id = uuid.UUID(int=(1 << 64) + next(self._ids))
        if isinstance(payload, SubmitOrder):
            self.order_ids.setdefault(payload.client_order_id, command_id)
        return self._record(self.engine.handle(payload, command_id, self._at(ts)))

    def submit(
        self,
        side: OrderSide,
        quantity: str | int = 1,
        order_type: OrderType = MARKET,
        *,
        limit: str | None = None,
        stop: str | None = None,
        tif: TimeInForce = GTC,
        cid: str | None = None,
        reduce_only: bool = False,
        take_profit: str | None = None,
        stop_loss: str | None = None,
        strategy: uuid.UUID | None = None,
        account: uuid.UUID = ACCOUNT,
        user: uuid.UUID = USER,
        symbol: str = SYMBOL,
        ts: int | None = None,
    ) -> list[Event]:
        bracket = None
        if take_profit is not None or stop_loss is not None:
            bracket = Bracket(
                take_profit_price=None if take_profit is None else D(take_profit),
                stop_loss_price=None if stop_loss is None else D(stop_loss),
            )
        cmd = SubmitOrder(
            account_id=account,
            user_id=user,
            client_order_id=cid or f"o{next(self._ids)}",
            symbol=symbol,
            side=side,
            order_type=order_type,
            quantity=D(quantity),
            limit_price=None if limit is None else D(limit),
            stop_price=None if stop is None else D(stop),
            time_in_force=tif,
            reduce_only=reduce_only,
            bracket=bracket,
            strategy_id=strategy,
            strategy_version=None if strategy is None else 1,
        )
        return self.command(cmd, ts=ts)

    def cancel(
        self, cid: str, *, account: uuid.UUID = ACCOUNT, user: uuid.UUID = USER
    ) -> list[Event]:
        return self.command(CancelOrder(account_id=account, user_id=user, client_order_id=cid))

    def modify(
        self,
        cid: str,
        *,
        quantity: str | int | None = None,
        limit: str | None = None,
        stop: str | None = None,
        by_id: bool = False,
    ) -> list[Event]:
        cmd = ModifyOrder(
            account_id=ACCOUNT,
            user_id=USER,
            order_id=self.order(cid).order_id if by_id else None,
            client_order_id=None if by_id else cid,
            quantity=None if quantity is None else D(quantity),
            limit_price=None if limit is None else D(limit),
            stop_price=None if stop is None else D(stop),
        )
        return self.command(cmd)

    def cancel_all(self, **scope: Any) -> list[Event]:
        scope.setdefault("user_id", USER)
        return self.command(CancelAll(**scope))

    def flatten_all(self, **scope: Any) -> list[Event]:
        scope.setdefault("user_id", USER)
        return self.command(FlattenAll(**scope))

    def set_limits(
        self,
        *,
        account: uuid.UUID = ACCOUNT,
        user: uuid.UUID = USER,
        strategy: uuid.UUID | None = None,
        **limits: Any,
    ) -> list[Event]:
        spec = RiskLimitsSpec(**limits)
        return self.command(
            SetRiskLimits(account_id=account, user_id=user, strategy_id=strategy, limits=spec)
        )

    def set_state(
        self,
        state: TradingState,
        scope: StateScope = StateScope.ACCOUNT,
        *,
        account: uuid.UUID | None = ACCOUNT,
        user: uuid.UUID = USER,
        strategy: uuid.UUID | None = None,
    ) -> list[Event]:
        cmd = SetTradingState(
            scope=scope,
            account_id=None if scope is StateScope.GLOBAL else account,
            user_id=user,
            strategy_id=strategy,
            state=state,
        )
        return self.command(cmd)

    def trade(
        self,
        price: str | int,
        size: str | int = 1,
        *,
        trade_id: str | None = None,
        symbol: str = SYMBOL,
        ts: int | None = None,
    ) -> list[Event]:
        trade_id = trade_id or f"t{next(self._trades)}"
        return self._record(self.engine.on_trade(symbol, D(price), D(size), trade_id, self._at(ts)))

    def bar(
        self,
        o: str,
        h: str,
        low: str,
        c: str,
        volume: str | int = 100,
        *,
        symbol: str = SYMBOL,
        minutes: int = 1,
    ) -> list[Event]:
        open_ns = self._at(None)
        close_ns = open_ns + minutes * 60_000_000_000
        self.now = close_ns
        ohlc = (D(o), D(h), D(low), D(c))
        return self._record(self.engine.on_bar(symbol, open_ns, close_ns, ohlc, D(volume)))

    def tick(self, now: int) -> list[Event]:
        return self._record(self.engine.on_time(self._at(now)))

    def order(self, cid: str, account: uuid.UUID = ACCOUNT) -> Order:
        found = self.st.book.by_client(account, cid)
        assert found is not None, f"no order {cid}"
        return found

    def position(self, account: uuid.UUID = ACCOUNT, symbol: str = SYMBOL) -> Position | None:
        return self.st.positions.get(account, symbol)

    def net(self, account: uuid.UUID = ACCOUNT, symbol: str = SYMBOL) -> Decimal:
        return self.st.positions.net_quantity(account, symbol)

    def fills_of(self, cid: str) -> list[Any]:
        """The ``OrderFilled`` payloads of one order so far."""
        order_id = self.order(cid).order_id
        return [p for p in of(self.log, "OrderFilled") if p.order_id == order_id]
