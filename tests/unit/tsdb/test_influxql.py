"""Query answers parsed into series, errors raised, and InfluxQL quoting."""

from __future__ import annotations

import pytest

from shared.tsdb import InfluxError, Series, parse_query_response, quote_ident, quote_string


def test_series_of_every_statement_are_returned_in_order_with_their_tags():
    body = {
        "results": [
            {
                "statement_id": 0,
                "series": [
                    {
                        "name": "bars",
                        "tags": {"symbol": "ES"},
                        "columns": ["time", "close", "trades"],
                        "values": [[1, 4321.25, 7], [2, 4322.0, 3]],
                    },
                    {
                        "name": "bars",
                        "tags": {"symbol": "NQ"},
                        "columns": ["time", "close", "trades"],
                        "values": [[1, 15000.5, 1]],
                    },
                ],
            },
            {"statement_id": 1, "series": [{"name": "m", "columns": ["time", "v"], "values": []}]},
        ]
    }
    series = parse_query_response(body)
    assert [(s.name, s.tags, s.statement_id) for s in series] == [
        ("bars", {"symbol": "ES"}, 0),
        ("bars", {"symbol": "NQ"}, 0),
        ("m", {}, 1),
    ]
    assert series[0].columns == ("time", "close", "trades")
    assert series[0].values == [[1, 4321.25, 7], [2, 4322.0, 3]]


def test_rows_are_keyed_by_column():
    series = Series("m", ("time", "v"), [[5, 1.5], [6, None]])
    assert series.rows() == [{"time": 5, "v": 1.5}, {"time": 6, "v": None}]


def test_a_statement_without_series_gives_nothing():
    assert parse_query_response({"results": [{"statement_id": 0}]}) == []


def test_a_statement_error_is_raised_with_its_message():
    body = {"results": [{"statement_id": 0, "error": "database not found: nope"}]}
    with pytest.raises(InfluxError, match="statement 0 failed: database not found: nope"):
        parse_query_response(body)


def test_a_top_level_error_is_raised_with_its_message():
    with pytest.raises(InfluxError, match="error parsing query"):
        parse_query_response({"error": "error parsing query: found EOF"})


def test_an_answer_that_is_not_an_object_is_refused():
    with pytest.raises(InfluxError, match="not a JSON object"):
        parse_query_response([1, 2])


def test_identifiers_are_double_quoted_with_escapes():
    assert quote_ident('my "db"\\x') == '"my \\"db\\"\\\\x"'


def test_string_literals_are_single_quoted_with_escapes():
    assert quote_string("it's\\") == "'it\\'s\\\\'"
