"""Times for the feed tests, written as ISO strings."""

from datetime import datetime

from shared.clock import NANOS_PER_SECOND, datetime_to_ns

SECOND = NANOS_PER_SECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def ns(text: str) -> int:
    """ISO 8601 with a zone (``2026-03-02T14:30:00Z``, ``...-06:00``) to UTC nanoseconds."""
    return datetime_to_ns(datetime.fromisoformat(text))
