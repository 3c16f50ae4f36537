"""Crash points for the recovery tests: the process kills itself where a crash hurts most.

``after-commit``: right after a command batch's transaction commits, before its Kafka
offsets are committed and before the relay can publish its events. ``after-publish``: right
after the relay published a batch of events, before it marks them sent. Off unless set
(``TICKSTREAM_ORDERS_CRASH_AT``); never set in production.
"""

from __future__ import annotations

import logging
import os
import signal

log = logging.getLogger(__name__)


class CrashPoint:
    """Kills the process with SIGKILL the ``after``-th time ``hit(point)`` names its point."""

    def __init__(self, point: str = "", after: int = 1) -> None:
        self.point = point
        self._left = after

    def hit(self, point: str) -> None:
        if not self.point or point != self.point:
            return
        self._left -= 1
        if self._left <= 0:
            log.critical("crash point %s reached: killing the process", point)
            os.kill(os.getpid(), signal.SIGKILL)
