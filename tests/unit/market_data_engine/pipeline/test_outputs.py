"""What a batch writes: bar messages with stable ids, line protocol, Redis commands."""

import json
from decimal import Decimal

from market_data_engine.adapters.candle_format import CACHE_DEPTH, decode_cached
from market_data_engine.pipeline.outputs import (
    LastTrade,
    Outputs,
    bar_envelopes,
    bar_message_id,
    influx_lines,
    redis_commands,
)
from shared.clock import FakeClock
from shared.messages.schemas.marketdata import Bar
from tests.unit.market_data_engine.pipeline.support import MINUTE, START_NS

TTL = {"1m": 122_000, "5m": 362_000}


def bar(open_time: int = START_NS, symbol: str = "ESZ6", timeframe: str = "1m") -> Bar:
    return Bar(
        symbol=symbol,
        timeframe=timeframe,
        open_time=open_time,
        close_time=open_time + MINUTE,
        open=Decimal("5000.25"),
        high=Decimal("5001"),
        low=Decimal("5000"),
        close=Decimal("5000.5"),
        volume=Decimal(7),
        trade_count=3,
        vwap=Decimal("5000.5"),
    )


def key(*parts: object) -> str:
    return ":".join(("p", *map(str, parts)))


def test_a_candle_has_one_message_id_whoever_emits_it_and_when() -> None:
    first = bar_envelopes([bar()], clock=FakeClock(1), producer="a")[0]
    again = bar_envelopes([bar()], clock=FakeClock(2), producer="b")[0]
    assert first.message_id == again.message_id == bar_message_id("ESZ6", "1m", START_NS)
    assert first.ts_init != again.ts_init
    assert first.ts_event == START_NS + MINUTE


def test_different_candles_have_different_ids() -> None:
    ids = {
        bar_message_id("ESZ6", "1m", START_NS),
        bar_message_id("ESZ6", "1m", START_NS + MINUTE),
        bar_message_id("ESZ6", "5m", START_NS),
        bar_message_id("NQZ6", "1m", START_NS),
    }
    assert len(ids) == 4


def test_candles_become_line_protocol_points_at_their_open_time() -> None:
    [line] = influx_lines([bar()])
    assert line.startswith("candles,symbol=ESZ6,timeframe=1m ")
    assert line.endswith(f" {START_NS}")
    assert "trades=3i" in line
    assert "close=5000.5" in line


def test_closed_candles_replace_their_span_then_the_set_is_trimmed() -> None:
    outputs = Outputs(bars=[bar(), bar(START_NS + MINUTE), bar(symbol="NQZ6")])
    commands = redis_commands(outputs, key, TTL)
    first, second = START_NS // 10**9, START_NS // 10**9 + 60
    assert commands[0] == ("ZREMRANGEBYSCORE", "p:candles:ESZ6:1m", first, second)
    assert commands[1][:2] == ("ZADD", "p:candles:ESZ6:1m")
    assert commands[1][2::2] == (first, second)
    assert decode_cached("ESZ6", "1m", commands[1][3]) == bar()
    assert commands[2] == ("ZREMRANGEBYRANK", "p:candles:ESZ6:1m", 0, -CACHE_DEPTH - 1)
    assert [c[:2] for c in commands[3:]] == [
        ("ZREMRANGEBYSCORE", "p:candles:NQZ6:1m"),
        ("ZADD", "p:candles:NQZ6:1m"),
        ("ZREMRANGEBYRANK", "p:candles:NQZ6:1m"),
    ]


def test_forming_candles_are_set_with_a_ttl_or_deleted() -> None:
    outputs = Outputs(forming=[("ESZ6", "1m", bar()), ("ESZ6", "5m", None)])
    set_forming, delete = redis_commands(outputs, key, TTL)
    assert set_forming[:2] == ("SET", "p:forming:ESZ6:1m")
    assert set_forming[3:] == ("PX", 122_000)
    assert decode_cached("ESZ6", "1m", set_forming[2]) == bar()
    assert delete == ("DEL", "p:forming:ESZ6:5m")


def test_last_trades_and_states_are_one_command_each_and_states_come_last() -> None:
    outputs = Outputs(
        bars=[bar()],
        last_trades=[LastTrade("ESZ6", 5, Decimal("5000.25"), Decimal(2))],
        states={"p:pipeline:g:t:0": b"{}", "p:pipeline:g:t:1": b"[]"},
    )
    commands = redis_commands(outputs, key, TTL)
    last, states = commands[-2], commands[-1]
    assert last[:2] == ("MSET", "p:last:ESZ6")
    assert json.loads(last[2]) == {"price": "5000.25", "size": "2", "ts_event": 5}
    assert states == ("MSET", "p:pipeline:g:t:0", b"{}", "p:pipeline:g:t:1", b"[]")


def test_nothing_to_write_is_no_command() -> None:
    assert not Outputs()
    assert redis_commands(Outputs(), key, TTL) == []
