"""The fast trade decoder: good trades in ticks and steps, every bad input with its reason."""

import json
from decimal import Decimal
from typing import Any

import pydantic_core
import pytest

from market_data_engine.handlers import TRADE_DECODERS
from market_data_engine.pipeline import canonical
from market_data_engine.pipeline.decoding import (
    REASON_HEADER_MISMATCH,
    REASON_MALFORMED,
    REASON_NON_FINITE,
    REASON_NON_POSITIVE_PRICE,
    REASON_NON_POSITIVE_SIZE,
    REASON_OFF_GRID_PRICE,
    REASON_OFF_GRID_SIZE,
    REASON_UNKNOWN_SYMBOL,
    REASON_UNKNOWN_TYPE,
    BadTrade,
    DecodedTrade,
    TradeDecoder,
)
from market_data_engine.pipeline.symbols import SymbolDirectory
from shared.messages import encode, headers_for
from tests.unit.market_data_engine.pipeline.support import REGISTRY, START_NS, trade

HEADERS = headers_for(trade("ESZ6", START_NS, "5000"))


def decoder(non_positive: tuple[str, ...] = ()) -> TradeDecoder:
    return TradeDecoder(TRADE_DECODERS, SymbolDirectory(REGISTRY, non_positive))


def body(**changes: Any) -> dict[str, Any]:
    """A Trade v1 envelope as plain data, with payload fields replaced by ``changes``."""
    data: dict[str, Any] = json.loads(encode(trade("ESZ6", START_NS, "5000.25", "3")))
    data["payload"].update(changes)
    return data


def decode(value: bytes | None, headers: Any = HEADERS, **kwargs: Any) -> DecodedTrade:
    return decoder(**kwargs).decode(value, headers)


def reason_of(value: bytes | None, headers: Any = HEADERS, **kwargs: Any) -> str:
    with pytest.raises(BadTrade) as caught:
        decode(value, headers, **kwargs)
    return caught.value.reason


def test_a_trade_becomes_ticks_and_steps_of_its_instrument() -> None:
    spec, ts, ticks, steps = decode(encode(trade("ESZ6", START_NS, "5000.25", "3")))
    assert (spec.symbol, ts, ticks, steps) == ("ESZ6", START_NS, 20001, 3)
    assert spec.scale.tick_size == Decimal("0.25")


def test_a_message_without_headers_is_routed_by_its_body() -> None:
    _, _, ticks, _ = decode(encode(trade("CLF7", START_NS, "71.23")), headers=())
    assert ticks == 7123


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, REASON_MALFORMED),
        (b"", REASON_MALFORMED),
        (b"not json", REASON_MALFORMED),
        (b"[1, 2]", REASON_MALFORMED),
        (b'{"type": "Trade", "version": 1}', REASON_MALFORMED),
        (json.dumps({**body(), "ts_event": "soon"}).encode(), REASON_MALFORMED),
        (json.dumps({**body(), "ts_event": -1}).encode(), REASON_MALFORMED),
        (json.dumps(body(symbol=7)).encode(), REASON_MALFORMED),
        (json.dumps(body(price={"x": 1})).encode(), REASON_MALFORMED),
        (json.dumps(body(price="12,5")).encode(), REASON_MALFORMED),
        (json.dumps(body(symbol="ZZZ9")).encode(), REASON_UNKNOWN_SYMBOL),
        (json.dumps(body(symbol="ESZ")).encode(), REASON_UNKNOWN_SYMBOL),
        (json.dumps(body(price="NaN")).encode(), REASON_NON_FINITE),
        (json.dumps(body(price="Infinity")).encode(), REASON_NON_FINITE),
        (json.dumps(body(size="-Infinity")).encode(), REASON_NON_FINITE),
        (json.dumps(body(price=float("nan"))).encode(), REASON_NON_FINITE),  # a bare NaN
        (json.dumps(body(price="0")).encode(), REASON_NON_POSITIVE_PRICE),
        (json.dumps(body(price="-5.25")).encode(), REASON_NON_POSITIVE_PRICE),
        (json.dumps(body(price="5000.1")).encode(), REASON_OFF_GRID_PRICE),
        (json.dumps(body(size="0")).encode(), REASON_NON_POSITIVE_SIZE),
        (json.dumps(body(size="-2")).encode(), REASON_NON_POSITIVE_SIZE),
        (json.dumps(body(size="1.5")).encode(), REASON_OFF_GRID_SIZE),
        (json.dumps({**body(), "type": "Bar"}).encode(), REASON_HEADER_MISMATCH),
        (json.dumps({**body(), "version": 2}).encode(), REASON_HEADER_MISMATCH),
    ],
)
def test_bad_input_is_refused_with_its_reason(value: bytes | None, reason: str) -> None:
    assert reason_of(value) == reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ([("type", b"Trade"), ("version", b"2")], REASON_UNKNOWN_TYPE),
        ([("type", b"Bar"), ("version", b"1")], REASON_UNKNOWN_TYPE),
        ([("type", b"Trade"), ("version", b"one")], REASON_MALFORMED),
        ([("type", b"\xff"), ("version", b"1")], REASON_MALFORMED),
    ],
)
def test_headers_pick_the_decoder_and_unknown_kinds_are_refused(
    headers: list[tuple[str, bytes]], reason: str
) -> None:
    assert reason_of(encode(trade("ESZ6", START_NS, "5000")), headers) == reason


def test_without_headers_a_body_without_type_is_malformed() -> None:
    assert reason_of(b'{"payload": {}}', headers=()) == REASON_MALFORMED


def test_negative_prices_pass_only_for_roots_configured_so() -> None:
    value = encode(trade("CLK0", START_NS, "-37.63"))
    assert reason_of(value) == REASON_NON_POSITIVE_PRICE
    assert decode(value, non_positive=("CL",))[2] == -3763
    assert decode(value, non_positive=("CLK0",))[2] == -3763
    assert reason_of(value, non_positive=("ES",)) == REASON_NON_POSITIVE_PRICE


def test_the_canonical_form_gives_the_values_a_json_parser_finds() -> None:
    for envelope in (
        trade("ESZ6", START_NS, "5000.25", "3"),
        trade("MNQH7", 0, "18000", "12", producer="feed/synthetic"),
    ):
        value = encode(envelope)
        found = canonical.match(value)
        assert found is not None
        parsed = pydantic_core.from_json(value)
        payload = parsed["payload"]
        expected = (str(parsed["ts_event"]), payload["symbol"], payload["price"], payload["size"])
        assert tuple(group.decode() for group in found.groups()) == expected
    assert tuple(HEADERS[:2]) == canonical.HEADERS


@pytest.mark.parametrize(
    "change",
    [
        lambda v: v.replace(b'"price":"', b'"price": "'),  # whitespace
        lambda v: v.replace(b'"size":"3"', b'"size":"\\u0033"'),  # an escape
        lambda v: v.replace(b'"version":1', b'"version":2'),
        lambda v: v + b" ",
        lambda v: v.replace(b'"producer":"test",', b""),
    ],
)
def test_anything_but_the_canonical_form_takes_the_full_decoder(change: Any) -> None:
    assert canonical.match(change(encode(trade("ESZ6", START_NS, "5000.25", "3")))) is None
