"""Reading plain JSON data with a path for every error: objects, lists, numbers, text."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from shared.strategy.rules.errors import RuleError

ROOT = "$"
MAX_DEPTH = 64
"""How deeply conditions and values may nest (in path steps): far beyond any real rule,
well within the interpreter's recursion limit."""
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PLAIN_KEY = re.compile(r"^[^.\[\]\s'\"]+$")
_TIMEFRAME = re.compile(r"^([1-9][0-9]{0,3})([smhdw])$")
_UNIT_NS = {
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
    "d": 86400 * 10**9,
    "w": 7 * 86400 * 10**9,
}


def at(path: str, key: object) -> str:
    """The path of ``key`` inside the object at ``path``."""
    name = str(key)
    shown = name if _PLAIN_KEY.match(name) else f"[{name!r}]"
    if path == ROOT:
        return shown
    return f"{path}{shown}" if shown.startswith("[") else f"{path}.{shown}"


def item(path: str, index: int) -> str:
    """The path of item ``index`` of the list at ``path``."""
    return f"[{index}]" if path == ROOT else f"{path}[{index}]"


def nested(path: str) -> None:
    """Refuse a part nested more than ``MAX_DEPTH`` steps deep."""
    if path.count(".") + path.count("[") > MAX_DEPTH:
        raise RuleError(path, f"nested more than {MAX_DEPTH} levels deep")


def kind(data: object) -> str:
    """How a JSON value is described in errors."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true/false"
    if isinstance(data, (int, float)):
        return "a number"
    if isinstance(data, str):
        return "text"
    if isinstance(data, Mapping):
        return "an object"
    if isinstance(data, Sequence):
        return "a list"
    return type(data).__name__


def obj(
    data: object, path: str, required: Sequence[str] = (), optional: Sequence[str] = ()
) -> Mapping[str, Any]:
    """``data`` as an object with the ``required`` keys and no keys beyond ``optional``."""
    if not isinstance(data, Mapping):
        raise RuleError(path, f"expected an object, got {kind(data)}")
    allowed = (*required, *optional)
    for key in data:
        if key not in allowed:
            raise RuleError(at(path, key), f"unknown key (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in data:
            raise RuleError(path, f"missing key {key!r}")
    return data


def seq(data: object, path: str, *, least: int = 0, exactly: int | None = None) -> list[Any]:
    """``data`` as a list of at least ``least`` (or ``exactly``) items."""
    if isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Sequence):
        raise RuleError(path, f"expected a list, got {kind(data)}")
    if exactly is not None and len(data) != exactly:
        raise RuleError(path, f"expected {exactly} values, got {len(data)}")
    if len(data) < least:
        raise RuleError(
            path, f"expected at least {least} item{'s' * (least != 1)}, got {len(data)}"
        )
    return list(data)


def text(data: object, path: str) -> str:
    """``data`` as text."""
    if not isinstance(data, str):
        raise RuleError(path, f"expected text, got {kind(data)}")
    return data


def flag(data: object, path: str) -> bool:
    """``data`` as true or false."""
    if not isinstance(data, bool):
        raise RuleError(path, f"expected true or false, got {kind(data)}")
    return data


def number(data: object, path: str) -> int | float:
    """``data`` as a finite number (an int stays an int)."""
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise RuleError(path, f"expected a number, got {kind(data)}")
    if isinstance(data, float) and not math.isfinite(data):
        raise RuleError(path, f"expected a finite number, got {data!r}")
    return data


def name(data: object, path: str, what: str) -> str:
    """``data`` as a plain name (letters, digits and underscores, not starting with a digit)."""
    value = text(data, path)
    if not _NAME.match(value):
        raise RuleError(path, f"{what} {value!r} is not a name (letters, digits, _)")
    return value


def timeframe(data: object, path: str) -> str:
    """``data`` as a timeframe such as ``1m``, ``15m``, ``4h``, ``1d``."""
    value = text(data, path)
    if not _TIMEFRAME.match(value):
        raise RuleError(
            path, f"{value!r} is not a timeframe (a count and a unit among s, m, h, d, w: 15m)"
        )
    return value


def width_ns(timeframe_name: str) -> int:
    """How long a candle of a (valid) timeframe lasts, in nanoseconds."""
    match = _TIMEFRAME.match(timeframe_name)
    if match is None:
        raise ValueError(f"{timeframe_name!r} is not a timeframe")
    return int(match[1]) * _UNIT_NS[match[2]]
