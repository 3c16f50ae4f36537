"""Gap reports: intervals without a candle while the instrument's session was open."""

from market_data_engine.gaps.compute import Gap, GapCount, find_gaps, in_session
from market_data_engine.gaps.intervals import intervals, session_windows
from market_data_engine.gaps.report import (
    GapReport,
    GapReports,
    InfluxOpenTimes,
    OpenTimes,
    RangeTooLarge,
)

__all__ = [
    "Gap",
    "GapCount",
    "GapReport",
    "GapReports",
    "InfluxOpenTimes",
    "OpenTimes",
    "RangeTooLarge",
    "find_gaps",
    "in_session",
    "intervals",
    "session_windows",
]
