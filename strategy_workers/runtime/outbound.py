"""Where the workers' messages go: each type to its configured topic, acks awaited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.bus.types import AnyEnvelope, Headers, TopicPublisher
from shared.messages.topics import TOPICS_BY_NAME


def topic_map(renamed: Mapping[str, str]) -> dict[str, str]:
    """Message type -> topic, for every type of the registered topics in ``renamed``
    (registered name -> the name to use, as the settings give it)."""
    return {
        message_type: name
        for registered, name in renamed.items()
        for message_type in TOPICS_BY_NAME[registered].message_types
    }


class Outbound:
    """A ``Publisher`` that sends each envelope to the topic its type maps to.

    ``publish_many`` returns once Kafka acknowledged every envelope, so its caller may then
    commit what caused them.
    """

    def __init__(self, publisher: TopicPublisher, topics: Mapping[str, str]) -> None:
        self._publisher = publisher
        self._topics = dict(topics)

    async def publish(self, envelope: AnyEnvelope, topic: str | None = None) -> None:
        await self.publish_many([envelope], topic=topic)

    async def publish_many(
        self, envelopes: Sequence[AnyEnvelope], topic: str | None = None
    ) -> None:
        if topic is not None:
            await self._publisher.publish_many(envelopes, topic=topic)
            return
        groups: dict[str | None, list[AnyEnvelope]] = {}
        for envelope in envelopes:
            groups.setdefault(self._topics.get(envelope.type), []).append(envelope)
        for target, group in groups.items():
            await self._publisher.publish_many(group, topic=target)

    async def publish_raw(
        self, topic: str, key: bytes | None, value: bytes | None, headers: Headers
    ) -> None:
        await self._publisher.publish_raw(topic, key, value, headers)
