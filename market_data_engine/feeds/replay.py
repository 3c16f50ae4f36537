"""Replay: trades (or bars) from CSV and Parquet files, merged into event-time order.

Every file is read and checked before anything is published, so a bad row stops the replay
with nothing sent (unless ``skip_bad_rows``, which counts them); files may be unsorted and
several files interleave. Equal times keep file order, then row order. The whole replay is
held in memory; very large histories go through ``tickstream backfill`` instead.

To resume a replay that stopped, pass ``skip`` = the trades already published (the order is
deterministic for the same files and options).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from market_data_engine.feeds.base import FeedTrade
from market_data_engine.feeds.paced import PacedFeed, Sleep
from market_data_engine.feeds.replay_files import ReplayError, open_file
from market_data_engine.feeds.replay_rows import ReplayOptions, RowConverter, RowError
from shared.clock import Clock


@dataclass
class ReplayStats:
    """What loading read: rows, bad rows skipped, trades made, and whether input was sorted."""

    files: int = 0
    rows: int = 0
    bad_rows: int = 0
    trades: int = 0
    unsorted_files: int = 0
    first_bad: str | None = None


def load_trades(
    files: Sequence[Path | str], options: ReplayOptions
) -> tuple[list[FeedTrade], ReplayStats]:
    """All trades of the files in event-time order; ReplayError at the first bad row."""
    stats = ReplayStats()
    trades: list[FeedTrade] = []
    for name in files:
        path = Path(name)
        loaded = _load_file(path, options, stats)
        if any(a.ts > b.ts for a, b in itertools.pairwise(loaded)):
            stats.unsorted_files += 1
        trades.extend(loaded)
        stats.files += 1
    trades.sort(key=attrgetter("ts"))  # stable: ties keep file and row order
    stats.trades = len(trades)
    return trades, stats


def _load_file(path: Path, options: ReplayOptions, stats: ReplayStats) -> list[FeedTrade]:
    opened = open_file(path, options.columns, delimiter=options.delimiter)
    if "symbol" not in opened.fields and options.symbol is None:
        raise ReplayError(path, "no symbol column: map one (symbol=...) or give a fixed symbol")
    converter = RowConverter(options, opened.fields, opened.timestamp_format)
    trades: list[FeedTrade] = []
    for row in opened.rows:
        stats.rows += 1
        try:
            if row.problem is not None:
                raise ReplayError(path, row.problem, row=row.where)
            trades.extend(converter.convert(row.values))
        except (ReplayError, RowError) as exc:
            error = (
                exc
                if isinstance(exc, ReplayError)
                else ReplayError(path, exc.reason, row=row.where, column=exc.column)
            )
            if not options.skip_bad_rows:
                raise error from None
            stats.bad_rows += 1
            stats.first_bad = stats.first_bad or str(error)
    return trades


class ReplayFeed(PacedFeed):
    """Replay files as a ``Feed`` at ``speed`` (1 = real time, 0 = as fast as possible).

    Loads and checks everything at construction. ``skip`` leaves out the first trades (to
    resume); ``max_pause_s`` caps each wait (quiet nights at real time).
    """

    def __init__(
        self,
        files: Sequence[Path | str],
        options: ReplayOptions,
        *,
        speed: float = 0.0,
        skip: int = 0,
        max_batch: int = 1000,
        max_pause_s: float | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if skip < 0:
            raise ValueError("skip cannot be negative")
        trades, self.stats = load_trades(files, options)
        self.skipped = min(skip, len(trades))
        self.total = len(trades)
        remaining = trades[self.skipped :]
        super().__init__(
            "replay",
            remaining,
            speed=speed,
            origin_ns=remaining[0].ts if remaining else None,
            max_batch=max_batch,
            max_pause_s=max_pause_s,
            clock=clock,
            sleep=sleep or asyncio.sleep,
        )

    @property
    def position(self) -> int:
        """Trades published so far, counting those skipped: the ``skip`` to resume with."""
        return self.skipped + self.delivered
