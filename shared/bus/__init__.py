"""The Kafka bus: publisher, consumer loop with contiguous commits, retry and DLQ, twin;
and a batch consumer for handlers that store their offsets with their own state."""

from shared.bus.admin import ensure_topics
from shared.bus.batch import Batch, BatchConsumer, BatchHandler
from shared.bus.consumer import ConsumerLoop
from shared.bus.dispatch import Dispatcher, Outcome
from shared.bus.errors import ErrorKind, TransientError, classify_error, make_classifier
from shared.bus.memory import MemoryBus
from shared.bus.memory_consumer import MemoryConsumer, RecordingSleep
from shared.bus.offsets import OffsetTracker
from shared.bus.options import ConsumerOptions
from shared.bus.producer import KafkaPublisher
from shared.bus.retry import RetryPolicy
from shared.bus.types import (
    AnyEnvelope,
    Handler,
    HandlerResult,
    Handlers,
    Headers,
    Publisher,
    Record,
)

__all__ = [
    "AnyEnvelope",
    "Batch",
    "BatchConsumer",
    "BatchHandler",
    "ConsumerLoop",
    "ConsumerOptions",
    "Dispatcher",
    "ErrorKind",
    "Handler",
    "HandlerResult",
    "Handlers",
    "Headers",
    "KafkaPublisher",
    "MemoryBus",
    "MemoryConsumer",
    "OffsetTracker",
    "Outcome",
    "Publisher",
    "Record",
    "RecordingSleep",
    "RetryPolicy",
    "TransientError",
    "classify_error",
    "ensure_topics",
    "make_classifier",
]
