"""A crash point for recovery tests: the process kills itself where a crash hurts most.

Each service names its points and reads the chosen one from its settings (e.g.
``TICKSTREAM_ORDERS_CRASH_AT``); off unless set, never set in production.
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
        """Count a pass through ``point``; kill the process at the chosen one."""
        if not self.point or point != self.point:
            return
        self._left -= 1
        if self._left <= 0:
            log.critical("crash point %s reached: killing the process", point)
            os.kill(os.getpid(), signal.SIGKILL)
