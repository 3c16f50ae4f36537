"""API times: ISO 8601 with Z out (as ``ns_to_iso``), ISO or epoch nanoseconds in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.clock import ns_to_iso
from shared.times import iso, parse_time


@given(st.integers(min_value=0, max_value=4_102_444_800 * 10**9))
def test_iso_is_the_platform_format(ns: int) -> None:
    assert iso(ns) == ns_to_iso(ns)


@given(st.integers(min_value=0, max_value=4_102_444_800 * 10**9))
def test_parse_time_reads_back_iso(ns: int) -> None:
    assert parse_time(iso(ns)) == ns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1709900000000000000", 1_709_900_000_000_000_000),
        ("2024-03-08T12:00:00Z", 1_709_899_200_000_000_000),
        ("2024-03-08T13:00:00+01:00", 1_709_899_200_000_000_000),
        ("2024-03-08T12:00:00.000000001Z", 1_709_899_200_000_000_001),
        ("2024-03-08T12:00:00.5Z", 1_709_899_200_500_000_000),
        ("2024-03-08", 1_709_856_000_000_000_000),
        (" 2024-03-08T12:00:00Z ", 1_709_899_200_000_000_000),
    ],
)
def test_parse_time_accepts_zoned_iso_dates_and_epoch_nanoseconds(text: str, expected: int) -> None:
    assert parse_time(text) == expected


def test_parse_time_refuses_a_time_without_zone() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        parse_time("2024-03-08T12:00:00")


@pytest.mark.parametrize("text", ["yesterday", "", "12:00", "2024-13-01", "1.5e18"])
def test_parse_time_refuses_what_is_not_a_time(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(text)
