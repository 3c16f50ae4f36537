"""Kafka topics of the platform: create what is missing, list what exists."""

from __future__ import annotations

from collections.abc import Sequence

from shared.stack.errors import StackError

TOPIC_ALREADY_EXISTS = 36
REQUEST_TIMEOUT_MS = 15_000


async def ensure_topics(
    bootstrap: str, wanted: Sequence[tuple[str, int]], replication_factor: int = 1
) -> list[str]:
    """Create each (name, partitions) topic that does not exist; return the names created.

    Existing topics are left alone, whatever their partition count.
    """
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=REQUEST_TIMEOUT_MS)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, partitions, replication_factor)
            for name, partitions in wanted
            if name not in existing
        ]
        if not missing:
            return []
        response = await admin.create_topics(missing, timeout_ms=REQUEST_TIMEOUT_MS)
    finally:
        await admin.close()
    failed = [
        f"{topic}: error {code} {message or ''}".rstrip()
        for topic, code, message in response.topic_errors
        if code not in (0, TOPIC_ALREADY_EXISTS)
    ]
    if failed:
        raise StackError("Kafka refused to create topics:\n  " + "\n  ".join(failed))
    return [topic.name for topic in missing]


async def list_topics(bootstrap: str) -> list[tuple[str, int]]:
    """(name, partition count) of every non-internal topic, sorted by name."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=REQUEST_TIMEOUT_MS)
    await admin.start()
    try:
        names = [name for name in await admin.list_topics() if not name.startswith("__")]
        described = await admin.describe_topics(names) if names else []
    finally:
        await admin.close()
    return sorted((d["topic"], len(d["partitions"])) for d in described)
