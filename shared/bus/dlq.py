"""Dead-letter records: the original bytes, plus headers saying why and where from."""

from __future__ import annotations

from shared.bus.types import Headers, Record
from shared.messages.topics import DLQ_SUFFIX

DLQ_PREFIX = "dlq."
HEADER_REASON = "dlq.reason"
HEADER_DETAIL = "dlq.detail"
HEADER_SOURCE_TOPIC = "dlq.source.topic"
HEADER_SOURCE_PARTITION = "dlq.source.partition"
HEADER_SOURCE_OFFSET = "dlq.source.offset"
HEADER_CONSUMER = "dlq.consumer"
HEADER_TS = "dlq.ts"

REASON_DECODE_FAILED = "decode_failed"
REASON_NO_HANDLER = "no_handler"
REASON_HANDLER_FAILED = "handler_failed"
REASON_PUBLISH_FAILED = "publish_failed"

MAX_DETAIL_CHARS = 1000


def dlq_topic(source_topic: str) -> str:
    """The dead-letter twin of a topic."""
    return source_topic + DLQ_SUFFIX


def describe_error(exc: BaseException) -> str:
    """Error class and message, truncated to fit a header."""
    text = f"{type(exc).__name__}: {exc}"
    if len(text) > MAX_DETAIL_CHARS:
        return text[: MAX_DETAIL_CHARS - 3] + "..."
    return text


def dead_letter_headers(
    record: Record, *, reason: str, detail: str, consumer: str, ts_ns: int
) -> Headers:
    """The record's own headers (earlier ``dlq.*`` ones dropped) plus the error headers."""
    kept = [(k, v) for k, v in record.headers if not k.startswith(DLQ_PREFIX)]
    return [
        *kept,
        (HEADER_REASON, reason.encode()),
        (HEADER_DETAIL, detail.encode()),
        (HEADER_SOURCE_TOPIC, record.topic.encode()),
        (HEADER_SOURCE_PARTITION, str(record.partition).encode()),
        (HEADER_SOURCE_OFFSET, str(record.offset).encode()),
        (HEADER_CONSUMER, consumer.encode()),
        (HEADER_TS, str(ts_ns).encode()),
    ]
