"""A service's work loop that outlives its stores' outages.

It waits until every dependency answers, runs, and when a run fails it backs off (doubling
from the low bound up to the high one) and starts a fresh run, as a restarted process
would. The service stays up meanwhile; ``stop`` ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from shared.resources import Resource


class RestartingLoop:
    """Runs ``_run_once`` until stopped; a failed run is replaced after a backoff.

    Subclasses implement ``_run_once`` (it ends when ``_stop`` is set) and their own
    ``stop``: set ``_stop``, end what the run holds, then ``await self._finish()``.
    """

    def __init__(
        self,
        dependencies: Sequence[Resource],
        backoff_s: tuple[float, float],
        *,
        name: str,
        what: str,
    ) -> None:
        self._dependencies = tuple(dependencies)
        self._backoff_s = backoff_s
        self._name = name
        self._what = what
        # Failures are logged under the subclass's module, as each service names its own.
        self._log = logging.getLogger(type(self).__module__)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.failures = 0
        """Runs that failed in a row."""

    def start(self) -> None:
        """Begin in the background; returns at once."""
        self._stop.clear()
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def _finish(self) -> None:
        """Wait for the loop to end (after ``_stop`` was set)."""
        if self._task is not None:
            await self._task
            self._task = None

    async def _run_once(self) -> None:
        raise NotImplementedError

    async def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                await self._wait_for_dependencies()
                if self._stop.is_set():
                    return
                await self._run_once()
                self.failures = 0
            except Exception as exc:  # start over from the stores; the service stays up
                self.failures += 1
                self._log.error("%s failed (%d in a row)", self._what, self.failures, exc_info=exc)
                low, high = self._backoff_s
                with contextlib.suppress(TimeoutError):
                    delay = min(high, low * 2 ** (self.failures - 1))
                    await asyncio.wait_for(self._stop.wait(), delay)

    async def _wait_for_dependencies(self) -> None:
        while not self._stop.is_set():
            try:
                for dependency in self._dependencies:
                    await dependency.ping()
                return
            except Exception:  # not connected yet, or down: ask again shortly
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), 0.5)
