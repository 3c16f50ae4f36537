"""A reader of line protocol following the InfluxDB 1.x scanner, to check the encoder."""

from __future__ import annotations

from typing import Any


def _split(text: str, sep: str, *, track_quotes: bool = False, limit: int = -1) -> list[str]:
    parts, current, i, quoted = [], [], 0, False
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and not (quoted and text[i + 1] not in '"\\'):
            current.append(text[i : i + 2])
            i += 2
            continue
        if track_quotes and char == '"':
            quoted = not quoted
        if char == sep and not quoted and limit != 0:
            parts.append("".join(current))
            current = []
            limit -= 1
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str, specials: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in specials:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _string(raw: str) -> str:
    out, i = [], 1
    while i < len(raw) - 1:
        if raw[i] == "\\" and raw[i + 1] in '"\\':
            out.append(raw[i + 1])
            i += 2
            continue
        assert raw[i] != '"', f"unescaped quote inside {raw!r}"
        out.append(raw[i])
        i += 1
    assert i == len(raw) - 1 and raw[i] == '"', f"unterminated string {raw!r}"
    return "".join(out)


def _value(raw: str) -> Any:
    if raw.startswith('"'):
        return _string(raw)
    if raw in ("true", "false"):
        return raw == "true"
    if raw.endswith("i"):
        return int(raw[:-1])
    return float(raw)


def read_line(text: str) -> tuple[str, dict[str, str], dict[str, Any], int | None]:
    """(measurement, tags, fields, timestamp) of one line."""
    # Quotes matter only after the first unescaped space (in the fields), as in 1.x.
    head_text, rest = _split(text, " ", limit=1)
    sections = [head_text, *_split(rest, " ", track_quotes=True)]
    assert len(sections) in (2, 3), sections
    head = _split(head_text, ",")
    measurement = _unescape(head[0], ", ")
    tags = {}
    for pair in head[1:]:
        key, value = _split(pair, "=", limit=1)
        tags[_unescape(key, ", =")] = _unescape(value, ", =")
    fields = {}
    for pair in _split(sections[1], ",", track_quotes=True):
        key, value = _split(pair, "=", track_quotes=True, limit=1)
        fields[_unescape(key, ', ="')] = _value(value)
    return measurement, tags, fields, int(sections[2]) if len(sections) == 3 else None
