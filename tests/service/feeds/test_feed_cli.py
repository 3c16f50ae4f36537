"""The ``python -m market_data_engine.feeds`` entry, without Kafka (``--dry-run``)."""

import pytest

from market_data_engine.feeds.cli import main
from market_data_engine.feeds.cli_args import build_parser, duration_ns
from tests.unit.feeds.times import DAY, MINUTE


def test_a_dry_run_of_the_synthetic_market_publishes_its_trades(capsys):
    status = main(
        [
            "synthetic",
            "--symbols",
            "ESZ6,CLF7",
            "--seed",
            "7",
            "--speed",
            "max",
            "--start",
            "2026-03-02T15:00:00Z",
            "--duration",
            "2m",
            "--dry-run",
        ]
    )
    assert status == 0
    assert "last event time 2026-03-02T15:01:59" in capsys.readouterr().err


def test_a_dry_run_replay_reports_what_it_loaded_and_how_to_resume(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("time,px,qty\n2026-03-02 08:30:00,5120.25,1\n")
    status = main(
        [
            "replay",
            str(tmp_path / "t.csv"),
            "--columns",
            "ts=time,price=px,size=qty",
            "--tz",
            "America/Chicago",
            "--symbol",
            "ESZ6",
            "--dry-run",
            "--no-health",
        ]
    )
    err = capsys.readouterr().err
    assert status == 0
    assert "loaded 1 trades from 1 rows of 1 file(s)" in err
    assert "1 trades published, last event time 2026-03-02T14:30:00" in err
    assert "--skip 1" in err


def test_a_bad_file_exits_with_status_2_naming_the_problem(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("ts,price,size\n1,abc,1\n")
    status = main(["replay", str(tmp_path / "t.csv"), "--symbol", "ESZ6", "--ts-format", "s"])
    assert status == 2
    assert "t.csv, line 2, column 'price': 'abc' is not a number" in capsys.readouterr().err


def test_an_unknown_symbol_exits_with_status_2(capsys):
    assert main(["synthetic", "--symbols", "NOPE1", "--dry-run"]) == 2
    assert "unknown instrument 'NOPE1'" in capsys.readouterr().err


def test_speeds_and_durations_are_parsed():
    args = build_parser().parse_args(["synthetic", "--speed", "x20", "--duration", "1d"])
    assert (args.speed, args.duration) == (20.0, DAY)
    assert build_parser().parse_args(["replay", "f.csv"]).speed == 0.0  # replays default to max
    assert duration_ns("90s") == 1.5 * MINUTE
    with pytest.raises(SystemExit):
        build_parser().parse_args(["synthetic", "--speed", "warp"])
