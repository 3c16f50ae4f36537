"""The order processor's crash points for the recovery tests.

``after-commit``: right after a command batch's transaction commits, before its Kafka
offsets are committed and before the relay can publish its events. ``after-publish``: right
after the relay published a batch of events, before it marks them sent. Off unless set
(``TICKSTREAM_ORDERS_CRASH_AT``); never set in production.
"""

from __future__ import annotations

from shared.service.faults import CrashPoint

__all__ = ["CrashPoint"]
