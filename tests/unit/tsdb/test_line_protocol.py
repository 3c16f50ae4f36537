"""Line protocol encoding: escaping, value formats, and refusals."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.tsdb import Point, format_field_value, line
from tests.unit.tsdb.lp_reader import read_line

# Names the servers read back unchanged: any printable text without backslashes, with the
# characters line protocol treats specially drawn often.
names = st.text(
    st.sampled_from(",= \"#'i")
    | st.characters(blacklist_categories=["Cc", "Cs"], blacklist_characters="\\"),
    min_size=1,
    max_size=12,
)
measurements = names.filter(lambda n: not n.startswith("#"))
keys = names.filter(lambda n: n != "time")
field_values = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    st.text(st.sampled_from('\\"=, \n') | st.characters(blacklist_categories=["Cs"]), max_size=20),
)
timestamps = st.none() | st.integers(min_value=-(2**62), max_value=2**63 - 1)


@settings(max_examples=300, derandomize=True)
@given(
    measurement=measurements,
    tags=st.dictionaries(keys, names, max_size=4),
    fields=st.dictionaries(keys, field_values, min_size=1, max_size=4),
    ts=timestamps,
)
def test_any_readable_names_and_values_round_trip(measurement, tags, fields, ts):
    assert read_line(line(measurement, tags, fields, ts)) == (measurement, tags, fields, ts)


@settings(max_examples=200, derandomize=True)
@given(text=st.text(st.sampled_from('\\"=, \nab'), max_size=12))
def test_string_fields_made_of_special_characters_round_trip(text):
    assert read_line(line("m", {}, {"s": text}, 1))[2] == {"s": text}


def test_special_characters_are_escaped_where_each_part_needs_it():
    encoded = line("cpu load,x", {"host name": "a=b,c"}, {'f "k"=': 'say "hi" \\o/'}, 5)
    assert encoded == 'cpu\\ load\\,x,host\\ name=a\\=b\\,c f\\ \\"k\\"\\==' + (
        '"say \\"hi\\" \\\\o/" 5'
    )


def test_measurement_keeps_equals_sign_unescaped():
    assert line("a=b", {}, {"v": 1}) == "a=b v=1i"


def test_tags_are_sorted_and_empty_values_left_out():
    encoded = line("bars", {"tf": "1m", "symbol": "ESZ5", "venue": ""}, {"close": 1.0}, 1)
    assert encoded == "bars,symbol=ESZ5,tf=1m close=1.0 1"


def test_timestamp_is_left_out_when_none():
    assert line("m", {}, {"v": True}) == "m v=true"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, "3i"),
        (-(2**63), "-9223372036854775808i"),
        (2.0, "2.0"),
        (1e16, "1e+16"),
        (0.1, "0.1"),
        (Decimal("4321.25"), "4321.25"),
        (Decimal("0.0000001"), "1e-07"),
        (True, "true"),
        (False, "false"),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("", '""'),
    ],
)
def test_field_values_are_formatted_by_type(value, expected):
    assert format_field_value(value) == expected


def test_float_fields_keep_full_precision():
    value = 0.1 + 0.2
    assert float(format_field_value(value)) == value


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, Decimal("NaN")])
def test_non_finite_numbers_are_refused(value):
    with pytest.raises(ValueError, match="finite"):
        format_field_value(value)


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
def test_integers_beyond_64_bits_are_refused(value):
    with pytest.raises(ValueError, match="64 bits"):
        format_field_value(value)


def test_unsupported_field_types_are_refused():
    with pytest.raises(TypeError, match="bytes"):
        format_field_value(b"x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("measurement", "tags", "fields"),
    [
        ("", {}, {"v": 1}),
        ("#comment", {}, {"v": 1}),
        ("back\\slash", {}, {"v": 1}),
        ("m", {"new\nline": "x"}, {"v": 1}),
        ("m", {"k": "tab\tvalue"}, {"v": 1}),
        ("m", {"": "x"}, {"v": 1}),
        ("m", {"time": "x"}, {"v": 1}),
        ("m", {}, {"time": 1}),
        ("m", {}, {"a\\b": 1}),
        ("m", {}, {}),
    ],
)
def test_unreadable_names_and_empty_points_are_refused(measurement, tags, fields):
    with pytest.raises(ValueError):
        line(measurement, tags, fields, 1)


def test_timestamp_must_be_integer_nanoseconds():
    with pytest.raises(TypeError, match="nanoseconds"):
        line("m", {}, {"v": 1}, 1.5)  # type: ignore[arg-type]


def test_point_encodes_like_line():
    point = Point("bars", {"symbol": "NQ"}, {"o": 1.5, "n": 2}, 7)
    assert point.to_line() == line("bars", {"symbol": "NQ"}, {"o": 1.5, "n": 2}, 7)
