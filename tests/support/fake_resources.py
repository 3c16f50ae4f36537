"""An in-memory ``Resource`` whose availability a test switches on and off."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class FakeResource:
    """Answers ``start``/``ping`` while ``available``; counts the calls it gets."""

    def __init__(self, name: str, *, available: bool = True) -> None:
        self.name = name
        self.available = available
        self.started = False
        self.closed = False
        self.start_calls = 0
        self.ping_calls = 0

    async def start(self) -> None:
        self.start_calls += 1
        self._check()
        self.started = True

    async def ping(self) -> None:
        self.ping_calls += 1
        self._check()

    async def close(self) -> None:
        self.closed = True
        self.started = False

    def _check(self) -> None:
        if not self.available:
            raise ConnectionRefusedError(f"{self.name} is down")


class HangingResource(FakeResource):
    """Never answers a ping (to prove the supervisor's own timeout)."""

    async def ping(self) -> None:
        self.ping_calls += 1
        await asyncio.Event().wait()


async def wait_until(condition: Callable[[], bool], *, timeout_s: float = 10.0) -> None:
    """Poll ``condition`` until true; fail the test if it stays false for ``timeout_s``."""
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110 - the condition is plain state, no event to await
            await asyncio.sleep(0.01)
