"""Which stored candles a warm-up feeds, in what order; which strategies a candle reaches."""

from __future__ import annotations

import uuid

from aiokafka.partitioner import DefaultPartitioner
from hypothesis import given
from hypothesis import strategies as st

from shared.strategy.candles import candle_of
from shared.strategy.definition import Subscription
from strategy_workers.adapters.partitions import placement
from strategy_workers.domain.routing import Routes, owns
from strategy_workers.domain.warmup import order_key, warm_sequence
from tests.service.strategy_workers.fakes import MINUTE, bars, definition

ONE = [candle_of(b) for b in bars([1.0] * 10, timeframe="1m")]
FIVE = [candle_of(b) for b in bars([1.0] * 2, timeframe="5m", step=5 * MINUTE)]


def test_a_longer_live_bar_is_warmed_with_the_shorter_ones_closing_with_it():
    live = FIVE[0]  # 5m closing at T0+5m, published after the 1m closing then
    warmed = warm_sequence([ONE, FIVE], live, depth=500)
    assert warmed == ONE[:5]


def test_a_shorter_live_bar_is_not_warmed_with_a_longer_one_closing_with_it():
    live = ONE[9]  # 1m closing at T0+10m; the 5m closing then comes after it
    warmed = warm_sequence([ONE, FIVE], live, depth=500)
    assert warmed == [*ONE[:5], FIVE[0], *ONE[5:9]]


def test_warm_up_keeps_the_newest_of_each_subscription():
    warmed = warm_sequence([ONE, FIVE], ONE[9], depth=2)
    assert warmed == [FIVE[0], ONE[7], ONE[8]]


@given(st.integers(min_value=0, max_value=9), st.integers(min_value=0, max_value=12))
def test_warm_up_is_in_publication_order_and_all_before_the_live_bar(live_at, depth):
    live = ONE[live_at]
    warmed = warm_sequence([ONE, FIVE], live, depth)
    keys = [order_key(c) for c in warmed]
    assert keys == sorted(keys)
    assert all(key < order_key(live) for key in keys)
    assert len([c for c in warmed if c.timeframe == "1m"]) == min(depth, live_at)


def test_candles_go_to_the_strategies_subscribed_to_them_in_a_stable_order():
    a, b = uuid.UUID(int=2), uuid.UUID(int=1)
    es1, es5 = Subscription("ESZ6", "1m"), Subscription("ESZ6", "5m")
    routes = Routes({a: [es1, es5], b: [es1, es1]})
    assert routes("ESZ6", "1m") == (b, a)
    assert routes("ESZ6", "5m") == (a,)
    assert routes("NQZ6", "1m") == ()


def test_a_strategy_is_owned_where_its_first_symbol_is_placed():
    place = placement(12)
    d = definition(subscriptions=(("NQZ6", "1m"), ("ESZ6", "1m")))
    assert owns(d, {place("NQZ6")}, place)
    assert not owns(d, set(range(12)) - {place("NQZ6")}, place)


def test_placement_is_where_kafkas_default_partitioner_puts_the_symbol():
    partitions = list(range(12))
    place = placement(12)
    symbols = [f"{root}{month}{year}" for root in ("ES", "NQ", "CL") for month in "HMUZ"
               for year in range(6, 9)]  # fmt: skip
    assert [place(s) for s in symbols] == [
        DefaultPartitioner()(s.encode(), partitions, partitions) for s in symbols
    ]
