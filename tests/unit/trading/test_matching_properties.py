"""Properties of the fill rules over random orders and market paths."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messages.schemas.common import OrderSide, OrderType
from shared.trading.matching import FillConfig, LimitFill, MarketPoint, Match, match
from shared.trading.orders import Order
from tests.unit.trading.test_matching import order_of

D = Decimal
seeded = settings(derandomize=True, max_examples=300)  # the same examples on every run

ticks = st.sampled_from([D("0.25"), D("0.01"), D("1"), D("0.1")])
steps = st.integers(min_value=-40, max_value=40)  # a price level: 100 + steps * tick
points = st.lists(
    st.tuples(
        st.integers(min_value=-60, max_value=60),  # hundredths of a tick off the grid when odd
        st.integers(min_value=0, max_value=4),  # traded size
        st.booleans(),  # continuous
    ),
    min_size=1,
    max_size=12,
)
configs = st.builds(
    FillConfig,
    slippage_ticks=st.integers(min_value=0, max_value=3),
    limit_fill=st.sampled_from(list(LimitFill)),
    partial_fills=st.booleans(),
)


def on_grid(price: Decimal, tick: Decimal) -> bool:
    return price % tick == 0


orders = st.builds(
    lambda kind, side, limit, stop: (kind, side, limit, stop),
    st.sampled_from(list(OrderType)),
    st.sampled_from(list(OrderSide)),
    steps,
    steps,
)


def worked(
    case: tuple[OrderType, OrderSide, int, int],
    path: list[tuple[int, int, bool]],
    tick: Decimal,
    config: FillConfig,
) -> tuple[Order, list[tuple[MarketPoint, bool, Match]]]:
    """Run the order over the path as the exchange does; each fill with the point it came from
    and whether the order was already triggered before it."""
    kind, side, limit_steps, stop_steps = case
    order = order_of(kind, side, quantity="5", fresh=True)
    if kind in {OrderType.LIMIT, OrderType.STOP_LIMIT}:
        order.limit_price = D(100) + limit_steps * tick
    if kind in {OrderType.STOP, OrderType.STOP_LIMIT}:
        order.stop_price = D(100) + stop_steps * tick
    fills: list[tuple[MarketPoint, bool, Match]] = []
    prev: Decimal | None = None
    for i, (offset, size, continuous) in enumerate(path):
        price = D(100) + offset * tick / 2 + (offset % 2) * tick / 7  # odd offsets: off the grid
        point = MarketPoint(price, D(size), f"t-{i}", i, continuous and i > 0)
        result = match(order, point, prev, tick, config)
        prev, order.fresh = price, False
        if result is None:
            continue
        if result.price is not None:
            fills.append((point, order.triggered, result))
            assert 0 < result.quantity <= order.leaves_quantity
            order.record_fill(point.trade_id, result.price, result.quantity, i)
        order.triggered = order.triggered or result.triggered
    return order, fills


@seeded
@given(case=orders, path=points, tick=ticks, config=configs)
def test_fills_stay_on_the_grid_and_never_overfill(
    case: tuple[OrderType, OrderSide, int, int],
    path: list[tuple[int, int, bool]],
    tick: Decimal,
    config: FillConfig,
) -> None:
    order, fills = worked(case, path, tick, config)
    assert all(m.price is not None and m.price % tick == 0 for _, _, m in fills)
    assert order.filled_quantity == sum((m.quantity for _, _, m in fills), D(0)) <= order.quantity
    if config.partial_fills:
        assert all(m.quantity <= p.size for p, _, m in fills)


@seeded
@given(case=orders, path=points, tick=ticks, config=configs)
def test_fill_prices_respect_the_order_prices_and_the_market(
    case: tuple[OrderType, OrderSide, int, int],
    path: list[tuple[int, int, bool]],
    tick: Decimal,
    config: FillConfig,
) -> None:
    order, fills = worked(case, path, tick, config)
    kind, buy = order.order_type, order.side is OrderSide.BUY
    limit, stop = order.limit_price, order.stop_price
    for point, was_triggered, m in fills:
        fill, price = m.price, point.price
        assert fill is not None
        if kind is OrderType.MARKET or (kind is OrderType.STOP and was_triggered):
            assert (fill >= price) if buy else (fill <= price)  # never better than the market
        elif kind is OrderType.STOP:
            assert stop is not None
            assert (fill >= stop) if buy else (fill <= stop)  # never better than its stop
        elif kind is OrderType.LIMIT or was_triggered:
            assert limit is not None  # between the market and the limit
            assert (price <= fill <= limit) if buy else (limit <= fill <= price)
        else:
            assert limit is not None  # a stop-limit filled as it triggers
            assert (fill <= limit) if buy else (fill >= limit)


@seeded
@given(
    side=st.sampled_from(list(OrderSide)),
    limit_steps=steps,
    offset=st.integers(min_value=-40, max_value=40),
    tick=ticks,
)
def test_a_resting_limit_never_fills_better_than_its_limit(
    side: OrderSide, limit_steps: int, offset: int, tick: Decimal
) -> None:
    limit = D(100) + limit_steps * tick
    order: Order = order_of(OrderType.LIMIT, side, limit=str(limit))
    price = D(100) + offset * tick
    result = match(order, MarketPoint(price, D(1), "t-1", 0), None, tick, FillConfig())
    marketable = price < limit if side is OrderSide.BUY else price > limit
    assert result == ((False, limit, D(3)) if marketable else None)
