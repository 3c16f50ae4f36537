"""Feed health messages (``marketdata.status``): whether each symbol's trades still flow.

A feed is STALE when a symbol saw no trade for longer than a threshold while its trading
session is open; CLOSED while the session is closed (daily break, weekend), when silence
is expected; LIVE otherwise.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from shared.messages.envelope import Payload
from shared.messages.registry import message
from shared.messages.schemas.common import Symbol, TimestampNs


class FeedState(StrEnum):
    """The health of one symbol's feed."""

    LIVE = "LIVE"
    STALE = "STALE"
    CLOSED = "CLOSED"


@message
class FeedStatusChanged(Payload):
    """A symbol's feed changed state; the envelope's ``ts_event`` is when it changed.

    ``previous_state`` is None for the first state a monitor reports. ``last_trade_ts`` is
    None when no trade was seen yet. ``silent_for_ns`` counts from the later of the last
    trade, the session's open and the start of monitoring.
    """

    TYPE = "FeedStatusChanged"
    VERSION = 1

    symbol: Symbol
    state: FeedState
    previous_state: FeedState | None = None
    last_trade_ts: TimestampNs | None = None
    silent_for_ns: int = Field(ge=0)
    threshold_ns: int = Field(gt=0)
