import itertools
import uuid
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.clock import datetime_to_ns
from shared.instruments import AssetClass, Instrument, InstrumentRegistry
from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.messages.schemas.reasons import RejectReason
from shared.messages.schemas.risk import TradingState
from shared.trading.exposure import Exposure
from shared.trading.orders import Order, OrderStatus
from shared.trading.risk import RiskContext, check_order
from shared.trading.risk_limits import RiskLimits

ACCOUNT = uuid.UUID(int=1)
USER = uuid.UUID(int=2)
STRATEGY = uuid.UUID(int=3)
CHICAGO = ZoneInfo("America/Chicago")
REGISTRY = InstrumentRegistry.with_standard_futures()
ES = REGISTRY.get("ESZ6")
NOW = datetime_to_ns(datetime(2026, 3, 4, 10, 0, tzinfo=CHICAGO))  # Wednesday, in session
SECOND = 1_000_000_000
_ids = itertools.count(1000)
R = RejectReason


def make_order(
    side: str = "BUY",
    quantity: int | str = 1,
    *,
    symbol: str = "ESZ6",
    strategy: uuid.UUID | None = None,
    order_type: OrderType = OrderType.MARKET,
    limit: str | None = None,
    stop: str | None = None,
    reduce_only: bool = False,
) -> Order:
    return Order(
        order_id=uuid.UUID(int=next(_ids)),
        account_id=ACCOUNT,
        user_id=USER,
        client_order_id=f"c{next(_ids)}",
        symbol=symbol,
        side=OrderSide(side),
        order_type=order_type,
        quantity=Decimal(quantity),
        time_in_force=TimeInForce.GTC,
        created_ns=NOW,
        limit_price=Decimal(limit) if limit is not None else None,
        stop_price=Decimal(stop) if stop is not None else None,
        reduce_only=reduce_only,
        strategy_id=strategy,
        status=OrderStatus.ACCEPTED,
    )


class Scoped:
    """Puts the limits, holdings and P&L on the account, or on the strategy under test."""

    def __init__(self, kind: str) -> None:
        self.strategy = STRATEGY if kind == "strategy" else None
        self.scopes = [(ACCOUNT, None)] + ([(ACCOUNT, STRATEGY)] if self.strategy else [])
        self.label = (
            f"strategy {STRATEGY} of account {ACCOUNT}" if self.strategy else f"account {ACCOUNT}"
        )
        self.exposure = Exposure()

    def order(self, side: str = "BUY", quantity: int | str = 1, **kw: object) -> Order:
        return make_order(side, quantity, strategy=self.strategy, **kw)  # type: ignore[arg-type]

    def hold(self, net: int | str, symbol: str = "ESZ6") -> None:
        for scope in self.scopes:
            self.exposure.restore_position(scope, symbol, Decimal(net))

    def work(self, side: str, quantity: int, symbol: str = "ESZ6") -> None:
        self.exposure.on_accept(self.order(side, quantity, symbol=symbol))

    def check(
        self, order: Order, limits: RiskLimits, pnl: str = "0", **kw: object
    ) -> tuple[RejectReason | None, str]:
        named = "strategy" if self.strategy else "account"
        ctx = RiskContext(
            instrument=kw.pop("instrument", ES),  # type: ignore[arg-type]
            exposure=self.exposure,
            now_ns=kw.pop("now_ns", NOW),  # type: ignore[arg-type]
            **{f"{named}_limits": limits, f"{named}_pnl": Decimal(pnl)},  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )
        rejection = check_order(order, ctx)
        return (None, "") if rejection is None else (rejection.reason, rejection.message)


@pytest.fixture(params=["account", "strategy"])
def scoped(request: pytest.FixtureRequest) -> Scoped:
    return Scoped(request.param)


def test_an_order_without_limits_passes():
    assert check_order(make_order("BUY", 1000), RiskContext(ES, Exposure(), NOW)) is None


# Trading states.


@pytest.mark.parametrize("side", ["BUY", "SELL"])
def test_halted_refuses_every_order_even_a_reducing_one(side):
    exposure = Exposure()
    exposure.restore_position((ACCOUNT, None), "ESZ6", Decimal(3))
    ctx = RiskContext(ES, exposure, NOW, state=TradingState.HALTED)

    rejection = check_order(make_order(side, 1), ctx)

    assert rejection is not None
    assert rejection.reason is R.TRADING_HALTED
    assert str(ACCOUNT) in rejection.message


@pytest.mark.parametrize(
    ("net", "side", "quantity", "passes"),
    [
        (5, "SELL", 5, True),
        (5, "SELL", 2, True),
        (-3, "BUY", 3, True),
        (5, "SELL", 6, False),  # would flip to short
        (5, "BUY", 1, False),
        (0, "BUY", 1, False),
        (0, "SELL", 1, False),
        (-3, "SELL", 1, False),
    ],
)
def test_reducing_passes_only_orders_that_reduce_the_position(scoped, net, side, quantity, passes):
    scoped.hold(net)
    ctx = RiskContext(ES, scoped.exposure, NOW, state=TradingState.REDUCING)

    rejection = check_order(scoped.order(side, quantity), ctx)

    assert (rejection is None) is passes
    if not passes:
        assert rejection is not None
        assert rejection.reason is R.REDUCING_ONLY
        assert f"{side} {quantity} ESZ6" in rejection.message


def test_under_reducing_a_strategy_order_must_reduce_the_strategy_position_too():
    exposure = Exposure()
    exposure.restore_position((ACCOUNT, None), "ESZ6", Decimal(5))  # held by another strategy
    ctx = RiskContext(ES, exposure, NOW, state=TradingState.REDUCING)

    rejection = check_order(make_order("SELL", 2, strategy=STRATEGY), ctx)

    assert rejection is not None
    assert rejection.reason is R.REDUCING_ONLY
    assert check_order(make_order("SELL", 2), ctx) is None


@pytest.mark.parametrize(
    ("net", "side", "quantity", "passes"),
    [
        (4, "SELL", 4, True),
        (-4, "BUY", 1, True),
        (0, "SELL", 1, False),
        (4, "BUY", 1, False),
        (4, "SELL", 5, False),
    ],
)
def test_reduce_only_must_shrink_the_account_position(net, side, quantity, passes):
    exposure = Exposure()
    exposure.restore_position((ACCOUNT, None), "ESZ6", Decimal(net))

    rejection = check_order(
        make_order(side, quantity, reduce_only=True), RiskContext(ES, exposure, NOW)
    )

    assert (rejection is None) is passes
    if not passes:
        assert rejection is not None
        assert rejection.reason is R.REDUCE_ONLY_WOULD_INCREASE
        assert f"net position {net}" in rejection.message


# Instruments and sessions.


@pytest.mark.parametrize("allowed", [{"ES"}, {"ESZ6"}, {"NQ", "ES"}])
def test_an_allowed_root_or_symbol_passes(scoped, allowed):
    limits = RiskLimits(allowed_symbols=frozenset(allowed))

    assert scoped.check(scoped.order(), limits) == (None, "")


def test_an_instrument_not_allowed_is_refused(scoped):
    limits = RiskLimits(allowed_symbols=frozenset({"NQ", "CLF7"}))

    reason, message = scoped.check(scoped.order(), limits)

    assert reason is R.INSTRUMENT_NOT_ALLOWED
    assert "ESZ6 (root ES)" in message
    assert "CLF7, NQ" in message
    assert scoped.label in message


@pytest.mark.parametrize(
    "when",
    [datetime(2026, 3, 4, 16, 30), datetime(2026, 3, 7, 12, 0)],  # daily break, Saturday
)
def test_outside_the_session_is_refused_when_trading_in_session_only(scoped, when):
    closed = datetime_to_ns(when.replace(tzinfo=CHICAGO))

    reason, message = scoped.check(scoped.order(), RiskLimits(session_only=True), now_ns=closed)

    assert reason is R.OUTSIDE_SESSION
    assert "CME Globex" in message
    assert scoped.label in message
    assert scoped.check(scoped.order(), RiskLimits(), now_ns=closed) == (None, "")
    assert scoped.check(scoped.order(), RiskLimits(session_only=True)) == (None, "")


def test_an_instrument_without_a_session_is_never_outside_it(scoped):
    coin = Instrument(
        "BTC-USD", "BTC-USD", AssetClass.CRYPTO, "X", "USD", Decimal("0.01"), Decimal(1)
    )
    saturday = datetime_to_ns(datetime(2026, 3, 7, 12, tzinfo=CHICAGO))
    order = scoped.order(symbol="BTC-USD")

    result = scoped.check(order, RiskLimits(session_only=True), now_ns=saturday, instrument=coin)

    assert result == (None, "")


# Order size, rate and price.


def test_max_order_quantity(scoped):
    limits = RiskLimits(max_order_quantity=Decimal(10))

    reason, message = scoped.check(scoped.order("SELL", 12), limits)

    assert reason is R.MAX_ORDER_QTY
    assert message == f"order quantity 12 exceeds max_order_quantity 10 for {scoped.label}"
    assert scoped.check(scoped.order("SELL", 10), limits) == (None, "")


def test_orders_per_minute_in_a_sliding_window(scoped):
    limits = RiskLimits(max_orders_per_minute=3)
    for seconds in (0, 20, 40):
        for scope in scoped.scopes:
            scoped.exposure.on_order_sent(scope, NOW + seconds * SECOND)
    at_50s, at_60s = NOW + 50 * SECOND, NOW + 60 * SECOND

    reason, message = scoped.check(scoped.order(), limits, now_ns=at_50s)

    assert reason is R.RATE_LIMIT
    assert "3 orders in the last 60 s" in message
    assert "max_orders_per_minute 3" in message
    assert scoped.label in message
    assert scoped.check(scoped.order(), limits, now_ns=at_60s) == (None, "")


def test_a_strategy_rate_counts_only_that_strategy_orders():
    exposure = Exposure()
    for seconds in range(5):
        exposure.on_order_sent((ACCOUNT, None), NOW + seconds * SECOND)
    limits = RiskLimits(max_orders_per_minute=5)
    order = make_order(strategy=STRATEGY)

    assert check_order(order, RiskContext(ES, exposure, NOW, strategy_limits=limits)) is None
    rejection = check_order(order, RiskContext(ES, exposure, NOW, account_limits=limits))
    assert rejection is not None
    assert rejection.reason is R.RATE_LIMIT


@pytest.mark.parametrize(
    ("order_type", "limit", "stop", "off"),
    [
        (OrderType.LIMIT, "5300", None, "6.00%"),
        (OrderType.LIMIT, "4700", None, "6.00%"),
        (OrderType.STOP, None, "5262.50", "5.25%"),
        (OrderType.STOP_LIMIT, "5010", "4740", "5.20%"),
    ],
)
def test_prices_outside_the_band_around_the_last_trade(scoped, order_type, limit, stop, off):
    order = scoped.order(order_type=order_type, limit=limit, stop=stop)
    limits = RiskLimits(price_band_pct=Decimal(5))

    reason, message = scoped.check(order, limits, last_price=Decimal(5000))

    assert reason is R.PRICE_BAND
    assert f"is {off} from the last trade 5000" in message
    assert "price_band_pct 5%" in message
    assert scoped.label in message


@pytest.mark.parametrize(
    ("order_type", "limit", "stop", "last"),
    [
        (OrderType.LIMIT, "5250", None, "5000"),  # exactly on the band
        (OrderType.STOP, None, "4800", "5000"),
        (OrderType.MARKET, None, None, "5000"),
        (OrderType.LIMIT, "9000", None, None),  # no last trade: nothing to compare with
    ],
)
def test_prices_inside_the_band_or_without_a_last_trade_pass(scoped, order_type, limit, stop, last):
    order = scoped.order(order_type=order_type, limit=limit, stop=stop)
    last_price = Decimal(last) if last is not None else None

    result = scoped.check(order, RiskLimits(price_band_pct=Decimal(5)), last_price=last_price)

    assert result == (None, "")
