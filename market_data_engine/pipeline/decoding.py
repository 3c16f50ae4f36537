"""The fast path from a Kafka record to a trade in integer ticks and size steps.

The type and version come from the record's headers (from the body when it has none) and
pick a decoder from an explicit map (see ``market_data_engine.handlers``). The body is
parsed once, with ``pydantic_core.from_json`` into plain data, and only what aggregation
needs is checked: the envelope's type, version and ``ts_event``, and the payload's
symbol, price and size. That is a few microseconds instead of a full model validation.

Every refusal is a ``BadTrade`` whose ``reason`` is one of the ``REASON_*`` codes below;
it becomes the dead letter's ``dlq.reason`` header.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pydantic_core

from market_data_engine.pipeline.grid import MALFORMED, NON_FINITE, BadNumber
from market_data_engine.pipeline.symbols import SymbolDirectory, SymbolSpec
from shared.messages.codec import HEADER_TYPE, HEADER_VERSION

REASON_MALFORMED = "malformed"
REASON_UNKNOWN_TYPE = "unknown_type"
REASON_HEADER_MISMATCH = "header_mismatch"
REASON_UNKNOWN_SYMBOL = "unknown_symbol"
REASON_NON_FINITE = "non_finite"
REASON_NON_POSITIVE_PRICE = "non_positive_price"
REASON_OFF_GRID_PRICE = "off_grid_price"
REASON_NON_POSITIVE_SIZE = "non_positive_size"
REASON_OFF_GRID_SIZE = "off_grid_size"

DecodedTrade = tuple[SymbolSpec, int, int, int]
"""(symbol spec, ts_event ns, price in ticks, size in steps)."""

BodyDecoder = Callable[[dict[str, Any], SymbolDirectory], DecodedTrade]
"""Turns one parsed message body of a known type and version into a trade."""

_TRADE_HEADERS = ((HEADER_TYPE, b"Trade"), (HEADER_VERSION, b"1"))


class BadTrade(Exception):
    """A record that cannot become a trade; ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class TradeDecoder:
    """Decodes records with the body decoder registered for their (type, version)."""

    def __init__(
        self, decoders: Mapping[tuple[str, int], BodyDecoder], symbols: SymbolDirectory
    ) -> None:
        self._decoders = dict(decoders)
        self._symbols = symbols
        self._trade_v1 = decoders.get(("Trade", 1))

    def decode(self, value: bytes | None, headers: Sequence[tuple[str, bytes]]) -> DecodedTrade:
        """The trade in a record; BadTrade says why there is none."""
        if not value:
            raise BadTrade(REASON_MALFORMED, "the record has no value")
        decoder = self._trade_v1
        if decoder is not None and headers[:2] == _TRADE_HEADERS:  # the usual case
            body = _parse(value)
        else:
            kind = _kind_from_headers(headers)
            body = _parse(value)
            if kind is None:
                kind = _kind_from_body(body)
            decoder = self._decoders.get(kind)
            if decoder is None:
                raise BadTrade(REASON_UNKNOWN_TYPE, f"no trade decoder for {kind[0]} v{kind[1]}")
        return decoder(body, self._symbols)


def trade_v1(body: dict[str, Any], symbols: SymbolDirectory) -> DecodedTrade:
    """A ``Trade`` version 1 envelope, as ``shared.messages`` encodes it."""
    try:
        payload = body["payload"]
        symbol = payload["symbol"]
        price = payload["price"]
        size = payload["size"]
        ts_event = body["ts_event"]
    except (KeyError, TypeError) as exc:
        raise BadTrade(REASON_MALFORMED, f"not a Trade envelope: missing {exc}") from None
    if body.get("type") != "Trade" or body.get("version") != 1:
        raise BadTrade(REASON_HEADER_MISMATCH, "the headers say Trade v1, the body does not")
    if type(ts_event) is not int or ts_event < 0:
        raise BadTrade(REASON_MALFORMED, f"ts_event {ts_event!r} is not a nanosecond time")
    if type(symbol) is not str:
        raise BadTrade(REASON_MALFORMED, f"symbol {symbol!r} is not a string")
    spec = symbols.get(symbol)
    if spec is None:
        raise BadTrade(REASON_UNKNOWN_SYMBOL, f"{symbol[:40]!r} is not a known instrument")
    try:
        ticks = spec.prices.multiples(price)
    except BadNumber as bad:
        raise BadTrade(_reason(bad, REASON_OFF_GRID_PRICE), f"price {bad.detail}") from None
    if ticks <= 0 and not spec.non_positive_prices:
        raise BadTrade(REASON_NON_POSITIVE_PRICE, f"price {price} of {symbol} is not positive")
    try:
        steps = spec.sizes.multiples(size)
    except BadNumber as bad:
        raise BadTrade(_reason(bad, REASON_OFF_GRID_SIZE), f"size {bad.detail}") from None
    if steps <= 0:
        raise BadTrade(REASON_NON_POSITIVE_SIZE, f"size {size} is not positive")
    return spec, ts_event, ticks, steps


def _reason(bad: BadNumber, off_grid: str) -> str:
    if bad.kind == NON_FINITE:
        return REASON_NON_FINITE
    return REASON_MALFORMED if bad.kind == MALFORMED else off_grid


def _parse(value: bytes) -> dict[str, Any]:
    try:
        body = pydantic_core.from_json(value)
    except ValueError as exc:
        raise BadTrade(REASON_MALFORMED, f"not JSON: {exc}") from None
    if type(body) is not dict:
        raise BadTrade(REASON_MALFORMED, "the message is not a JSON object")
    return body


def _kind_from_headers(headers: Sequence[tuple[str, bytes]]) -> tuple[str, int] | None:
    found = dict(headers)
    if HEADER_TYPE not in found or HEADER_VERSION not in found:
        return None
    try:
        return found[HEADER_TYPE].decode(), int(found[HEADER_VERSION])
    except (UnicodeDecodeError, ValueError):
        raise BadTrade(REASON_MALFORMED, "type/version headers are unreadable") from None


def _kind_from_body(body: dict[str, Any]) -> tuple[str, int]:
    kind, version = body.get("type"), body.get("version")
    if type(kind) is not str or type(version) is not int:
        raise BadTrade(REASON_MALFORMED, "no type/version headers and none in the body")
    return kind, version
