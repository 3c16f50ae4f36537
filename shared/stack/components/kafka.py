"""Apache Kafka in KRaft mode: one combined broker and controller, run with Java 17."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable

from shared.messages.topics import all_topic_names
from shared.stack import probes
from shared.stack.components.base import Component
from shared.stack.errors import StackError
from shared.stack.kafkajars import ensure_jars, java_binary
from shared.stack.process import Identity
from shared.stack.render import kafka_properties, write_if_changed
from shared.stack.topics import ensure_topics


def new_cluster_id(random_bytes: Callable[[int], bytes] = os.urandom) -> str:
    """A Kafka cluster id: 16 random bytes, base64url without padding, not starting with '-'."""
    while True:
        cluster_id = base64.urlsafe_b64encode(random_bytes(16)).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


class KafkaComponent(Component):
    """``java -cp <stack>/kafka/libs/* kafka.Kafka <stack>/kafka/server.properties``."""

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("kafka_port", "kafka_controller_port")

    @property
    def url(self) -> str:
        return self.settings.kafka_bootstrap

    @property
    def properties(self) -> str:
        return str(self.home / "server.properties")

    def identity(self) -> Identity:
        return Identity(("kafka.Kafka", self.properties))

    def prepare(self) -> None:
        super().prepare()
        java_binary()
        ensure_jars(self.settings.repo_root, self.home / "libs")
        write_if_changed(
            self.home / "server.properties", kafka_properties(self.settings, self.layout)
        )
        if not (self.home / "data" / "meta.properties").exists():
            self._format()

    def _format(self) -> None:
        """Format the KRaft storage once, under a cluster id kept beside it."""
        id_file = self.home / "cluster.id"
        if not id_file.exists():
            id_file.write_text(new_cluster_id() + "\n")
        command = [*self._java("kafka.tools.StorageTool"), "format"]
        command += ["-t", id_file.read_text().strip(), "-c", self.properties]
        result = subprocess.run(
            command, check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if result.returncode != 0:
            raise StackError(f"formatting Kafka's storage failed:\n{result.stdout}{result.stderr}")

    def _java(self, main_class: str, heap: str = "256m") -> list[str]:
        log4j = self.settings.repo_root / "deploy" / "local" / "log4j2.xml"
        return [
            java_binary(),
            f"-Xmx{heap}",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={log4j}",
            *("-cp", f"{self.home / 'libs'}/*"),
            main_class,
        ]

    def command(self) -> list[str]:
        java = self._java("kafka.Kafka", self.settings.kafka_heap)
        return [java[0], "-Xms256m", "-XX:+UseG1GC", *java[1:], self.properties]

    async def probe(self) -> None:
        await probes.kafka(self.url)

    async def provision(self) -> list[str]:
        """Create every topic declared in ``shared`` (and its DLQ twin) that is missing."""
        created = await ensure_topics(self.url, all_topic_names())
        return [f"topic {name}" for name in created]
