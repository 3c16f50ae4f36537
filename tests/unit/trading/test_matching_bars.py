"""The bar path (open, nearer extreme, farther extreme, close) and orders worked on bars."""

from __future__ import annotations

from decimal import Decimal

from shared.messages.schemas.common import OrderType
from shared.trading.matching import FillConfig, Match, bar_points, match
from shared.trading.orders import Order
from tests.unit.trading.test_matching import BUY, PLAIN, SELL, TICK, order_of

D = Decimal


def bar(o: str, h: str, low: str, c: str, volume: str = "12") -> list[Decimal]:
    points = bar_points("ESZ5", 0, 60, D(o), D(h), D(low), D(c), D(volume))
    return [p.price for p in points]


def test_path_visits_the_high_first_when_it_is_nearer_the_open() -> None:
    assert bar("100", "101", "98", "99") == [D(100), D(101), D(98), D(99)]


def test_path_visits_the_low_first_when_it_is_nearer_the_open() -> None:
    assert bar("100", "103", "99", "101") == [D(100), D(99), D(103), D(101)]


def test_path_visits_the_high_first_on_a_tie() -> None:
    assert bar("100", "101", "99", "100") == [D(100), D(101), D(99), D(100)]


def test_path_drops_points_that_repeat_the_price_before() -> None:
    assert bar("100", "100", "99", "99") == [D(100), D(99)]
    assert bar("100", "100", "100", "100") == [D(100)]


def test_points_carry_ids_times_and_continuity() -> None:
    points = bar_points("ESZ5", 600, 900, D(100), D(101), D(98), D(99), D(12))
    assert [p.trade_id for p in points] == [f"ESZ5:bar:600:{i}" for i in range(4)]
    assert [p.ts_ns for p in points] == [600, 700, 800, 900]
    assert [p.continuous for p in points] == [False, True, True, True]


def test_single_point_bar_is_at_its_open_time_with_all_the_volume() -> None:
    (point,) = bar_points("ESZ5", 600, 900, D(5), D(5), D(5), D(5), D(7))
    assert (point.ts_ns, point.size, point.continuous) == (600, D(7), False)


def test_volume_is_split_in_whole_units_that_add_up() -> None:
    points = bar_points("ESZ5", 0, 60, D(100), D(101), D(98), D(99), D(10))
    assert [p.size for p in points] == [D(3), D(3), D(2), D(2)]


def test_fractional_volume_goes_to_the_open_and_still_adds_up() -> None:
    points = bar_points("BTCUSD", 0, 60, D(100), D(101), D(99), D(100), D("2.5"))
    assert [p.size for p in points] == [D("1.5"), D(1), D(0), D(0)]
    assert sum(p.size for p in points) == D("2.5")


def work(order: Order, bars: list[tuple[str, str, str, str]], config: FillConfig) -> list[Match]:
    """Feed bars to the order the way the exchange does, booking what ``match`` returns."""
    results: list[Match] = []
    prev: Decimal | None = None
    for n, (o, h, low, c) in enumerate(bars):
        for point in bar_points("ESZ5", n * 60, n * 60 + 59, D(o), D(h), D(low), D(c), D(40)):
            result = match(order, point, prev, TICK, config)
            prev, order.fresh = point.price, False
            if result is None:
                continue
            results.append(result)
            order.triggered = order.triggered or result.triggered
            if result.price is not None:
                order.record_fill(point.trade_id, result.price, result.quantity, point.ts_ns)
    return results


def test_market_order_on_bars_fills_at_the_next_bar_open() -> None:
    order = order_of(OrderType.MARKET, BUY, fresh=True)
    assert work(order, [("100", "101", "99", "100.5")], FillConfig(slippage_ticks=1)) == [
        Match(False, D("100.25"), D(3))
    ]


def test_resting_buy_limit_fills_at_its_limit_when_the_low_goes_through() -> None:
    order = order_of(OrderType.LIMIT, BUY, limit="99", fresh=True)
    assert work(order, [("100", "101", "99", "100"), ("100", "100.5", "98", "99.5")], PLAIN) == [
        Match(False, D(99), D(3))
    ]


def test_limit_placed_before_a_gap_fills_at_the_better_open() -> None:
    order = order_of(OrderType.LIMIT, SELL, limit="101", fresh=True)
    assert work(order, [("103", "104", "102", "103")], PLAIN) == [Match(False, D(103), D(3))]


def test_resting_buy_limit_a_later_bar_gaps_through_fills_at_the_better_open() -> None:
    order = order_of(OrderType.LIMIT, BUY, limit="99", fresh=True)
    bars = [("100", "101", "99.5", "100"), ("97", "98", "96.5", "97.5")]
    assert work(order, bars, PLAIN) == [Match(False, D(97), D(3))]


def test_resting_sell_stop_crossed_inside_a_bar_fills_at_the_stop_plus_slippage() -> None:
    order = order_of(OrderType.STOP, SELL, stop="99", fresh=True)
    bars = [("100", "101", "99.5", "100"), ("100", "100.25", "97", "98")]
    assert work(order, bars, FillConfig(slippage_ticks=1)) == [Match(True, D("98.75"), D(3))]


def test_sell_stop_a_bar_opens_below_fills_at_the_open() -> None:
    order = order_of(OrderType.STOP, SELL, stop="99", fresh=True)
    bars = [("100", "101", "99.5", "100"), ("97", "98", "96", "97.5")]
    assert work(order, bars, PLAIN) == [Match(True, D(97), D(3))]


def test_partial_fills_on_a_bar_fill_a_limit_across_its_points() -> None:
    order = order_of(OrderType.LIMIT, BUY, quantity="25", limit="100", fresh=True)
    results = work(order, [("101", "101.5", "98", "99")], FillConfig(partial_fills=True))
    assert results == [Match(False, D(100), D(10)), Match(False, D(100), D(10))]
    assert order.filled_quantity == D(20)
