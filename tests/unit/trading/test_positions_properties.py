"""Property tests: the position book against a brute-force recomputation from the fill log.

The reference below shares no code with the book. It expands every fill into single
contracts and walks them one at a time through a queue of open contracts per account and
instrument: a contract on the queue's side joins the back, one against it closes the front
contract. A position is one stretch of the queue from empty to empty.
"""

import uuid
from collections import deque
from dataclasses import dataclass, field, fields
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messages.schemas.common import OrderSide
from shared.messages.schemas.positions import PositionChanged, PositionClosed, PositionOpened
from shared.trading.fills import Fill
from shared.trading.ids import derive_id
from shared.trading.positions import Lot, Position, PositionBook

seeded = settings(derandomize=True, max_examples=250, deadline=None)

ACCOUNTS = [uuid.UUID(int=0xA0 + i) for i in range(2)]
USER = uuid.UUID(int=0xB0)
POINT_VALUES = {"ESM6": Decimal(50), "MNQM6": Decimal(2)}
SYMBOLS = sorted(POINT_VALUES)
TICK = Decimal("0.25")
BASE = Decimal(5000)
SECOND = 1_000_000_000

fill_steps = st.tuples(
    st.just("fill"),
    st.integers(0, len(ACCOUNTS) - 1),
    st.sampled_from(SYMBOLS),
    st.sampled_from([OrderSide.BUY, OrderSide.SELL]),
    st.integers(1, 5),
    st.integers(-40, 40),
    st.integers(0, 500),
)
mark_steps = st.tuples(st.just("mark"), st.sampled_from(SYMBOLS), st.integers(-60, 60))
steps = st.lists(st.one_of(fill_steps, fill_steps, fill_steps, mark_steps), max_size=80)


def make_fills(script):
    """Fills (and marks, as (symbol, price)) from drawn steps, with ids and times in order."""
    out = []
    for n, step in enumerate(script):
        if step[0] == "mark":
            out.append((step[1], BASE + step[2] * TICK))
            continue
        _, account, symbol, side, qty, ticks, cents = step
        fill_id = uuid.UUID(int=n + 1)
        out.append(
            Fill(
                fill_id=fill_id,
                order_id=fill_id,
                account_id=ACCOUNTS[account],
                user_id=USER,
                symbol=symbol,
                side=side,
                price=BASE + ticks * TICK,
                quantity=Decimal(qty),
                commission=Decimal(cents).scaleb(-2),
                currency="USD",
                ts_ns=(n + 1) * SECOND,
                venue_trade_id=f"T{n}",
            )
        )
    return out


@dataclass
class RefPosition:
    position_id: uuid.UUID
    sign: int
    opened_ns: int
    units: deque = field(default_factory=deque)  # (fill_id, ts_ns, price) per open contract
    entries: list = field(default_factory=list)
    exits: list = field(default_factory=list)
    gross: Decimal = Decimal(0)
    commissions: Decimal = Decimal(0)
    biggest: int = 0
    closed_ns: int | None = None
    worst: Decimal = Decimal(0)
    best: Decimal = Decimal(0)

    def see(self, price, point_value):
        value = sum((price - p) * self.sign * point_value for _, _, p in self.units)
        self.worst = min(self.worst, value)
        self.best = max(self.best, value)

    def lots(self):
        """Open contracts grouped into runs of the same fill: (fill_id, ts, price, count)."""
        runs = []
        for fill_id, ts, price in self.units:
            if runs and runs[-1][0] == fill_id:
                runs[-1][3] += 1
            else:
                runs.append([fill_id, ts, price, 1])
        return [tuple(run) for run in runs]


def recompute(log):
    """Brute force: (closed positions in closing order, open positions by (account, symbol))."""
    open_, closed = {}, []
    for item in log:
        if isinstance(item, tuple):
            symbol, price = item
            for (_, sym), pos in open_.items():
                if sym == symbol:
                    pos.see(price, POINT_VALUES[symbol])
        else:
            walk(item, open_, closed)
    return closed, open_


def walk(fill, open_, closed):
    """One fill, contract by contract; its commission shared by the positions it touched."""
    key, pv = (fill.account_id, fill.symbol), POINT_VALUES[fill.symbol]
    sign = 1 if fill.side is OrderSide.BUY else -1
    if key in open_:
        open_[key].see(fill.price, pv)
    shares = []  # [position, contracts of this fill it took]
    for _ in range(int(fill.quantity)):
        pos = open_.get(key)
        if pos is None:
            pid = derive_id("position", fill.account_id, fill.symbol, fill.fill_id)
            pos = open_[key] = RefPosition(pid, sign, fill.ts_ns)
        if pos.sign == sign:
            pos.units.append((fill.fill_id, fill.ts_ns, fill.price))
            pos.entries.append(fill.price)
            pos.biggest = max(pos.biggest, len(pos.units))
        else:
            _, _, entry = pos.units.popleft()
            pos.gross += (fill.price - entry) * pos.sign * pv
            pos.exits.append(fill.price)
            if not pos.units:
                pos.closed_ns = fill.ts_ns
                closed.append(open_.pop(key))
        if shares and shares[-1][0] is pos:
            shares[-1][1] += 1
        else:
            shares.append([pos, 1])
    if len(shares) == 1:
        shares[0][0].commissions += fill.commission
    else:  # a crossing fill: the closing part's share rounded to cents, the rest opens
        (first, n_first), (second, _) = shares
        part = (fill.commission * n_first / fill.quantity).quantize(Decimal("0.01"))
        first.commissions += part
        second.commissions += fill.commission - part
    if key in open_:
        open_[key].see(fill.price, pv)


def run_book(log):
    """The book over the log: (closed positions in closing order, book, every event)."""
    book, closed, events = PositionBook(), [], []
    for item in log:
        if isinstance(item, tuple):
            book.mark(*item)
            continue
        emitted, touched = book.apply(item, POINT_VALUES[item.symbol])
        events.extend(emitted)
        closed.extend(pos for pos in touched if not pos.is_open)
    return closed, book, events


def assert_same(pos: Position, ref: RefPosition):
    assert pos.position_id == ref.position_id
    assert pos.sign == ref.sign
    assert pos.opened_ns == ref.opened_ns
    assert pos.closed_ns == ref.closed_ns
    assert pos.gross_pnl == ref.gross
    assert pos.commissions == ref.commissions
    assert pos.realized_pnl == ref.gross - ref.commissions
    assert pos.max_quantity == ref.biggest
    assert pos.avg_entry_price == sum(ref.entries) / len(ref.entries)
    assert pos.closed_quantity == len(ref.exits)
    if ref.exits:
        assert pos.avg_exit_price == sum(ref.exits) / len(ref.exits)
    else:
        assert pos.avg_exit_price is None
    assert (pos.mae, pos.mfe) == (ref.worst, ref.best)
    lots = [(lot.fill_id, lot.ts_ns, lot.price, lot.quantity) for lot in pos.lots]
    assert lots == ref.lots()
    assert pos.quantity == len(ref.units)


@seeded
@given(steps)
def test_positions_lots_and_realized_pnl_equal_the_brute_force_recomputation(script):
    log = make_fills(script)
    closed, book, _ = run_book(log)
    ref_closed, ref_open = recompute(log)

    assert len(closed) == len(ref_closed)
    for pos, ref in zip(closed, ref_closed, strict=True):
        assert_same(pos, ref)
    assert {(p.account_id, p.symbol) for p in book.open_positions()} == set(ref_open)
    for (account, symbol), ref in ref_open.items():
        pos = book.get(account, symbol)
        assert pos is not None
        assert pos.is_open
        assert_same(pos, ref)
        assert book.net_quantity(account, symbol) == ref.sign * len(ref.units)
    total = sum(p.realized_pnl for p in [*closed, *book.open_positions()])
    ref_total = sum(r.gross - r.commissions for r in [*ref_closed, *ref_open.values()])
    assert total == ref_total


@seeded
@given(steps)
def test_a_position_never_flips_sign_without_passing_zero(script):
    book, current = PositionBook(), {}  # (account, symbol) -> (position id, side) while open
    for item in make_fills(script):
        if isinstance(item, tuple):
            continue
        key = (item.account_id, item.symbol)
        before = book.net_quantity(*key)
        signed = item.quantity if item.side is OrderSide.BUY else -item.quantity
        events, _ = book.apply(item, POINT_VALUES[item.symbol])
        after = book.net_quantity(*key)
        assert after == before + signed
        if before * after < 0:
            kinds = [PositionClosed, PositionOpened]
        elif before == 0:
            kinds = [PositionOpened]
        else:
            kinds = [PositionClosed if after == 0 else PositionChanged]
        assert [e.kind for e in events] == kinds
        for event in events:
            fields = event.fields
            assert fields["fill_id"] == item.fill_id
            if event.kind is PositionOpened:
                assert key not in current
                current[key] = (fields["position_id"], fields["side"])
            else:
                assert current[key] == (fields["position_id"], fields["side"])
                if event.kind is PositionClosed:
                    del current[key]
        pos = book.get(*key)
        assert (pos is None) == (after == 0) == (key not in current)
        if pos is not None:
            assert pos.signed_quantity == after
            assert (pos.position_id, pos.side) == current[key]


@seeded
@given(steps, st.lists(st.integers(-80, 80), min_size=len(SYMBOLS), max_size=len(SYMBOLS)))
def test_cash_plus_open_lots_at_market_balances_realized_and_unrealized_pnl(script, marks):
    """The money identity, per account, at any set of market prices.

    Treat each contract as if its full value changed hands: a buy pays, a sell receives
    ``price * quantity * point value``, and every commission is paid out of cash. Then

        starting cash + sum of cash flows - commissions + value of the open lots at market
          == starting cash + realized P&L of every position (closed and open, each already
             net of its commissions) + unrealized P&L of the open positions at market,

    where the open lots' market value is ``+mark * qty * pv`` long and ``-mark * qty * pv``
    short. The left side is computed from the fill log alone, without lots or matching, so
    a booking that loses, invents or double-counts a dollar (or a commission) breaks it.
    Commissions are also checked to be conserved exactly.
    """
    starting_cash = Decimal("100000.00")
    prices = {s: BASE + m * TICK for s, m in zip(SYMBOLS, marks, strict=True)}
    log = make_fills(script)
    closed, book, _ = run_book(log)
    for account in ACCOUNTS:
        fills = [f for f in log if not isinstance(f, tuple) and f.account_id == account]
        cash = starting_cash
        held = dict.fromkeys(SYMBOLS, Decimal(0))
        for f in fills:
            pv = POINT_VALUES[f.symbol]
            cash += (
                -1 if f.side is OrderSide.BUY else 1
            ) * f.price * f.quantity * pv - f.commission
            held[f.symbol] += f.quantity if f.side is OrderSide.BUY else -f.quantity
        market_value = sum(held[s] * prices[s] * POINT_VALUES[s] for s in SYMBOLS)

        positions = [p for p in closed if p.account_id == account]
        positions += book.open_positions(account)
        realized = sum((p.realized_pnl for p in positions), Decimal(0))
        unrealized = book.unrealized(account, prices)
        assert cash + market_value == starting_cash + realized + unrealized
        assert sum(p.commissions for p in positions) == sum(f.commission for f in fills)


@seeded
@given(steps)
def test_every_event_validates_as_its_message_payload(script):
    _, _, events = run_book(make_fills(script))
    for event in events:
        payload = event.payload()
        assert type(payload) is event.kind
        assert payload.model_dump() == event.fields


def reload(pos: Position) -> Position:
    """The position as the database gives it back: its stored fields and fresh lots."""
    stored = {f.name: getattr(pos, f.name) for f in fields(pos) if f.init}
    stored["lots"] = deque(Lot(x.fill_id, x.ts_ns, x.price, x.quantity) for x in pos.lots)
    return Position(**stored)


def snapshot(pos: Position):
    return {f.name: getattr(pos, f.name) for f in fields(pos) if f.name != "lots"} | {
        "lots": [(x.fill_id, x.ts_ns, x.price, x.quantity) for x in pos.lots]
    }


@seeded
@given(steps)
def test_a_book_restored_midway_then_fed_the_rest_reaches_the_same_positions(script):
    log = make_fills(script)
    half = len(log) // 2
    _, first, _ = run_book(log[:half])
    restored = PositionBook()
    for pos in first.open_positions():
        restored.restore(reload(pos))
    closed = []
    for item in log[half:]:
        if isinstance(item, tuple):
            restored.mark(*item)
        else:
            _, touched = restored.apply(item, POINT_VALUES[item.symbol])
            closed.extend(snapshot(p) for p in touched if not p.is_open)
    whole_closed, whole, _ = run_book(log)
    assert closed == [snapshot(p) for p in whole_closed[len(whole_closed) - len(closed) :]]
    assert sorted(map(snapshot, restored.open_positions()), key=str) == sorted(
        map(snapshot, whole.open_positions()), key=str
    )
