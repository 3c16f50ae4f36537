"""Where a backfill got to, kept in InfluxDB next to the candles it describes.

One point per job in measurement ``backfill_checkpoints`` (tag ``job``, timestamp 0, so each
save replaces the last): the file being loaded, how many of its rows are written, the
candles held back at the chunk edge and each symbol's newest time. Stored with the data, a
checkpoint goes when its database goes and never claims rows another database lacks. A
job is its files (path, size, modification time) and options: change either and it starts
afresh.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from market_data_engine.backfill.spec import InputSpec
from shared.tsdb import InfluxDB, line, quote_ident

MEASUREMENT = "backfill_checkpoints"
MAX_STATE_BYTES = 60_000  # InfluxDB refuses string fields over 64 KiB


@dataclass(frozen=True)
class Checkpoint:
    """Files before ``file_index`` are loaded, and ``rows_done`` rows of that one."""

    file_index: int = 0
    rows_done: int = 0
    held: list[list[Any]] = field(default_factory=list)
    last_ts: dict[str, int] = field(default_factory=dict)
    done: bool = False

    def encode(self) -> str:
        """Compact text for one string field."""
        raw = json.dumps(asdict(self), separators=(",", ":")).encode()
        text = base64.b64encode(zlib.compress(raw, 6)).decode()
        if len(text) > MAX_STATE_BYTES:
            raise ValueError(
                f"checkpoint of {len(text)} bytes is too large: backfill fewer symbols at once"
            )
        return text

    @classmethod
    def decode(cls, text: str) -> Checkpoint:
        data = json.loads(zlib.decompress(base64.b64decode(text)))
        return cls(**data)


def job_id(files: Sequence[Path], spec: InputSpec, timeframes: Sequence[str]) -> str:
    """A stable name for loading these files, as they are now, with these options."""
    identity: list[Any] = []
    for path in files:
        stat = path.stat()
        identity.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    identity.append({key: str(value) for key, value in asdict(spec).items()})
    identity.append(list(timeframes))
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
    return digest[:20]


class CheckpointStore:
    """Checkpoints of backfill jobs in an InfluxDB database."""

    def __init__(self, influx: InfluxDB) -> None:
        self._influx = influx

    async def load(self, job: str) -> Checkpoint | None:
        """The job's checkpoint, or None when it never ran here."""
        statement = f'SELECT "state" FROM {quote_ident(MEASUREMENT)} WHERE "job" = $job'
        series = await self._influx.query(statement, params={"job": job})
        if not series or not series[0].values:
            return None
        return Checkpoint.decode(series[0].values[-1][1])

    async def save(self, job: str, checkpoint: Checkpoint) -> None:
        """Replace the job's checkpoint."""
        await self._influx.write_lines(
            [line(MEASUREMENT, {"job": job}, {"state": checkpoint.encode()}, 0)]
        )
