"""Keeps every dependency connected and knows, at each moment, which ones answer.

A service must start even when a dependency is down (the orchestrator starts everything
at once), so connecting is retried here in the background instead of failing start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from prometheus_client import Gauge

from shared.clock import Clock, SystemClock
from shared.observability.health import DependencyState
from shared.resources import Resource

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """A one-line description of an error for logs and the readiness report."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Supervisor:
    """Starts each resource until it succeeds, then pings it and tracks up/down state."""

    def __init__(
        self,
        resources: Sequence[Resource],
        *,
        interval_s: float,
        timeout_s: float,
        start_timeout_s: float = 10.0,
        max_backoff_s: float = 10.0,
        clock: Clock | None = None,
        gauge: Gauge | None = None,
    ) -> None:
        names = [resource.name for resource in resources]
        if len(set(names)) != len(names):
            raise ValueError(f"dependency names must be unique: {names}")
        self._resources = tuple(resources)
        self._interval = interval_s
        self._timeout = timeout_s
        self._start_timeout = start_timeout_s
        self._max_backoff = max(max_backoff_s, interval_s)
        self._clock = clock or SystemClock()
        self._gauge = gauge
        now = self._clock.now_ns()
        self._states = {
            name: DependencyState(name, False, now, "not connected yet") for name in names
        }
        self._logged: dict[str, bool | None] = dict.fromkeys(names)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        for name in names:
            self._set_gauge(name, up=False)

    @property
    def ready(self) -> bool:
        """True when every dependency answered its latest check."""
        return all(state.up for state in self._states.values())

    def states(self) -> list[DependencyState]:
        """The current state of each dependency, in declaration order."""
        return [self._states[resource.name] for resource in self._resources]

    def start(self) -> None:
        """Begin watching every resource in the background."""
        if self._tasks:
            raise RuntimeError("supervisor already started")
        self._stopping = False
        self._tasks = [
            asyncio.create_task(self._watch(resource), name=f"supervise-{resource.name}")
            for resource in self._resources
        ]

    async def stop(self) -> None:
        """Stop watching; the resources stay open (closing them is the owner's job)."""
        self._stopping = True
        pending, self._tasks = set(self._tasks), []
        # A cancellation can be lost inside a client's asyncio.wait_for (a Python 3.11
        # race), so cancel again until every watcher has really ended.
        while pending:
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.1)

    async def _watch(self, resource: Resource) -> None:
        await self._connect(resource)
        while not self._stopping:
            await asyncio.sleep(self._interval)
            try:
                async with asyncio.timeout(self._timeout):
                    await resource.ping()
            except Exception as exc:  # any failure to answer means "down", reported below
                self._record(resource.name, error=exc)
            else:
                self._record(resource.name, error=None)

    async def _connect(self, resource: Resource) -> None:
        backoff = self._interval
        while not self._stopping:
            try:
                async with asyncio.timeout(self._start_timeout):
                    await resource.start()
            except Exception as exc:  # reported as the dependency's state, then retried
                self._record(resource.name, error=exc)
                await self._release(resource)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
            else:
                self._record(resource.name, error=None)
                return

    async def _release(self, resource: Resource) -> None:
        """Free whatever a failed start left half-open before the next attempt."""
        try:
            async with asyncio.timeout(self._timeout):
                await resource.close()
        except Exception:
            log.exception("closing %s after a failed start failed", resource.name)

    def _record(self, name: str, *, error: BaseException | None) -> None:
        up = error is None
        previous = self._states[name]
        message = None if error is None else describe(error)
        if previous.up != up:
            self._states[name] = DependencyState(name, up, self._clock.now_ns(), message)
        elif message is not None:
            self._states[name] = DependencyState(name, up, previous.since_ns, message)
        self._set_gauge(name, up=up)
        if self._logged[name] is not up:
            self._logged[name] = up
            if up:
                log.info("dependency %s is up", name, extra={"dependency": name})
            else:
                log.warning("dependency %s is down: %s", name, message, extra={"dependency": name})

    def _set_gauge(self, name: str, *, up: bool) -> None:
        if self._gauge is not None:
            self._gauge.labels(dependency=name).set(1 if up else 0)
