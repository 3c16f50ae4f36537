"""InfluxDB line protocol: ``measurement,tag=v field=1.5,n=3i 1700000000000000000``.

Escaping follows the rules InfluxDB 1.x, 2.x and 3.x share: measurement names escape
commas and spaces; tag keys, tag values and field keys escape commas, equals signs and
spaces (field keys also double quotes); string field values escape double quotes and
backslashes. Backslashes and control characters in names and tag values are refused:
the servers do not read them back the same way. Escaped names are cached, since the
same measurements, keys and symbols come round again and again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

FieldValue = float | int | bool | str | Decimal

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_MEASUREMENT = str.maketrans({",": "\\,", " ": "\\ "})
_TAG = str.maketrans({",": "\\,", " ": "\\ ", "=": "\\="})
_FIELD_KEY = str.maketrans({",": "\\,", " ": "\\ ", "=": "\\=", '"': '\\"'})
_STRING_VALUE = str.maketrans({"\\": "\\\\", '"': '\\"'})
_UNREADABLE = re.compile(r"[\x00-\x1f\x7f\\]")


def _check_name(name: str, what: str) -> None:
    if not name:
        raise ValueError(f"empty {what}")
    if _UNREADABLE.search(name):
        raise ValueError(f"{what} {name!r} has a backslash or control character")


@lru_cache(maxsize=4096)
def escape_measurement(name: str) -> str:
    """A measurement name as it appears in a line."""
    _check_name(name, "measurement")
    if name.startswith("#"):
        raise ValueError(f"measurement {name!r} would read as a comment line")
    return name.translate(_MEASUREMENT)


@lru_cache(maxsize=16384)
def escape_tag(text: str) -> str:
    """A tag key or tag value as it appears in a line."""
    _check_name(text, "tag key or value")
    return text.translate(_TAG)


@lru_cache(maxsize=4096)
def escape_field_key(key: str) -> str:
    """A field key as it appears in a line."""
    _check_name(key, "field key")
    if key == "time":
        raise ValueError("'time' cannot be a field key")
    return key.translate(_FIELD_KEY)


def format_field_value(value: FieldValue) -> str:
    """A field value: floats as written, ints with ``i``, Decimal as float, quoted strings."""
    if isinstance(value, float):  # the common case first: this runs once per field
        if math.isfinite(value):
            return repr(value)
        raise ValueError(f"field value {value!r}: InfluxDB stores only finite numbers")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError(f"integer field value {value} does not fit in 64 bits")
        return f"{int(value)}i"
    if isinstance(value, Decimal):
        return format_field_value(float(value))
    if isinstance(value, str):
        return f'"{value.translate(_STRING_VALUE)}"'
    raise TypeError(f"unsupported field value type {type(value).__name__}: {value!r}")


def line(
    measurement: str,
    tags: Mapping[str, str],
    fields: Mapping[str, FieldValue],
    ts_ns: int | None = None,
) -> str:
    """One line of line protocol; tags sorted by key, empty tag values left out."""
    if not fields:
        raise ValueError(f"a point of {measurement!r} needs at least one field")
    head = escape_measurement(measurement)
    if tags:
        if "time" in tags:
            raise ValueError("'time' cannot be a tag key")
        head += "".join(
            f",{escape_tag(key)}={escape_tag(tags[key])}" for key in sorted(tags) if tags[key]
        )
    body = ",".join(
        f"{escape_field_key(key)}={format_field_value(value)}" for key, value in fields.items()
    )
    if ts_ns is None:
        return f"{head} {body}"
    if type(ts_ns) is not int:
        raise TypeError(f"timestamp must be integer nanoseconds, got {ts_ns!r}")
    return f"{head} {body} {ts_ns}"


class Point(NamedTuple):
    """A point to write; ``line()`` is the faster path when points are not needed."""

    measurement: str
    tags: Mapping[str, str]
    fields: Mapping[str, FieldValue]
    ts_ns: int | None = None

    def to_line(self) -> str:
        return line(self.measurement, self.tags, self.fields, self.ts_ns)
