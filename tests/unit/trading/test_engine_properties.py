"""Engine properties: random commands and market data never break the ledger's invariants.

After every step: no exception, every event validates, each order's filled quantity is the
sum of its fills, working orders have something left, the positions (and their realized
P&L) equal a first-in-first-out recomputation from the fill log, pre-trade risk's exposure
agrees with the positions and the working orders, and ``take_changes`` holds every order,
fill and position the step's events name, each once, never two orders under one id or one
client order id. Finished orders are dropped from memory after each step in half the
examples, as the order processor does after each batch.
"""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.messages.schemas.orders import ModifyOrder
from shared.messages.schemas.risk import TradingState
from shared.trading.fills import Fill
from shared.trading.matching import FillConfig
from shared.trading.orders import Order
from shared.trading.positions import Position
from shared.trading.risk_limits import RiskLimits
from shared.trading.state import EngineConfig
from tests.unit.trading.engine_support import (
    ACCOUNT,
    BUY,
    DAY,
    FOK,
    GTC,
    IOC,
    LIMIT,
    MARKET,
    OTHER_ACCOUNT,
    OTHER_USER,
    SELL,
    STOP,
    STOP_LIMIT,
    STRATEGY,
    USER,
    D,
    Harness,
    chicago_ns,
)

TICK = D("0.25")
BASE = D(5000)
NQ = "NQZ6"  # worked on bars only, ES on trades only
POINT_VALUE = {"ESZ6": D(50), NQ: D(20)}
ZERO = D(0)

offsets = st.integers(-16, 16)
quantities = st.integers(1, 4)
accounts = st.sampled_from(
    [(ACCOUNT, USER, None), (ACCOUNT, USER, STRATEGY), (OTHER_ACCOUNT, OTHER_USER, None)]
)
submits = st.tuples(
    st.just("submit"),
    st.sampled_from([BUY, SELL]),
    quantities,
    st.sampled_from([MARKET, LIMIT, STOP, STOP_LIMIT]),
    offsets,
    offsets,
    st.sampled_from([GTC, GTC, DAY, IOC, FOK]),
    st.sampled_from([False, False, False, True]),
    st.booleans(),
    accounts,
    st.sampled_from(["ESZ6", "ESZ6", NQ]),
)
trades = st.tuples(st.just("trade"), offsets, st.integers(0, 4), st.booleans())
targets = st.tuples(st.sampled_from(["cancel", "modify"]), st.integers(0, 63), st.booleans())
modifies = st.tuples(st.just("modify"), st.integers(0, 63), st.none() | quantities, offsets)
rare = st.one_of(
    st.tuples(st.just("bar"), offsets, st.integers(0, 8), st.integers(0, 8), offsets),
    st.tuples(st.just("sweep"), st.booleans(), st.sampled_from([ACCOUNT, OTHER_ACCOUNT, None])),
    st.tuples(st.just("halt"), st.sampled_from([*TradingState, TradingState.ACTIVE])),
    st.tuples(st.just("time"), st.integers(0, 30)),
)
_WEIGHTED = (submits, submits, submits, trades, trades, trades, trades, targets, modifies, rare)
operations = st.integers(0, len(_WEIGHTED) - 1).flatmap(_WEIGHTED.__getitem__)
"""One operation: mostly submits and trades, then cancels and modifies, rarely the rest."""
configs = st.builds(
    lambda partial, slip, loss: EngineConfig(
        fills=FillConfig(slippage_ticks=slip, partial_fills=partial),
        default_limits=RiskLimits(max_daily_loss=D(loss), flatten_on_daily_loss=True)
        if loss
        else None,
    ),
    st.booleans(),
    st.integers(0, 1),
    st.sampled_from([0, 0, 400]),
)


def price(offset: int, center: Decimal = BASE) -> Decimal:
    return center + offset * TICK


def center_of(symbol: str) -> Decimal:
    return BASE if symbol == "ESZ6" else D(18000)


def _submit(h: Harness, op: tuple[Any, ...]) -> None:
    _, side, qty, kind, off1, off2, tif, reduce_only, bracket, who, symbol = op
    account, user, strategy = who
    center = center_of(symbol)
    limit = price(off1, center) if kind in (LIMIT, STOP_LIMIT) else None
    stop = price(off2, center) if kind in (STOP, STOP_LIMIT) else None
    entry = limit if limit is not None else stop if stop is not None else center
    sign = 1 if side is BUY else -1
    tp = sl = None
    if bracket and not reduce_only:
        tp, sl = str(entry + sign * 8 * TICK), str(entry - sign * 8 * TICK)
    h.submit(
        side,
        qty,
        kind,
        limit=None if limit is None else str(limit),
        stop=None if stop is None else str(stop),
        tif=tif,
        reduce_only=reduce_only,
        take_profit=tp,
        stop_loss=sl,
        strategy=strategy,
        account=account,
        user=user,
        symbol=symbol,
    )


def _target(h: Harness, index: int, working: bool) -> Order | None:
    """An order by index: among the working ones (when asked and there are any), or all."""
    orders = list(h.st.book)
    if working and any(o.is_working for o in orders):
        orders = [o for o in orders if o.is_working]
    return orders[index % len(orders)] if orders else None


def _amend(h: Harness, op: tuple[Any, ...], trades: list[str]) -> None:
    if len(op) == 3:  # cancel or a price-only modify of an order, working or not
        order = _target(h, op[1], op[2])
        if order is not None and op[0] == "cancel":
            h.cancel(order.client_order_id, account=order.account_id, user=order.user_id)
        elif order is not None:
            _modify(h, order, None, 0)
        return
    order = _target(h, op[1], True)
    if order is not None:
        _modify(h, order, op[2], op[3])


def _trade(h: Harness, op: tuple[Any, ...], trades: list[str]) -> None:
    _, off, size, repeat = op
    trade_id = trades[-1] if repeat and trades else f"x{len(trades)}"
    h.trade(str(price(off)), size, trade_id=trade_id)
    trades.append(trade_id)


def _bar(h: Harness, op: tuple[Any, ...], trades: list[str]) -> None:
    _, off, up, down, close = op
    o = price(off, D(18000))
    high, low = o + up * TICK, o - down * TICK
    h.bar(str(o), str(high), str(low), str(_clamp(close, o, up, down)), 3, symbol=NQ)


def _sweep(h: Harness, op: tuple[Any, ...], trades: list[str]) -> None:
    _, flatten, account = op
    scope = {"account_id": account} if account is not None else {}
    (h.flatten_all if flatten else h.cancel_all)(**scope)


STEPS: dict[str, Any] = {
    "submit": lambda h, op, trades: _submit(h, op),
    "cancel": _amend,
    "modify": _amend,
    "trade": _trade,
    "bar": _bar,
    "sweep": _sweep,
    "halt": lambda h, op, trades: h.set_state(op[1]),
    "time": lambda h, op, trades: h.tick(h.now + op[1] * 3_600_000_000_000),
}


def _clamp(off: int, o: Decimal, up: int, down: int) -> Decimal:
    return min(max(price(off, D(18000)), o - down * TICK), o + up * TICK)


def _modify(h: Harness, order: Order, qty: int | None, off: int | None) -> None:
    center = center_of(order.symbol)
    new = None if off is None else price(off, center)
    cmd = ModifyOrder(
        account_id=order.account_id,
        user_id=order.user_id,
        order_id=order.order_id,
        quantity=None if qty is None else D(qty),
        limit_price=new if order.limit_price is not None else None,
        stop_price=new if order.limit_price is None else None,
    )
    h.command(cmd)


class Ledger:
    """What ``take_changes`` handed over so far, as the order processor would have saved it."""

    def __init__(self) -> None:
        self.orders: dict[uuid.UUID, Order] = {}
        self.clients: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        self.fills: list[Fill] = []
        self.positions: dict[uuid.UUID, Position] = {}

    def take(self, h: Harness, start: int) -> None:
        events = h.log[start:]
        changes = h.engine.take_changes()
        named_orders = {
            e.fields["order_id"]
            for e in events
            if e.fields.get("order_id") and e.fields.get("command", "SUBMIT") == "SUBMIT"
        }  # a refused cancel or modify changes nothing
        named_orders &= {o.order_id for o in h.st.book}
        assert named_orders <= set(changes.orders)
        for order_id, order in changes.orders.items():
            assert order.order_id == order_id
            # One order per id and per client order id, as the ledger's unique keys demand.
            assert self.orders.setdefault(order_id, order) is order
            key = (order.account_id, order.client_order_id)
            assert self.clients.setdefault(key, order_id) == order_id
        filled = [e.fields["fill_id"] for e in events if e.type == "OrderFilled"]
        assert [f.fill_id for f in changes.fills] == filled
        moved = {e.fields["position_id"] for e in events if e.type.startswith("Position")}
        assert set(changes.positions) == moved
        self.fills.extend(changes.fills)
        self.positions.update(changes.positions)


def check(h: Harness, ledger: Ledger) -> None:
    per_order: dict[uuid.UUID, list[Fill]] = defaultdict(list)
    for f in ledger.fills:
        per_order[f.order_id].append(f)
    assert len({f.fill_id for f in ledger.fills}) == len(ledger.fills)
    working: dict[tuple[uuid.UUID, str, int], Decimal] = defaultdict(Decimal)
    for order in ledger.orders.values():
        fills = per_order.get(order.order_id, [])
        assert order.filled_quantity == sum((f.quantity for f in fills), ZERO)
        assert order.notional_filled == sum((f.price * f.quantity for f in fills), ZERO)
        assert ZERO <= order.filled_quantity <= order.quantity
        assert order.status is not None
        if order.is_working:
            assert order.leaves_quantity > 0
            assert order in h.st.book.working(order.symbol)
            if not order.reduce_only:
                working[(order.account_id, order.symbol, order.sign)] += order.leaves_quantity
        else:
            assert order not in h.st.book.working(order.symbol)
    _check_positions(h, ledger)
    for account in (ACCOUNT, OTHER_ACCOUNT):
        scope = h.st.exposure.find((account, None))
        for symbol in POINT_VALUE:
            net = h.st.positions.net_quantity(account, symbol)
            assert h.st.exposure.net((account, None), symbol) == net
            book = scope.symbols.get(symbol) if scope is not None else None
            buy, sell = (book.buy, book.sell) if book is not None else (ZERO, ZERO)
            assert buy == working[(account, symbol, 1)]
            assert sell == working[(account, symbol, -1)]


def _check_positions(h: Harness, ledger: Ledger) -> None:
    by_key: dict[tuple[uuid.UUID, str], list[Fill]] = defaultdict(list)
    for f in ledger.fills:
        by_key[(f.account_id, f.symbol)].append(f)
    for (account, symbol), fills in by_key.items():
        lots: deque[list[Decimal]] = deque()  # [price, signed quantity]
        gross = ZERO
        for f in fills:
            left = f.signed_quantity
            while left and lots and (lots[0][1] > 0) != (left > 0):
                take = min(abs(left), abs(lots[0][1]))
                lot_sign = 1 if lots[0][1] > 0 else -1
                gross += (f.price - lots[0][0]) * take * lot_sign * POINT_VALUE[symbol]
                lots[0][1] -= lot_sign * take
                left += lot_sign * take
                if not lots[0][1]:
                    lots.popleft()
            if left:
                lots.append([f.price, left])
        net = sum((lot[1] for lot in lots), ZERO)
        assert h.st.positions.net_quantity(account, symbol) == net
        held = [
            p for p in ledger.positions.values() if (p.account_id, p.symbol) == (account, symbol)
        ]
        assert sum((p.gross_pnl for p in held), ZERO) == gross
        assert sum((p.commissions for p in held), ZERO) == sum((f.commission for f in fills), ZERO)
        assert sum(1 for p in held if p.is_open) == (1 if net else 0)
        position = h.position(account, symbol)
        if position is not None:
            assert [(lot.price, lot.quantity * position.sign) for lot in position.lots] == [
                (lot[0], lot[1]) for lot in lots
            ]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(configs, st.booleans(), st.lists(operations, min_size=20, max_size=100))
def test_random_commands_and_market_data_keep_the_ledger_consistent(
    config: EngineConfig, forget: bool, ops: list[tuple[Any, ...]]
) -> None:
    h = Harness(config, now=chicago_ns(2026, 3, 3, 9))
    ledger = Ledger()
    trades: list[str] = []
    for op in ops:
        start = len(h.log)
        STEPS[op[0]](h, op, trades)
        ledger.take(h, start)
        check(h, ledger)
        if forget:  # as the order processor does after each batch it committed
            h.st.book.forget_done()
