"""The strategy workers' crash point for the recovery tests.

``after-publish``: right after a batch's orders were acknowledged by Kafka, before the
bars' offsets are committed, so the next process handles those bars again. Off unless set
(``TICKSTREAM_STRATEGY_CRASH_AT``); never set in production.
"""

from __future__ import annotations

from shared.service.faults import CrashPoint

__all__ = ["CrashPoint"]
