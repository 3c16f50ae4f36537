"""Everything the trading engine holds, and the changes it made since they were last saved."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from shared.instruments import InstrumentRegistry
from shared.trading.book import OrderBook
from shared.trading.daily_pnl import DailyPnl
from shared.trading.exposure import Exposure, Scope
from shared.trading.fills import Fill
from shared.trading.matching import FillConfig
from shared.trading.orders import Order
from shared.trading.positions import Position, PositionBook
from shared.trading.risk_limits import RiskLimits
from shared.trading.trading_state import TradingStates


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How the paper exchange fills, and what the platform applies when nothing else does."""

    fills: FillConfig = field(default_factory=FillConfig)
    default_limits: RiskLimits | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """A trading account: its owner, currency and starting cash."""

    account_id: uuid.UUID
    user_id: uuid.UUID
    currency: str = "USD"
    starting_balance: Decimal = Decimal(0)


@dataclass(slots=True)
class Changes:
    """What changed since the last ``take_changes``: the rows the ledger must write."""

    orders: dict[uuid.UUID, Order] = field(default_factory=dict)
    fills: list[Fill] = field(default_factory=list)
    positions: dict[uuid.UUID, Position] = field(default_factory=dict)
    limits: set[Scope] = field(default_factory=set)
    states: set[Scope] = field(default_factory=set)
    daily: set[Scope] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(
            self.orders or self.fills or self.positions or self.limits or self.states or self.daily
        )


@dataclass(slots=True)
class EngineState:
    """The engine's memory: accounts, orders, positions, risk, last prices, pending changes."""

    instruments: InstrumentRegistry
    config: EngineConfig
    accounts: dict[uuid.UUID, Account] = field(default_factory=dict)
    book: OrderBook = field(default_factory=OrderBook)
    positions: PositionBook = field(default_factory=PositionBook)
    exposure: Exposure = field(default_factory=Exposure)
    states: TradingStates = field(default_factory=TradingStates)
    daily: DailyPnl = field(default_factory=DailyPnl)
    limits: dict[Scope, RiskLimits] = field(default_factory=dict)
    last_price: dict[str, Decimal] = field(default_factory=dict)
    strategy_versions: dict[uuid.UUID, int] = field(default_factory=dict)
    loss_watch: set[Scope] = field(default_factory=set)
    changes: Changes = field(default_factory=Changes)
    accounts_watched: int = 0

    def limits_for(self, scope: Scope) -> RiskLimits | None:
        """A scope's limits; an account without its own has the platform's defaults."""
        found = self.limits.get(scope)
        if found is None and scope[1] is None:
            return self.config.default_limits
        return found

    def set_limits(self, scope: Scope, limits: RiskLimits | None) -> None:
        """Store (or with None drop) a scope's limits and keep the daily-loss watch list."""
        if limits is None:
            self.limits.pop(scope, None)
        else:
            self.limits[scope] = limits
        effective = self.limits_for(scope)
        if effective is not None and effective.max_daily_loss is not None:
            self.loss_watch.add(scope)
        else:
            self.loss_watch.discard(scope)

    def watch_accounts(self) -> None:
        """Put accounts known since the last call that have only the platform's default
        limits on the daily-loss watch, when those limits have a max daily loss.

        Accounts are only ever added to ``accounts`` (on start and as commands name them), so
        comparing its size tells whether there is anything new to look at.
        """
        if len(self.accounts) == self.accounts_watched:
            return
        self.accounts_watched = len(self.accounts)
        defaults = self.config.default_limits
        if defaults is None or defaults.max_daily_loss is None:
            return
        for account_id in self.accounts:
            if (account_id, None) not in self.limits:
                self.loss_watch.add((account_id, None))

    def touch(self, order: Order) -> None:
        self.changes.orders[order.order_id] = order
