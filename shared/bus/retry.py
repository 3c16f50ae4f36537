"""How often and how long to wait before retrying a failed handler."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from shared.bus.errors import Classifier, ErrorKind
from shared.bus.types import Sleep

T = TypeVar("T")

_MAX_EXPONENT = 62  # past this the cap applies anyway; avoids float overflow


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry limits and exponential backoff with jitter.

    ``max_attempts`` bounds how often a handler runs when it raises *permanent* errors
    (the first run included); after that the message is dead-lettered. *Transient* errors
    (infrastructure down) are retried without limit: the message is valid, dead-lettering
    it during an outage would lose it, and its offset stays uncommitted meanwhile.
    """

    max_attempts: int = 5
    base_backoff_s: float = 0.1
    max_backoff_s: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 < self.base_backoff_s <= self.max_backoff_s:
            raise ValueError("need 0 < base_backoff_s <= max_backoff_s")

    def gives_up(self, kind: ErrorKind, permanent_failures: int) -> bool:
        """True when a message should be dead-lettered instead of retried again."""
        return kind is ErrorKind.PERMANENT and permanent_failures >= self.max_attempts

    def backoff_s(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after the ``failures``-th failure in a row (1-based).

        Exponential and capped; jittered within the upper half of the step so that many
        consumers hitting the same outage do not retry in lockstep.
        """
        if failures < 1:
            raise ValueError("failures counts from 1")
        exponent = min(failures - 1, _MAX_EXPONENT)
        ceiling = min(self.max_backoff_s, self.base_backoff_s * 2.0**exponent)
        return rng.uniform(ceiling / 2, ceiling)


class GaveUp(Exception):
    """A step failed permanently ``max_attempts`` times; ``cause`` is the last error."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class Abandoned(Exception):
    """The caller asked to stop (shutdown, partition revoked) while a step was retrying."""


class Retrier:
    """Runs a step again and again as the policy and the error classifier say."""

    def __init__(
        self, policy: RetryPolicy, classifier: Classifier, sleep: Sleep, rng: random.Random
    ) -> None:
        self.policy = policy
        self._classify = classifier
        self._sleep = sleep
        self._rng = rng

    async def run(
        self,
        step: Callable[[], Awaitable[T]],
        *,
        keep_going: Callable[[], bool],
        on_retry: Callable[[ErrorKind, int, float, Exception], None],
    ) -> T:
        """The step's result; raises GaveUp, Abandoned, or a fatal error as it is."""
        failures = 0
        permanent_failures = 0
        while True:
            try:
                return await step()
            except Exception as exc:
                kind = self._classify(exc)
                if kind is ErrorKind.FATAL:
                    raise
                failures += 1
                permanent_failures += kind is ErrorKind.PERMANENT
                if self.policy.gives_up(kind, permanent_failures):
                    raise GaveUp(exc) from exc
                delay = self.policy.backoff_s(failures, self._rng)
                on_retry(kind, failures, delay, exc)
                await self.pause(delay, keep_going)

    async def pause(self, delay: float, keep_going: Callable[[], bool]) -> None:
        """Sleep, unless (or until) the caller wants to stop: then raise Abandoned."""
        if not keep_going():
            raise Abandoned
        await self._sleep(delay)
        if not keep_going():
            raise Abandoned

    def backoff_s(self, failures: int) -> float:
        """The policy's backoff with this retrier's random source."""
        return self.policy.backoff_s(failures, self._rng)
