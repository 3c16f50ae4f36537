import itertools
import uuid
from collections import defaultdict
from decimal import Decimal
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messages.schemas.common import OrderSide, OrderType, TimeInForce
from shared.trading.exposure import WINDOW_NS, Exposure, scopes_of
from shared.trading.orders import Order, OrderStatus

ACCOUNT = uuid.UUID(int=1)
USER = uuid.UUID(int=2)
STRATEGY = uuid.UUID(int=3)
OTHER_STRATEGY = uuid.UUID(int=4)
ACCOUNT_SCOPE = (ACCOUNT, None)
STRATEGY_SCOPE = (ACCOUNT, STRATEGY)
_ids = itertools.count(1000)


def make_order(
    side: str = "BUY",
    quantity: int | str = 1,
    *,
    symbol: str = "ESZ6",
    strategy: uuid.UUID | None = None,
    reduce_only: bool = False,
) -> Order:
    return Order(
        order_id=uuid.UUID(int=next(_ids)),
        account_id=ACCOUNT,
        user_id=USER,
        client_order_id=f"c{next(_ids)}",
        symbol=symbol,
        side=OrderSide(side),
        order_type=OrderType.MARKET,
        quantity=Decimal(quantity),
        time_in_force=TimeInForce.GTC,
        created_ns=0,
        reduce_only=reduce_only,
        strategy_id=strategy,
        status=OrderStatus.ACCEPTED,
    )


def book(exposure: Exposure, scope=ACCOUNT_SCOPE, symbol="ESZ6"):
    found = exposure.find(scope)
    assert found is not None
    return found.symbols[symbol]


def test_accepted_order_works_then_fills_into_the_position():
    exposure = Exposure()
    order = make_order("SELL", 5)

    exposure.on_accept(order)
    assert book(exposure).sell == 5
    exposure.on_fill(order, Decimal(2))

    assert (book(exposure).net, book(exposure).sell) == (-2, 3)
    scope = exposure.scope(ACCOUNT_SCOPE)
    assert (scope.abs_net, scope.working, scope.open_contracts) == (D(2), D(3), D(5))


def test_done_drops_the_leaves_once():
    exposure = Exposure()
    order = make_order("BUY", 4)
    exposure.on_accept(order)
    exposure.on_fill(order, Decimal(1))

    exposure.on_done(order)
    exposure.on_done(order)

    assert (book(exposure).net, book(exposure).buy) == (1, 0)
    assert exposure.scope(ACCOUNT_SCOPE).working == 0


def test_a_strategy_order_counts_in_the_account_and_the_strategy():
    exposure = Exposure()
    order = make_order("BUY", 3, strategy=STRATEGY)
    exposure.on_accept(order)
    exposure.on_fill(order, Decimal(3))

    assert exposure.net(ACCOUNT_SCOPE, "ESZ6") == 3
    assert exposure.net(STRATEGY_SCOPE, "ESZ6") == 3
    assert exposure.net((ACCOUNT, OTHER_STRATEGY), "ESZ6") == 0
    assert scopes_of(ACCOUNT, STRATEGY) == (ACCOUNT_SCOPE, STRATEGY_SCOPE)
    assert scopes_of(ACCOUNT, None) == (ACCOUNT_SCOPE,)


def test_reduce_only_orders_move_the_position_but_never_count_as_working():
    exposure = Exposure()
    exposure.restore_position(ACCOUNT_SCOPE, "ESZ6", Decimal(5))
    order = make_order("SELL", 2, reduce_only=True)

    exposure.on_accept(order)
    assert exposure.scope(ACCOUNT_SCOPE).working == 0
    exposure.on_fill(order, Decimal(2))

    assert exposure.net(ACCOUNT_SCOPE, "ESZ6") == 3
    assert exposure.scope(ACCOUNT_SCOPE).abs_net == 3


def test_modify_moves_working_to_the_new_leaves():
    exposure = Exposure()
    order = make_order("BUY", 5)
    exposure.on_accept(order)
    exposure.on_fill(order, Decimal(1))

    order.filled_quantity = Decimal(1)
    order.quantity = Decimal(3)
    exposure.on_modify(order)

    assert book(exposure).buy == 2
    assert exposure.scope(ACCOUNT_SCOPE).working == 2


def test_restore_counts_the_leaves_of_working_orders_only():
    exposure = Exposure()
    working = make_order("BUY", 5)
    working.filled_quantity = Decimal(2)
    working.status = OrderStatus.PARTIALLY_FILLED
    filled = make_order("SELL", 2)
    filled.status = OrderStatus.FILLED

    exposure.restore_orders([working, filled])
    exposure.restore_position(ACCOUNT_SCOPE, "ESZ6", Decimal(-4))
    exposure.restore_position(ACCOUNT_SCOPE, "NQZ6", Decimal(3))

    assert (book(exposure).buy, book(exposure).sell) == (3, 0)
    assert exposure.scope(ACCOUNT_SCOPE).abs_net == 7


def test_rate_window_slides_after_sixty_seconds():
    exposure = Exposure()
    for ts in (0, 10, 20):
        exposure.on_order_sent(ACCOUNT_SCOPE, ts * 1_000_000_000)

    assert exposure.orders_in_window(ACCOUNT_SCOPE, 59 * 1_000_000_000) == 3
    assert exposure.orders_in_window(ACCOUNT_SCOPE, WINDOW_NS) == 2
    assert exposure.orders_in_window(ACCOUNT_SCOPE, WINDOW_NS + 20 * 1_000_000_000) == 0
    assert exposure.orders_in_window(STRATEGY_SCOPE, 0) == 0


OPS = st.lists(
    st.tuples(
        st.sampled_from(["accept", "fill", "cancel", "modify"]),
        st.integers(0, 7),  # which order
        st.integers(1, 5),  # a quantity
    ),
    max_size=60,
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(ops=OPS)
def test_bookkeeping_keeps_working_non_negative_and_net_equal_to_signed_fills(ops):
    exposure = Exposure()
    orders = [
        make_order(
            "BUY" if i % 2 else "SELL",
            5,
            symbol="ESZ6" if i < 4 else "NQZ6",
            strategy=STRATEGY if i % 3 == 0 else None,
            reduce_only=i == 7,
        )
        for i in range(8)
    ]
    fills: dict[tuple[object, str], Decimal] = defaultdict(Decimal)
    live: set[int] = set()
    for op, i, quantity in ops:
        order = orders[i]
        if op == "accept" and order.status is OrderStatus.ACCEPTED and i not in live:
            exposure.on_accept(order)
            live.add(i)
        elif op == "fill" and i in live and order.leaves_quantity:
            done = min(Decimal(quantity), order.leaves_quantity)
            order.filled_quantity += done
            exposure.on_fill(order, done)
            for scope in scopes_of(ACCOUNT, order.strategy_id):
                fills[scope, order.symbol] += done * order.sign
            if not order.leaves_quantity:
                order.status = OrderStatus.FILLED
                live.discard(i)
        elif op == "cancel" and i in live:
            exposure.on_done(order)
            order.status = OrderStatus.CANCELED
            live.discard(i)
        elif op == "modify" and i in live:
            order.quantity = order.filled_quantity + quantity
            exposure.on_modify(order)

    for scope in (ACCOUNT_SCOPE, STRATEGY_SCOPE):
        found = exposure.find(scope)
        if found is None:
            continue
        for symbol, held in found.symbols.items():
            assert held.net == fills[scope, symbol]
            assert held.buy >= 0
            assert held.sell >= 0
            counted = [
                o
                for j, o in enumerate(orders)
                if j in live
                and not o.reduce_only
                and o.symbol == symbol
                and scope in scopes_of(ACCOUNT, o.strategy_id)
            ]
            assert held.buy == sum(o.leaves_quantity for o in counted if o.sign > 0)
            assert held.sell == sum(o.leaves_quantity for o in counted if o.sign < 0)
        assert found.abs_net == sum(abs(s.net) for s in found.symbols.values())
        assert found.working == sum(s.buy + s.sell for s in found.symbols.values())
