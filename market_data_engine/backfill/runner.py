"""``tickstream backfill``: files of trades or 1-minute bars into candles of every timeframe.

Files are read in chunks of rows; each chunk becomes candles (per symbol and timeframe), the
complete ones are written to InfluxDB, and then the checkpoint records the rows done. The
next chunk is prepared in a worker thread while earlier ones are written, up to
``WRITES_IN_FLIGHT`` at a time; checkpoints are saved in order, each once its chunk and
all before it are written. Rerun after a stop, the job resumes after the last checkpoint;
rerun after it finished, it does nothing (``restart`` loads again: the same points are
rewritten, nothing is duplicated).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from market_data_engine.backfill.checkpoint import Checkpoint, CheckpointStore, job_id
from market_data_engine.backfill.chunks import CandleMaker
from market_data_engine.backfill.decode import decode
from market_data_engine.backfill.files import columns_of, count_rows, read_chunks
from market_data_engine.backfill.lines import candle_lines
from market_data_engine.backfill.merge import Stitcher
from market_data_engine.backfill.spec import InputSpec
from market_data_engine.domain.batch import CandleColumns
from market_data_engine.domain.candles import Scale
from market_data_engine.queries.catalog import Catalog
from shared.tsdb import InfluxDB

CHUNK_ROWS = 25_000
WRITES_IN_FLIGHT = 3  # InfluxDB ingests concurrent requests faster than one at a time


@dataclass(frozen=True)
class Backfill:
    """What to load: files in time order, how to read them, which timeframes to make."""

    files: tuple[Path, ...]
    spec: InputSpec
    timeframes: tuple[str, ...]
    chunk_rows: int = CHUNK_ROWS


@dataclass
class BackfillResult:
    """What a run did; ``already_done`` when an earlier run had finished the job."""

    job: str
    rows: int = 0
    resumed_from: Checkpoint | None = None
    candles: dict[str, int] = field(default_factory=dict)
    series: set[tuple[str, str]] = field(default_factory=set)
    already_done: bool = False


@dataclass(frozen=True)
class Step:
    """One chunk's candle lines and the checkpoint that holds once they are written."""

    lines: list[str]
    checkpoint: Checkpoint
    path: Path
    rows: int
    total_rows: int | None


Progress = Callable[[Path, int, int | None], None]
"""Called with a file, its rows done so far and its total rows (None: unknown)."""


class Backfiller:
    """Runs backfill jobs against one InfluxDB database (candles and checkpoints)."""

    def __init__(
        self, influx: InfluxDB, catalog: Catalog, progress: Progress | None = None
    ) -> None:
        self._influx = influx
        self._catalog = catalog
        self._checkpoints = CheckpointStore(influx)
        self._progress = progress or (lambda path, done, total: None)
        self._scales: dict[str, Scale] = {}

    async def run(self, job: Backfill, *, restart: bool = False) -> BackfillResult:
        """Load the job's files (resuming unless ``restart``); ReplayError on bad input."""
        name = job_id(job.files, job.spec, job.timeframes)
        saved = None if restart else await self._checkpoints.load(name)
        result = BackfillResult(name, resumed_from=saved)
        if saved is not None and saved.done:
            result.already_done = True
            return result
        steps = self._steps(job, saved or Checkpoint(), result)
        pending = asyncio.create_task(asyncio.to_thread(next, steps, None))
        writing: deque[tuple[asyncio.Task[int], Step]] = deque()
        try:
            while (step := await pending) is not None:
                pending = asyncio.create_task(asyncio.to_thread(next, steps, None))
                writing.append((asyncio.create_task(self._influx.write_lines(step.lines)), step))
                if len(writing) >= WRITES_IN_FLIGHT:
                    await self._settle(name, *writing.popleft())
            while writing:
                await self._settle(name, *writing.popleft())
        except BaseException:
            tasks = [task for task, _ in writing]
            for task in tasks:
                task.cancel()
            # Let the worker thread leave the generator before it can be closed.
            await asyncio.gather(pending, *tasks, return_exceptions=True)
            raise
        return result

    async def _settle(self, job: str, write: asyncio.Task[int], step: Step) -> None:
        """Once a step's lines are written (and all before them), save its checkpoint."""
        await write
        await self._checkpoints.save(job, step.checkpoint)
        self._progress(step.path, step.rows, step.total_rows)

    def _steps(self, job: Backfill, saved: Checkpoint, result: BackfillResult) -> Iterator[Step]:
        stitcher = Stitcher.restore(saved.held)
        maker = CandleMaker(job.spec, self._catalog, job.timeframes, saved.last_ts)
        path, done, total = Path(), 0, None
        for index, path in enumerate(job.files):
            if index < saved.file_index:
                continue
            done = saved.rows_done if index == saved.file_index else 0
            fields = job.spec.fields(path, columns_of(path, job.spec))
            total = count_rows(path)
            self._progress(path, done, total)
            for table in read_chunks(path, job.spec, fields, job.chunk_rows, done):
                rows = decode(table, path, done + 1, job.spec, fields)
                made = maker.make(rows, path)
                lines = self._lines(
                    [(s, tf, stitcher.take(s, tf, columns)) for s, tf, columns in made], result
                )
                done += table.num_rows
                result.rows += table.num_rows
                state = Checkpoint(index, done, stitcher.snapshot(), dict(maker.last_ts))
                yield Step(lines, state, path, done, total)
            state = Checkpoint(index + 1, 0, stitcher.snapshot(), dict(maker.last_ts))
            yield Step([], state, path, done, total)
        final = Checkpoint(len(job.files), 0, [], dict(maker.last_ts), done=True)
        yield Step(self._lines(stitcher.flush(), result), final, path, done, total)

    def _lines(
        self, candles: Sequence[tuple[str, str, CandleColumns]], result: BackfillResult
    ) -> list[str]:
        lines: list[str] = []
        for symbol, timeframe, columns in candles:
            scale = self._scales.get(symbol)
            if scale is None:
                scale = self._scales[symbol] = Scale.of(self._catalog.instrument(symbol))
            lines += candle_lines(symbol, timeframe, columns, scale)
            count = len(columns.open_time)
            result.candles[timeframe] = result.candles.get(timeframe, 0) + count
            if count:
                result.series.add((symbol, timeframe))
        return lines
