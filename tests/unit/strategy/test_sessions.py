"""Session keys: a new key at each session of the instrument, or each UTC day."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.clock import datetime_to_ns
from shared.instruments import CME_GLOBEX
from shared.strategy.sessions import DAY_NS, SessionKeys
from tests.unit.trading.engine_support import chicago_ns


def test_without_a_session_the_key_changes_at_utc_midnight() -> None:
    keys = SessionKeys(None)
    day = 20_000 * DAY_NS
    assert keys(day) == keys(day + DAY_NS - 1) == day + DAY_NS
    assert keys(day + DAY_NS) == day + 2 * DAY_NS


def test_cme_session_runs_from_17h_to_16h_chicago() -> None:
    keys = SessionKeys(CME_GLOBEX)
    evening = keys(chicago_ns(2026, 3, 2, 17))  # Monday 17:00 opens Tuesday's session
    assert keys(chicago_ns(2026, 3, 3, 9)) == evening
    assert keys(chicago_ns(2026, 3, 3, 15, 59)) == evening
    assert evening == chicago_ns(2026, 3, 3, 16)
    assert keys(chicago_ns(2026, 3, 3, 17)) == chicago_ns(2026, 3, 4, 16)


def test_keys_are_the_same_whether_or_not_earlier_bars_were_seen() -> None:
    late = chicago_ns(2026, 3, 3, 12)
    warm = SessionKeys(CME_GLOBEX)
    warm(chicago_ns(2026, 3, 2, 18))
    assert warm(late) == SessionKeys(CME_GLOBEX)(late)


def test_a_bar_before_the_cached_span_is_looked_up_again() -> None:
    keys = SessionKeys(None)
    assert keys(5 * DAY_NS) == 6 * DAY_NS
    assert keys(2 * DAY_NS) == 3 * DAY_NS
    assert (
        datetime_to_ns(datetime(1970, 1, 4, tzinfo=UTC)) == 3 * DAY_NS
    )  # the day really ends at 00:00
