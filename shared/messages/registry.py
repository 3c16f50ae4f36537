"""The one registry of message schemas, keyed by (type, version)."""

from __future__ import annotations

from typing import TypeVar

from shared.messages.envelope import Envelope, Payload

P = TypeVar("P", bound=type[Payload])

_SCHEMAS: dict[tuple[str, int], type[Payload]] = {}
_ENVELOPES: dict[tuple[str, int], type[Envelope[Payload]]] = {}


def message(cls: P) -> P:
    """Class decorator: declare a payload schema under its ``TYPE`` and ``VERSION``."""
    key = (cls.TYPE, cls.VERSION)
    existing = _SCHEMAS.get(key)
    if existing is not None and existing is not cls:
        raise RuntimeError(f"message {key} declared twice: {existing.__name__}, {cls.__name__}")
    _SCHEMAS[key] = cls
    _ENVELOPES[key] = Envelope[cls]  # type: ignore[valid-type]
    return cls


def schema_for(type_: str, version: int) -> type[Payload] | None:
    """The payload class of a (type, version), or None if unknown."""
    return _SCHEMAS.get((type_, version))


def envelope_for(type_: str, version: int) -> type[Envelope[Payload]] | None:
    """The typed envelope class of a (type, version), or None if unknown."""
    return _ENVELOPES.get((type_, version))


def all_schemas() -> dict[tuple[str, int], type[Payload]]:
    """Every declared schema, importing the schema modules first."""
    import shared.messages.schemas  # noqa: F401  (declares them)

    return dict(sorted(_SCHEMAS.items()))
