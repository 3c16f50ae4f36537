"""Messages: the envelope, versioned schemas, the topic registry and the codec."""

from shared.messages.codec import DecodeError, decode, encode, headers_for
from shared.messages.envelope import Envelope, Payload, WireDecimal, new_envelope
from shared.messages.registry import all_schemas, message, schema_for
from shared.messages.topics import TOPICS, Topic, topic_of

__all__ = [
    "TOPICS",
    "DecodeError",
    "Envelope",
    "Payload",
    "Topic",
    "WireDecimal",
    "all_schemas",
    "decode",
    "encode",
    "headers_for",
    "message",
    "new_envelope",
    "schema_for",
    "topic_of",
]

# Declares every schema, so that decoding always knows every (type, version).
import shared.messages.schemas  # noqa: F401
