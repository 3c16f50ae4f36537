"""The position book, one behaviour at a time: ES at $50 a point unless said otherwise."""

import uuid
from collections import deque
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.messages.schemas.common import OrderSide, PositionSide
from shared.messages.schemas.positions import PositionChanged, PositionClosed, PositionOpened
from shared.trading.fills import Fill
from shared.trading.ids import derive_id
from shared.trading.positions import Lot, Position, PositionBook, split_commission

ACCOUNT = uuid.UUID(int=0xA1)
OTHER = uuid.UUID(int=0xA2)
USER = uuid.UUID(int=0xB1)
ES = D(50)
SECOND = 1_000_000_000
BUY, SELL = OrderSide.BUY, OrderSide.SELL


class Fills:
    """Makes fills with increasing ids and times, one second apart."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, side, qty, price, commission="0", *, account=ACCOUNT, symbol="ESM6"):
        self.n += 1
        fill_id = uuid.UUID(int=self.n)
        return Fill(
            fill_id=fill_id,
            order_id=fill_id,
            account_id=account,
            user_id=USER,
            symbol=symbol,
            side=side,
            price=D(price),
            quantity=D(qty),
            commission=D(commission),
            currency="USD",
            ts_ns=self.n * SECOND,
            venue_trade_id=f"T{self.n}",
        )


@pytest.fixture
def fill():
    return Fills()


@pytest.fixture
def book():
    return PositionBook()


def test_first_fill_opens_a_position_whose_realized_pnl_is_minus_the_commission(book, fill):
    first = fill(BUY, 2, "5000.25", "4.50")
    events, touched = book.apply(first, ES)
    (pos,) = touched
    assert [e.kind for e in events] == [PositionOpened]
    assert pos.position_id == derive_id("position", ACCOUNT, "ESM6", first.fill_id)
    assert (pos.side, pos.quantity, pos.max_quantity) == (PositionSide.LONG, 2, 2)
    assert (pos.gross_pnl, pos.commissions, pos.realized_pnl) == (0, D("4.50"), D("-4.50"))
    assert [(lot.fill_id, lot.price, lot.quantity) for lot in pos.lots] == [
        (first.fill_id, D("5000.25"), 2)
    ]
    payload = events[0].payload()
    assert payload.realized_pnl == D("-4.50")
    assert payload.quantity == 2
    assert book.get(ACCOUNT, "ESM6") is pos


def test_exits_close_the_oldest_lots_first(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(BUY, 2, "110"), ES)
    events, (pos,) = book.apply(fill(SELL, 2, "120"), ES)
    # FIFO: 1 @ 100 and 1 @ 110 close; LIFO would have closed both @ 110 for 1000.
    assert pos.gross_pnl == (20 + 10) * ES
    assert [(lot.price, lot.quantity) for lot in pos.lots] == [(D(110), 1)]
    assert events[0].kind is PositionChanged
    assert events[0].payload().closed_quantity == 2


def test_a_short_position_gains_when_the_price_falls(book, fill):
    book.apply(fill(SELL, 3, "5000", "3"), ES)
    events, (pos,) = book.apply(fill(BUY, 3, "4990.50", "3"), ES)
    assert pos.side is PositionSide.SHORT
    assert pos.gross_pnl == D("9.50") * 3 * ES
    assert pos.realized_pnl == D("9.50") * 3 * ES - 6
    assert events[0].kind is PositionClosed
    assert book.get(ACCOUNT, "ESM6") is None


def test_fill_crossing_zero_closes_the_position_and_opens_a_new_one(book, fill):
    opening = fill(BUY, 2, "100", "2.00")
    book.apply(opening, ES)
    crossing = fill(SELL, 5, "104", "5.00")
    events, (old, new) = book.apply(crossing, ES)

    assert [e.kind for e in events] == [PositionClosed, PositionOpened]
    assert [e.fields["side"] for e in events] == [PositionSide.LONG, PositionSide.SHORT]
    assert not old.is_open
    assert (old.closed_quantity, old.gross_pnl, old.closed_ns) == (2, 4 * 2 * ES, crossing.ts_ns)
    assert new.is_open
    assert new.position_id == derive_id("position", ACCOUNT, "ESM6", crossing.fill_id)
    assert new.position_id != old.position_id
    assert (new.side, new.quantity, new.opened_ns) == (PositionSide.SHORT, 3, crossing.ts_ns)
    assert [(lot.fill_id, lot.price, lot.quantity) for lot in new.lots] == [
        (crossing.fill_id, D(104), 3)
    ]
    assert (new.gross_pnl, new.avg_exit_price) == (0, None)
    assert book.get(ACCOUNT, "ESM6") is new
    assert book.net_quantity(ACCOUNT, "ESM6") == -3
    for event in events:
        event.payload()


def test_crossing_fill_commission_is_split_pro_rata_and_sums_exactly(book, fill):
    book.apply(fill(BUY, 1, "100", "1.00"), ES)
    events, (old, new) = book.apply(fill(SELL, 3, "100", "1.00"), ES)
    # A third of 1.00 to the closing contract, rounded to cents; the rest to the new position.
    assert old.commissions == D("1.00") + D("0.33")
    assert new.commissions == D("0.67")
    assert events[1].fields["realized_pnl"] == D("-0.67")


@settings(derandomize=True)
@given(
    st.integers(0, 100_000).map(lambda c: D(c).scaleb(-2)),
    st.integers(1, 50),
    st.integers(1, 50),
)
def test_split_commission_is_the_pro_rata_share_to_the_cent_and_leaves_an_exact_rest(
    commission, part, rest
):
    whole = D(part + rest)
    share = split_commission(commission, D(part), whole)
    assert abs(share - commission * part / whole) <= D("0.005")
    assert share.as_tuple().exponent == -2
    assert share + (commission - share) == commission
    assert 0 <= share <= commission


def test_average_entry_and_exit_prices_are_quantity_weighted(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(BUY, 3, "104"), ES)
    book.apply(fill(SELL, 1, "110"), ES)
    events, (pos,) = book.apply(fill(SELL, 3, "102"), ES)
    assert pos.avg_entry_price == D(103)  # (100 + 3 * 104) / 4
    assert pos.avg_exit_price == D(104)  # (110 + 3 * 102) / 4
    closed = events[0].payload()
    assert (closed.avg_entry_price, closed.avg_exit_price) == (103, 104)
    assert closed.closed_quantity == 4


def test_max_quantity_is_the_largest_size_ever_held(book, fill):
    book.apply(fill(SELL, 2, "100"), ES)
    book.apply(fill(SELL, 3, "100"), ES)
    book.apply(fill(BUY, 4, "100"), ES)
    events, (pos,) = book.apply(fill(SELL, 1, "100"), ES)
    assert pos.max_quantity == 5
    assert events[0].payload().max_quantity == 5


def test_duration_runs_from_the_opening_fill_to_the_closing_fill(book, fill):
    _, (pos,) = book.apply(fill(BUY, 1, "100"), ES)
    assert pos.duration_ns(now_ns=10 * SECOND) == 9 * SECOND
    with pytest.raises(ValueError, match="now_ns"):
        pos.duration_ns()
    fill(BUY, 1, "100")  # time passes
    events, _ = book.apply(fill(SELL, 1, "101"), ES)
    assert pos.duration_ns() == pos.duration_ns(now_ns=99 * SECOND) == 2 * SECOND
    assert events[0].payload().duration_ns == 2 * SECOND


def test_marks_move_the_excursions_of_open_positions_in_that_symbol_only(book, fill):
    book.apply(fill(BUY, 2, "100"), ES)
    book.apply(fill(SELL, 1, "100", account=OTHER), ES)
    book.apply(fill(BUY, 1, "300", symbol="NQM6"), D(20))
    for price in ("103", "96.50", "101"):
        book.mark("ESM6", D(price))
    long_es, short_es = book.get(ACCOUNT, "ESM6"), book.get(OTHER, "ESM6")
    assert (long_es.mae, long_es.mfe) == (D("-3.50") * 2 * ES, 3 * 2 * ES)
    assert (short_es.mae, short_es.mfe) == (-3 * ES, D("3.50") * ES)
    assert long_es.last_mark == short_es.last_mark == 101
    nq = book.get(ACCOUNT, "NQM6")
    assert (nq.mae, nq.mfe, nq.last_mark) == (0, 0, 300)


def test_excursions_count_fill_prices_even_without_marks(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(BUY, 1, "104"), ES)
    events, (pos,) = book.apply(fill(SELL, 2, "90"), ES)
    assert pos.mae == (-10 - 14) * ES
    assert pos.mfe == 4 * ES  # the first lot when the second was bought
    closed = events[0].payload()
    assert (closed.max_adverse_excursion, closed.max_favorable_excursion) == (pos.mae, pos.mfe)


def test_excursions_see_the_lots_left_open_after_a_partial_exit(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(BUY, 1, "110"), ES)
    _, (pos,) = book.apply(fill(SELL, 1, "105"), ES)
    # Before the exit the lots net 0 at 105; the lot left open (110) is 5 points down.
    assert pos.mae == -5 * ES
    assert pos.unrealized_pnl(D(105)) == -5 * ES


def test_unrealized_pnl_is_summed_over_lots_at_the_given_price(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    _, (pos,) = book.apply(fill(BUY, 2, "103"), ES)
    assert pos.unrealized_pnl(D(105)) == (5 * 1 + 2 * 2) * ES
    assert pos.unrealized_pnl(D(100)) == (0 - 3 * 2) * ES


def test_account_unrealized_uses_given_prices_then_last_marks(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(SELL, 2, "300", symbol="NQM6"), D(20))
    book.apply(fill(BUY, 5, "100", account=OTHER), ES)
    book.mark("NQM6", D(290))
    total = book.unrealized(ACCOUNT, {"ESM6": D(102)})
    assert total == 2 * ES + 10 * 2 * 20
    assert book.unrealized(ACCOUNT, {}) == 0 + 10 * 2 * 20  # ES last seen at its fill
    assert book.unrealized(uuid.UUID(int=0xDEAD), {}) == 0


def test_net_quantity_is_signed_and_zero_when_flat(book, fill):
    assert book.net_quantity(ACCOUNT, "ESM6") == 0
    book.apply(fill(BUY, 3, "100"), ES)
    book.apply(fill(SELL, 2, "100", symbol="NQM6"), D(20))
    assert book.net_quantity(ACCOUNT, "ESM6") == 3
    assert book.net_quantity(ACCOUNT, "NQM6") == -2
    book.apply(fill(SELL, 3, "100"), ES)
    assert book.net_quantity(ACCOUNT, "ESM6") == 0


def test_open_positions_lists_one_account_or_all(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    book.apply(fill(BUY, 1, "100", symbol="NQM6"), D(20))
    book.apply(fill(BUY, 1, "100", account=OTHER), ES)
    book.apply(fill(SELL, 1, "100", account=OTHER), ES)
    assert {p.symbol for p in book.open_positions(ACCOUNT)} == {"ESM6", "NQM6"}
    assert book.open_positions(OTHER) == []
    assert len(book.open_positions()) == len(book) == 2


def test_restored_position_carries_on_as_if_never_reloaded(book, fill):
    _, (pos,) = book.apply(fill(SELL, 2, "100", "2"), ES)
    reloaded = Position(
        position_id=pos.position_id,
        account_id=ACCOUNT,
        user_id=USER,
        symbol="ESM6",
        side=PositionSide.SHORT,
        currency="USD",
        point_value=ES,
        opened_ns=pos.opened_ns,
        last_fill_id=pos.last_fill_id,
        quantity=D(2),
        lots=deque([Lot(pos.lots[0].fill_id, pos.lots[0].ts_ns, D(100), D(2))]),
        entry_quantity=D(2),
        entry_notional=D(200),
        max_quantity=D(2),
        commissions=D(2),
    )
    other = PositionBook()
    other.restore(reloaded)
    assert other.net_quantity(ACCOUNT, "ESM6") == -2
    closing = fill(BUY, 2, "99", "2")
    events, _ = other.apply(closing, ES)
    original, _ = book.apply(closing, ES)
    assert events[0].payload() == original[0].payload()


def test_restore_refuses_a_closed_a_duplicate_or_an_inconsistent_position(book, fill):
    _, (pos,) = book.apply(fill(BUY, 2, "100"), ES)
    with pytest.raises(ValueError, match="already open"):
        book.restore(pos)
    other = PositionBook()
    pos.quantity = D(3)
    with pytest.raises(ValueError, match="lots do not sum"):
        other.restore(pos)
    pos.quantity = D(2)
    book.apply(fill(SELL, 2, "100"), ES)
    with pytest.raises(ValueError, match="not open"):
        other.restore(pos)


def test_fill_disagreeing_with_the_position_or_empty_is_refused(book, fill):
    book.apply(fill(BUY, 1, "100"), ES)
    with pytest.raises(ValueError, match="disagrees"):
        book.apply(fill(BUY, 1, "100"), D(5))
    with pytest.raises(ValueError, match="quantity"):
        book.apply(fill(BUY, 0, "100"), ES)
    assert book.get(ACCOUNT, "ESM6").quantity == 1


def test_events_carry_the_position_state_and_validate_as_payloads(book, fill):
    book.apply(fill(BUY, 2, "100", "2.00"), ES)
    book.mark("ESM6", D(98))
    last = fill(SELL, 1, "101", "1.00")
    events, _ = book.apply(last, ES)
    changed = events[0].payload()
    assert isinstance(changed, PositionChanged)
    assert changed.fill_id == last.fill_id
    assert (changed.quantity, changed.closed_quantity, changed.avg_exit_price) == (1, 1, 101)
    assert (changed.gross_pnl, changed.commissions, changed.realized_pnl) == (50, 3, 47)
    assert (changed.max_adverse_excursion, changed.max_favorable_excursion) == (-200, 100)
    assert (changed.account_id, changed.user_id, changed.currency) == (ACCOUNT, USER, "USD")
