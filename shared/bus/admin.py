"""Creating topics (and their dead-letter twins) with the partition counts declared."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from shared.messages.topics import DLQ_SUFFIX

log = logging.getLogger(__name__)


def with_dlq_twins(topics: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Each topic and its ``.dlq`` twin (same partitions), without duplicates."""
    wanted: dict[str, int] = {}
    for name, partitions in topics:
        wanted.setdefault(name, partitions)
        if not name.endswith(DLQ_SUFFIX):
            wanted.setdefault(name + DLQ_SUFFIX, partitions)
    return wanted


async def ensure_topics(
    bootstrap: str,
    topics: Sequence[tuple[str, int]],
    *,
    dlq: bool = True,
    replication_factor: int = 1,
    timeout_s: float = 30.0,
) -> list[str]:
    """Create the topics that do not exist yet (and DLQ twins); returns those created.

    Idempotent: existing topics are left as they are, whatever their partition count.
    """
    wanted = with_dlq_twins(topics) if dlq else dict(topics)
    timeout_ms = int(timeout_s * 1000)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=timeout_ms)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return []
        response = await admin.create_topics(
            [NewTopic(name, wanted[name], replication_factor) for name in missing],
            timeout_ms=timeout_ms,
        )
        created: list[str] = []
        for topic_error in response.topic_errors:
            name, code = topic_error[0], topic_error[1]
            error_type = for_code(code) if code else None
            if error_type is None:
                created.append(name)
            elif error_type is not TopicAlreadyExistsError:  # a concurrent creator won
                raise error_type(f"creating topic {name} failed: {topic_error}")
        log.info("created topics: %s", ", ".join(sorted(created)))
        return sorted(created)
    finally:
        await admin.close()
