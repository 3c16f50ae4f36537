"""Trade v1 records in their canonical bytes, recognised without a JSON parser.

``shared.messages.encode`` always writes a Trade v1 envelope the same way: fields in
declaration order, no whitespace, decimals as plain strings. ``match`` accepts exactly that
layout, with strings free of escapes, so its groups are exactly the values a JSON parser
would find. A record it accepts whose symbol, price and size were seen before (and passed
the full decoder) needs no parsing at all: ``KnownTrades`` remembers them, per partition.
Anything else takes the full decoder, which is also what teaches ``KnownTrades``.
"""

from __future__ import annotations

import re

from shared.messages.codec import HEADER_TYPE, HEADER_VERSION

HEADERS = ((HEADER_TYPE, b"Trade"), (HEADER_VERSION, b"1"))
"""The first headers ``shared.messages.headers_for`` writes on a Trade v1."""

_ID = rb'"[0-9a-f-]{36}"'
_TEXT = rb'"[^"\\\x00-\x1f]*"'
_GROUP = rb'"([^"\\\x00-\x1f]*)"'
_PATTERN = (
    rb'\{"message_id":' + _ID + rb',"type":"Trade","version":1,"ts_event":(0|[1-9][0-9]{0,18})'
    rb',"ts_init":[0-9]{1,19},"correlation_id":(?:null|'
    + _ID
    + rb'),"causation_id":(?:null|'
    + _ID
    + rb'),"producer":'
    + _TEXT
    + rb',"payload":\{"symbol":'
    + _GROUP
    + rb',"price":'
    + _GROUP
    + rb',"size":'
    + _GROUP
    + rb',"aggressor_side":"(?:BUY|SELL|NONE)"'
    rb',"venue_trade_id":(?:null|' + _TEXT + rb")\}\}"
)
match = re.compile(_PATTERN).fullmatch
"""``match(value)``: groups (ts_event, symbol, price, size) as bytes, or None."""

_LIMIT = 50_000  # distinct prices or sizes remembered per symbol


class KnownTrades:
    """Symbol, price and size texts already decoded: symbol -> (index, prices, sizes)."""

    __slots__ = ("symbols",)

    def __init__(self) -> None:
        self.symbols: dict[bytes, tuple[int, dict[bytes, int], dict[bytes, int]]] = {}

    def learn(self, texts: tuple[bytes, bytes, bytes], index: int, ticks: int, steps: int) -> None:
        """Remember what the full decoder made of (symbol, price, size) texts."""
        symbol, price, size = texts
        known = self.symbols.get(symbol)
        if known is None:
            known = self.symbols[symbol] = (index, {}, {})
        for table, text, value in ((known[1], price, ticks), (known[2], size, steps)):
            if len(table) >= _LIMIT:
                table.clear()
            table[text] = value
