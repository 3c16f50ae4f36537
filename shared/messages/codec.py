"""Encoding and decoding of envelopes: bytes on the wire, decoded once, validated once."""

from __future__ import annotations

from typing import Any

import pydantic
import pydantic_core

from shared.messages.envelope import Envelope, Payload
from shared.messages.registry import envelope_for

HEADER_TYPE = "type"
HEADER_VERSION = "version"
HEADER_MESSAGE_ID = "message_id"

Headers = list[tuple[str, bytes]]

_TYPE_PROBE = pydantic.TypeAdapter(dict[str, Any])


class DecodeError(Exception):
    """A message that cannot be decoded or validated; ``reason`` is a stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def encode(envelope: Envelope[Payload]) -> bytes:
    """The envelope as compact JSON bytes."""
    return envelope.__pydantic_serializer__.to_json(envelope)


def headers_for(envelope: Envelope[Payload]) -> Headers:
    """Kafka headers that let a consumer route a message before parsing it."""
    return [
        (HEADER_TYPE, envelope.type.encode()),
        (HEADER_VERSION, str(envelope.version).encode()),
        (HEADER_MESSAGE_ID, str(envelope.message_id).encode()),
    ]


def _type_and_version(value: bytes, headers: Headers | None) -> tuple[str, int]:
    found = dict(headers or ())
    if HEADER_TYPE in found and HEADER_VERSION in found:
        try:
            return found[HEADER_TYPE].decode(), int(found[HEADER_VERSION])
        except (UnicodeDecodeError, ValueError) as exc:
            raise DecodeError("bad_headers", f"type/version headers unreadable: {exc}") from exc
    try:
        body = pydantic_core.from_json(value)
    except ValueError as exc:
        raise DecodeError("malformed_json", str(exc)) from exc
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise DecodeError("missing_type", "message has no type header and no 'type' field")
    version = body.get("version")
    if not isinstance(version, int):
        raise DecodeError("missing_version", "message has no version header or 'version' field")
    return body["type"], version


def decode(value: bytes | None, headers: Headers | None = None) -> Envelope[Payload]:
    """Bytes (and headers) to a validated, typed envelope, or DecodeError saying why."""
    if not value:
        raise DecodeError("empty", "message has no value")
    type_, version = _type_and_version(value, headers)
    cls = envelope_for(type_, version)
    if cls is None:
        raise DecodeError("unknown_type", f"no schema for {type_} v{version}")
    try:
        envelope = cls.model_validate_json(value)
    except pydantic.ValidationError as exc:
        raise DecodeError("invalid", _summarise(exc)) from exc
    if envelope.type != type_ or envelope.version != version:
        raise DecodeError(
            "header_mismatch",
            f"headers say {type_} v{version}, body says {envelope.type} v{envelope.version}",
        )
    return envelope


def _summarise(exc: pydantic.ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "message"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
