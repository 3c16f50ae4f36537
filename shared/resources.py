"""The small interface every infrastructure connection offers to the service shell.

A service holds one ``Resource`` per dependency (Kafka, Postgres, Redis, InfluxDB). The
shell calls ``start`` until it succeeds (a dependency may be down when the service
starts), ``ping`` periodically for readiness, and ``close`` once on shutdown. ``start``
and ``ping`` raise on failure; they never block longer than their timeout.
"""

from __future__ import annotations

from typing import Protocol


class Resource(Protocol):
    """A connection to one piece of infrastructure."""

    name: str

    async def start(self) -> None:
        """Connect; raise if the dependency cannot be reached."""
        ...

    async def ping(self) -> None:
        """Raise if the dependency does not answer right now."""
        ...

    async def close(self) -> None:
        """Release connections; safe to call when never started."""
        ...


class NotStartedError(RuntimeError):
    """A resource was used before its ``start()`` succeeded."""
