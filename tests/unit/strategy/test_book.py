"""The strategy's own book: fills into a position with average-price P&L, orders out."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.strategy.book import Holding, Pending, StrategyBook

D = Decimal
PV = D(50)  # ES point value


def fid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def fill(book: StrategyBook, n: int, signed: str, price: str, **kw: object) -> bool:
    coid = str(kw.get("coid", f"o{n}"))
    commission = D(str(kw.get("commission", "0")))
    done = bool(kw.get("done", True))
    return book.filled(fid(n), coid, "ES", D(signed), D(price), commission, PV, done)


def test_fills_in_one_direction_average_the_price() -> None:
    book = StrategyBook()
    fill(book, 1, "1", "100")
    fill(book, 2, "3", "104")
    h = book.holding("ES")
    assert (h.quantity, h.average_price, h.realized) == (D(4), D(103), D(0))


def test_a_partial_close_realizes_against_the_average_price() -> None:
    book = StrategyBook()
    fill(book, 1, "2", "100")
    fill(book, 2, "-1", "103")
    h = book.holding("ES")
    assert (h.quantity, h.average_price, h.realized) == (D(1), D(100), D(150))


def test_a_short_gains_when_the_price_falls() -> None:
    book = StrategyBook()
    fill(book, 1, "-2", "100")
    fill(book, 2, "2", "99.5")
    h = book.holding("ES")
    assert (h.quantity, h.average_price, h.realized) == (D(0), D(0), D(50))


def test_a_fill_crossing_zero_opens_the_rest_the_other_way_at_its_price() -> None:
    book = StrategyBook()
    fill(book, 1, "1", "100")
    fill(book, 2, "-3", "98")
    h = book.holding("ES")
    assert (h.quantity, h.average_price, h.realized) == (D(-2), D(98), D(-100))


def test_realized_is_after_commissions_over_every_symbol() -> None:
    book = StrategyBook()
    fill(book, 1, "1", "100", commission="2.25")
    fill(book, 2, "-1", "101", commission="2.25")
    book.filled(fid(3), "x", "NQ", D(1), D(10), D("1.5"), D(20), True)
    assert book.realized() == D(50) - D("4.5") - D("1.5")


def test_a_fill_seen_before_is_ignored() -> None:
    book = StrategyBook()
    assert fill(book, 1, "1", "100")
    assert not fill(book, 1, "1", "100")
    assert book.position("ES") == 1


def test_unknown_symbol_is_flat() -> None:
    book = StrategyBook()
    assert book.position("ES") == 0
    assert book.intended("ES") == 0
    assert "ES" not in book.holdings  # asking does not create a holding


def test_intended_adds_market_orders_still_out_but_not_resting_ones() -> None:
    book = StrategyBook()
    fill(book, 1, "2", "100")
    book.sent("m", Pending("ES", D(-3), market=True, reduce_only=False))
    book.sent("s", Pending("ES", D(-2), market=False, reduce_only=True))
    book.sent("n", Pending("NQ", D(5), market=True, reduce_only=False))
    assert book.position("ES") == 2
    assert book.intended("ES") == -1
    assert book.intended("NQ") == 5


def test_a_partial_fill_leaves_the_rest_pending_and_a_last_fill_removes_it() -> None:
    book = StrategyBook()
    book.sent("m", Pending("ES", D(3), market=True, reduce_only=False))
    fill(book, 1, "1", "100", coid="m", done=False)
    assert book.pending["m"].signed_leaves == 2
    assert book.intended("ES") == 3
    fill(book, 2, "2", "100", coid="m", done=True)
    assert "m" not in book.pending
    assert book.intended("ES") == 3


def test_an_order_whose_leaves_reach_zero_is_done_even_if_not_flagged() -> None:
    book = StrategyBook()
    book.sent("m", Pending("ES", D(1), market=True, reduce_only=False))
    fill(book, 1, "1", "100", coid="m", done=False)
    assert book.pending == {}


def test_an_ended_order_leaves_the_pending_orders() -> None:
    book = StrategyBook()
    book.sent("m", Pending("ES", D(1), market=True, reduce_only=False))
    book.ended("m")
    book.ended("never-sent")
    assert book.pending == {}
    assert book.intended("ES") == 0


def test_fills_of_orders_the_book_did_not_send_still_count() -> None:
    book = StrategyBook()  # e.g. a bracket child the order processor made
    fill(book, 1, "-1", "100", coid="entry.sl")
    assert book.position("ES") == -1


fills = st.lists(
    st.tuples(
        st.integers(min_value=-5, max_value=5).filter(bool),
        st.integers(min_value=400, max_value=440).map(lambda n: D(n) / 4),
    ),
    max_size=30,
)


@settings(max_examples=300, derandomize=True)
@given(fills, st.integers(min_value=400, max_value=440).map(lambda n: D(n) / 4))
def test_book_pnl_matches_cash_flows(trades: list[tuple[int, Decimal]], mark: Decimal) -> None:
    """Realized + unrealized at a mark equals the cash flows plus the position's value."""
    book = StrategyBook()
    for n, (signed, price) in enumerate(trades):
        fill(book, n, str(signed), str(price))
    net = sum((D(s) for s, _ in trades), D(0))
    cash = -sum((s * p for s, p in trades), D(0)) * PV
    h = book.holdings.get("ES", Holding())
    assert h.quantity == net
    total = h.realized + (mark - h.average_price) * h.quantity * PV
    assert abs(total - (cash + net * mark * PV)) < D("1e-12")
    if net == 0:
        assert h.average_price == 0
    else:
        assert h.average_price > 0
