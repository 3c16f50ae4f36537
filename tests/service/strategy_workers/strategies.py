"""Strategies made for the tests, registered as built-ins for the length of a test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from shared.messages.schemas.order_events import OrderEvent, OrderFilled, OrderRejected
from shared.strategy.base import Strategy
from shared.strategy.builtins import BUILTINS
from shared.strategy.candles import Candle
from shared.strategy.context import StrategyContext
from shared.strategy.params import Param


class Raiser(Strategy):
    """Raises on the bar whose close reaches ``at``, or in the callback named by ``fail_in``."""

    NAME: ClassVar[str] = "test_raiser"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("at", float, 1e12),
        Param("fail_in", str, "", choices=("", "on_start", "on_event")),
    )

    def on_start(self, ctx: StrategyContext) -> None:
        if self.params["fail_in"] == "on_start":
            raise RuntimeError("cannot start")

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        if bar.close >= float(self.params["at"]):
            raise RuntimeError("boom")

    def on_order_event(self, ctx: StrategyContext, event: OrderEvent | OrderRejected) -> None:
        if self.params["fail_in"] == "on_event":
            raise RuntimeError("bad event")


class AlwaysBuy(Strategy):
    """Buys one on every bar, whatever it holds; records fills; signals when stopped."""

    NAME: ClassVar[str] = "test_always_buy"
    fills: ClassVar[list[OrderFilled]] = []

    def on_bar(self, ctx: StrategyContext, bar: Candle) -> None:
        ctx.buy(1)

    def on_fill(self, ctx: StrategyContext, fill: OrderFilled) -> None:
        AlwaysBuy.fills.append(fill)
        ctx.signal("FLAT", reason="filled")

    def on_stop(self, ctx: StrategyContext) -> None:
        ctx.signal("FLAT", reason="stopped")


@pytest.fixture
def test_strategies(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for cls in (Raiser, AlwaysBuy):
        monkeypatch.setitem(BUILTINS, cls.NAME, cls)
    AlwaysBuy.fills.clear()
    yield {"raiser": "builtin:test_raiser", "always_buy": "builtin:test_always_buy"}
