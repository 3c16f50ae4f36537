"""Command-line arguments of ``python -m market_data_engine.feeds``."""

from __future__ import annotations

import argparse
import re

from market_data_engine.feeds.pacing import parse_speed
from market_data_engine.feeds.replay_values import Ambiguous
from market_data_engine.feeds.synthetic import DEMO_SYMBOLS
from shared.clock import NANOS_PER_SECOND

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h|d)?$")
_UNITS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_UNITS["d"] = 24 * _UNITS["h"]


def duration_ns(text: str) -> int:
    """``"90s"``, ``"15m"``, ``"1d"``, ``"250ms"`` (bare numbers are seconds) -> nanoseconds."""
    match = _DURATION.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30s, 15m, 1d")
    return round(float(match.group(1)) * _UNITS[match.group(2) or "s"])


def _speed(text: str) -> float:
    try:
        return parse_speed(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser, default_speed: str) -> None:
    parser.add_argument(
        "--speed",
        type=_speed,
        default=_speed(default_speed),
        help=f"1 = real time, 10 = ten times faster, max = as fast as possible "
        f"(default {default_speed})",
    )
    parser.add_argument("--batch-size", type=int, default=1000, help="trades per publish")
    parser.add_argument("--bootstrap", help="Kafka bootstrap servers (default from settings)")
    parser.add_argument("--topic", help="publish trades here instead of marketdata.trades")
    parser.add_argument("--status-topic", help="feed health events instead of marketdata.status")
    parser.add_argument(
        "--stale-after",
        type=duration_ns,
        default=60 * NANOS_PER_SECOND,
        help="a symbol silent this long in its session is stale (default 60s)",
    )
    parser.add_argument("--no-health", action="store_true", help="no feed health monitoring")
    parser.add_argument("--metrics-port", type=int, help="serve Prometheus metrics on this port")
    parser.add_argument(
        "--dry-run", action="store_true", help="make and encode the messages, publish nothing"
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser with its two feeds, ``synthetic`` and ``replay``."""
    parser = argparse.ArgumentParser(
        prog="python -m market_data_engine.feeds",
        description="Publish market data trades to Kafka from a synthetic market or files.",
    )
    feeds = parser.add_subparsers(dest="feed", required=True)

    synthetic = feeds.add_parser("synthetic", help="a seeded synthetic market")
    synthetic.add_argument("--symbols", default=",".join(DEMO_SYMBOLS), help="comma separated")
    synthetic.add_argument("--seed", type=int, default=0)
    synthetic.add_argument("--start", help="first event time, ISO 8601 (default now)")
    synthetic.add_argument("--duration", type=duration_ns, help="stop after this market time")
    synthetic.add_argument(
        "--always-open", action="store_true", help="trade around the clock, ignoring sessions"
    )
    synthetic.add_argument(
        "--activity", type=float, default=1.0, help="multiplies every trade rate"
    )
    _common(synthetic, "1")

    replay = feeds.add_parser("replay", help="trades or bars from CSV or Parquet files")
    replay.add_argument("files", nargs="+", help="CSV (.csv, .csv.gz) or Parquet files")
    replay.add_argument("--columns", default="", help="field=column,... e.g. ts=time,price=px")
    replay.add_argument("--bars", action="store_true", help="rows are bars, not trades")
    replay.add_argument("--bar-width", type=duration_ns, default=60 * NANOS_PER_SECOND)
    replay.add_argument("--bar-label", choices=("open", "close"), default="open")
    replay.add_argument(
        "--ts-format", default="iso", help="s, ms, us, ns (epoch), iso, or a strptime pattern"
    )
    replay.add_argument("--tz", default="UTC", help="time zone of naive timestamps")
    replay.add_argument(
        "--ambiguous", choices=[a.value for a in Ambiguous], default=Ambiguous.EARLIEST.value
    )
    replay.add_argument("--symbol", help="fixed symbol (replaces any symbol column)")
    replay.add_argument("--delimiter", default=",")
    replay.add_argument("--skip-bad-rows", action="store_true", help="count bad rows, go on")
    replay.add_argument("--skip", type=int, default=0, help="resume: trades already published")
    replay.add_argument("--max-pause", type=float, help="longest wait between trades, seconds")
    replay.add_argument(
        "--check-instruments",
        action="store_true",
        help="refuse unknown symbols and off-tick prices (standard futures registry)",
    )
    _common(replay, "max")
    return parser
