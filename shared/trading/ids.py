"""Deterministic ids: the same command or trade always yields the same order and fill ids.

Replaying a command or a trade after a crash therefore produces rows and events with the
ids they had the first time, and the database's unique keys catch any second booking.
The ids are 128-bit BLAKE2b digests of the parts: a third the cost of ``uuid.uuid5`` on the
fill path, and as stable.
"""

from __future__ import annotations

import uuid
from hashlib import blake2b

_SEPARATOR = b"\x1f"
_UUID = uuid.UUID
_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def _uuid(value: int) -> uuid.UUID:
    """``uuid.UUID(int=value)`` for a value known to be 128 bits, without the argument checks.

    ``UUID.__init__`` sorts out which of its five forms it was given and range-checks the
    value, three times the cost of what it then does: set ``int`` and ``is_safe``.
    """
    made = _new(_UUID)
    _set(made, "int", value)
    _set(made, "is_safe", _UNKNOWN)
    return made


def derive_id(*parts: object) -> uuid.UUID:
    """A stable UUID of the parts (UUIDs by their bytes, others as text), separated."""
    data = _SEPARATOR.join(
        [p.int.to_bytes(16) if isinstance(p, _UUID) else str(p).encode() for p in parts]
    )
    return _uuid(int.from_bytes(blake2b(data, digest_size=16).digest()))
