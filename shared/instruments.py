"""Instrument specs, trading sessions, and the registry that resolves symbols to specs.

A futures contract symbol (``ESZ6``, ``ESZ26``, ``MNQH7``) resolves to its root's spec
unless the contract itself was registered.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from shared.clock import datetime_to_ns, ns_to_datetime
from shared.values import Money, Price, Quantity, TickRounding, is_on_tick, round_to_tick

MONTH_CODES = "FGHJKMNQUVXZ"
_CONTRACT_SUFFIX = re.compile(rf"^[{MONTH_CODES}][0-9]{{1,2}}$")
_DECIMAL_FIELDS = (
    "tick_size",
    "point_value",
    "quantity_step",
    "commission_per_contract",
    "commission_rate",
)


class AssetClass(StrEnum):
    """What kind of thing an instrument is."""

    FUTURE = "FUTURE"
    EQUITY = "EQUITY"
    CRYPTO = "CRYPTO"
    FX = "FX"
    INDEX = "INDEX"
    OTHER = "OTHER"


@dataclass(frozen=True, slots=True)
class TradingSession:
    """Daily trading hours in local time; a close at or before the open runs overnight.

    ``days`` are the weekdays (0 = Monday) on which a session closes: CME Globex opens at
    17:00 Chicago time the evening before (Sunday for Monday) and closes at 16:00, with a
    daily break from 16:00 to 17:00.
    """

    name: str
    timezone: str
    open: time
    close: time
    days: frozenset[int] = frozenset(range(5))

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # an unknown zone raises here, not at the first trade
        if not self.days or not self.days <= set(range(7)):
            raise ValueError(f"session {self.name}: days must be weekdays 0..6")

    @property
    def overnight(self) -> bool:
        return self.close <= self.open

    def _local(self, ts_ns: int) -> datetime:
        return ns_to_datetime(ts_ns).astimezone(ZoneInfo(self.timezone))

    def _trading_day(self, local: datetime) -> date:
        """The day whose session is (or would be) running at a local time."""
        if self.overnight and local.time() >= self.open:
            return local.date() + timedelta(days=1)
        return local.date()

    def is_open(self, ts_ns: int) -> bool:
        """True if the market trades at this UTC time."""
        local = self._local(ts_ns)
        if self._trading_day(local).weekday() not in self.days:
            return False
        now = local.time()
        if self.overnight:
            return now >= self.open or now < self.close
        return self.open <= now < self.close

    def next_close_ns(self, ts_ns: int) -> int:
        """The close of the session running at ``ts_ns``, or of the next one (DAY expiry)."""
        local = self._local(ts_ns)
        day = self._trading_day(local)
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            close = datetime.combine(candidate, self.close, tzinfo=ZoneInfo(self.timezone))
            if candidate.weekday() in self.days and close > local:
                return datetime_to_ns(close)
        raise AssertionError("a session with trading days closes within a week")


def _decimal(value: Price | Quantity | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else value.value


@dataclass(frozen=True, slots=True)
class Instrument:
    """A tradable contract's spec. ``point_value`` is the currency value of one full point.

    ``commission_per_contract`` is charged per unit per side, ``commission_rate`` on
    notional; either or both may apply. ``session`` None means it trades around the clock.
    """

    symbol: str
    root: str
    asset_class: AssetClass
    exchange: str
    currency: str
    tick_size: Decimal
    point_value: Decimal
    commission_per_contract: Decimal = Decimal(0)
    commission_rate: Decimal = Decimal(0)
    quantity_step: Decimal = Decimal(1)
    session: TradingSession | None = None
    description: str = ""

    def __post_init__(self) -> None:
        Money(0, self.currency)  # validates the currency code
        if not self.symbol or not self.root:
            raise ValueError("an instrument needs a symbol and a root")
        for name in _DECIMAL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite():
                raise TypeError(f"{self.symbol}: {name} must be a finite Decimal, got {value!r}")
            if value < 0 or (value == 0 and not name.startswith("commission")):
                raise ValueError(f"{self.symbol}: {name} cannot be {value}")

    @property
    def tick_value(self) -> Money:
        """The value of one tick on one contract (ES: 12.50 USD)."""
        return Money(self.point_value * self.tick_size, self.currency)

    def is_on_tick(self, price: Price | Decimal) -> bool:
        return is_on_tick(price, self.tick_size)

    def round_price(self, price: Price, mode: TickRounding = TickRounding.NEAREST) -> Price:
        return round_to_tick(price, self.tick_size, mode)

    def is_valid_quantity(self, quantity: Quantity | Decimal) -> bool:
        """True for a positive whole number of quantity steps."""
        value = _decimal(quantity)
        return value > 0 and value % self.quantity_step == 0

    def value_of_points(self, points: Decimal, quantity: Quantity | Decimal) -> Money:
        """What a move of ``points`` is worth on ``quantity`` (the P&L of that move)."""
        return Money(points * _decimal(quantity) * self.point_value, self.currency)

    def notional(self, price: Price | Decimal, quantity: Quantity | Decimal) -> Money:
        """Exposure: |price| x quantity x point value."""
        return Money(abs(_decimal(price)) * _decimal(quantity) * self.point_value, self.currency)

    def commission(self, quantity: Quantity | Decimal, price: Price | Decimal) -> Money:
        """The commission on one side of a fill of ``quantity`` at ``price``."""
        per_unit = self.commission_per_contract * _decimal(quantity)
        on_notional = self.commission_rate * self.notional(price, quantity).amount
        return Money(per_unit + on_notional, self.currency)

    def for_contract(self, symbol: str) -> Instrument:
        """This root's spec under a contract symbol."""
        return dataclasses.replace(self, symbol=symbol)


class UnknownInstrument(LookupError):
    """A symbol that is neither registered nor a contract of a registered futures root."""

    def __init__(self, symbol: str, roots: Iterable[str]) -> None:
        known = ", ".join(sorted(roots)) or "none"
        super().__init__(
            f"unknown instrument {symbol!r}: not registered, and not a futures contract "
            f"(root + month code {MONTH_CODES} + year) of a registered root ({known})"
        )
        self.symbol = symbol


class InstrumentRegistry:
    """Instruments by symbol; futures contract symbols resolve to their root's spec."""

    def __init__(self, instruments: Iterable[Instrument] = ()) -> None:
        self._by_symbol: dict[str, Instrument] = {}
        self._contracts: dict[str, Instrument] = {}  # resolved contract symbols, memoised
        for instrument in instruments:
            self.register(instrument)

    @classmethod
    def with_standard_futures(cls) -> InstrumentRegistry:
        """A registry holding the standard futures roots (ES, MES, NQ, MNQ, YM, RTY, CL, GC)."""
        return cls(STANDARD_FUTURES)

    def register(self, instrument: Instrument, *, replace: bool = False) -> None:
        """Add an instrument; registering a taken symbol needs ``replace=True``."""
        if instrument.symbol in self._by_symbol and not replace:
            raise ValueError(f"instrument {instrument.symbol!r} is already registered")
        self._by_symbol[instrument.symbol] = instrument
        self._contracts.clear()

    def _future_roots(self) -> list[Instrument]:
        roots = [
            i
            for i in self._by_symbol.values()
            if i.asset_class is AssetClass.FUTURE and i.symbol == i.root
        ]
        return sorted(roots, key=lambda i: len(i.root), reverse=True)  # MNQ before NQ

    def find(self, symbol: str) -> Instrument | None:
        """The spec of a symbol, or None."""
        found = self._by_symbol.get(symbol) or self._contracts.get(symbol)
        if found is not None:
            return found
        for root in self._future_roots():
            suffix = symbol[len(root.root) :]
            if symbol.startswith(root.root) and _CONTRACT_SUFFIX.match(suffix):
                contract = self._contracts[symbol] = root.for_contract(symbol)
                return contract
        return None

    def get(self, symbol: str) -> Instrument:
        """The spec of a symbol; UnknownInstrument says why when there is none."""
        found = self.find(symbol)
        if found is None:
            raise UnknownInstrument(symbol, (i.root for i in self._future_roots()))
        return found

    def __contains__(self, symbol: object) -> bool:
        return isinstance(symbol, str) and self.find(symbol) is not None

    def __iter__(self) -> Iterator[Instrument]:
        return iter(list(self._by_symbol.values()))

    def __len__(self) -> int:
        return len(self._by_symbol)


CME_GLOBEX = TradingSession("CME Globex", "America/Chicago", time(17), time(16))


# root, exchange, $ per point, tick, commission per contract per side, name. Commissions are
# indicative all-in retail rates (exchange, clearing, NFA, broker); register a replacement
# spec to use your own.
_FUTURES_TABLE = (
    ("ES", "CME", "50", "0.25", "2.25", "E-mini S&P 500"),
    ("MES", "CME", "5", "0.25", "0.62", "Micro E-mini S&P 500"),
    ("NQ", "CME", "20", "0.25", "2.25", "E-mini Nasdaq-100"),
    ("MNQ", "CME", "2", "0.25", "0.62", "Micro E-mini Nasdaq-100"),
    ("YM", "CBOT", "5", "1.00", "2.25", "E-mini Dow ($5)"),
    ("RTY", "CME", "50", "0.10", "2.25", "E-mini Russell 2000"),
    ("CL", "NYMEX", "1000", "0.01", "2.25", "Crude Oil (WTI)"),
    ("GC", "COMEX", "100", "0.10", "2.25", "Gold"),
)

STANDARD_FUTURES: tuple[Instrument, ...] = tuple(
    Instrument(
        symbol=root,
        root=root,
        asset_class=AssetClass.FUTURE,
        exchange=exchange,
        currency="USD",
        tick_size=Decimal(tick),
        point_value=Decimal(point),
        commission_per_contract=Decimal(fee),
        session=CME_GLOBEX,
        description=name,
    )
    for root, exchange, point, tick, fee, name in _FUTURES_TABLE
)
"""The standard futures roots, each trading on CME Globex hours."""
