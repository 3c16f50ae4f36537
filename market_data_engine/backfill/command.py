"""The ``backfill`` command's work: stores from the settings, a progress bar, a summary."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from market_data_engine.backfill.runner import Backfill, Backfiller, BackfillResult
from market_data_engine.backfill.spec import InputSpec
from market_data_engine.backfill.warm import warm_cache
from market_data_engine.queries import Catalog, InfluxCandles
from market_data_engine.queries.stores import influx_for
from market_data_engine.settings import MarketDataEngineSettings
from shared.cache import Cache
from shared.instruments import InstrumentRegistry

WRITE_BATCH_LINES = 10_000  # fewer, larger requests than the adapter's default


class ProgressBars:
    """One bar per file on stderr: rows done of the rows counted up front (if cheap)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._tasks: dict[Path, TaskID] = {}

    def __call__(self, path: Path, done: int, total: int | None) -> None:
        task = self._tasks.get(path)
        if task is None:
            task = self._tasks[path] = self._progress.add_task(path.name, total=total)
        self._progress.update(task, completed=done)


def summary(result: BackfillResult, files: int, cached: int | None) -> str:
    """What a run did, in a few lines."""
    if result.already_done:
        return f"already loaded (job {result.job}); pass --restart to load it again"
    resumed = result.resumed_from
    lines = [f"loaded {result.rows:,} rows from {files} file(s) (job {result.job})"]
    if resumed is not None:
        lines.append(f"resumed at file {resumed.file_index + 1}, row {resumed.rows_done + 1:,}")
    counts = ", ".join(f"{tf} {n:,}" for tf, n in result.candles.items())
    lines.append(f"candles written: {counts or 'none'}")
    if cached is not None:
        lines.append(f"newest candles cached in Redis: {cached:,}")
    return "\n".join(lines)


async def run_backfill(
    files: Sequence[Path],
    spec: InputSpec,
    timeframes: tuple[str, ...] | None,
    *,
    chunk_rows: int,
    restart: bool,
    warm: bool,
    cache_prefix: str = "tickstream",
    database: str | None = None,
) -> str:
    """Run the job against the configured InfluxDB (and Redis to warm); returns the summary."""
    settings = MarketDataEngineSettings()
    catalog = Catalog(InstrumentRegistry.with_standard_futures(), timeframes or settings.timeframes)
    names = tuple(tf.name for tf in catalog.timeframes)
    influx = influx_for(settings, database, batch_lines=WRITE_BATCH_LINES, timeout_s=60.0)
    await influx.start()
    try:
        if database is not None:  # one of the caller's own (InfluxDB 1.x creates it)
            await influx.create_database()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        times = (TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, *times, console=Console(stderr=True)) as progress:
            backfiller = Backfiller(influx, catalog, ProgressBars(progress))
            job = Backfill(tuple(files), spec, names, chunk_rows)
            result = await backfiller.run(job, restart=restart)
        cached = None
        if warm and not result.already_done:
            cache = Cache.from_settings(settings, prefix=cache_prefix)
            await cache.start()
            try:
                cached = await warm_cache(cache, InfluxCandles(influx), catalog, result.series)
            finally:
                await cache.close()
    finally:
        await influx.close()
    return summary(result, len(files), cached)
