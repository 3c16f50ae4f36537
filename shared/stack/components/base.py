"""The shape every process of the local stack has."""

from __future__ import annotations

import signal
from abc import ABC, abstractmethod
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from shared.stack.errors import PortConflict
from shared.stack.layout import StackLayout
from shared.stack.process import Identity, running_pid
from shared.stack.settings import StackSettings


class Kind(StrEnum):
    """Infrastructure starts first and stops last; services need it."""

    INFRA = "infra"
    SERVICE = "service"


class Component(ABC):
    """One server of the local stack: how to prepare, start, recognise and check it."""

    kind: ClassVar[Kind] = Kind.INFRA
    stop_signal: ClassVar[signal.Signals] = signal.SIGTERM

    def __init__(self, name: str, settings: StackSettings, layout: StackLayout) -> None:
        self.name = name
        self.settings = settings
        self.layout = layout

    @property
    def home(self) -> Path:
        return self.layout.home(self.name)

    @property
    def log(self) -> Path:
        return self.layout.log(self.name)

    @property
    def pid_file(self) -> Path:
        return self.layout.pid_file(self.name)

    @property
    def timeout_s(self) -> float:
        return self.settings.infra_timeout_s

    @property
    @abstractmethod
    def port_settings(self) -> tuple[str, ...]:
        """Names of the ``StackSettings`` fields holding its ports, the one users use first."""

    @property
    def ports(self) -> tuple[int, ...]:
        """Ports it listens on; the first is the one users connect to."""
        return tuple(int(getattr(self.settings, name)) for name in self.port_settings)

    def needs_ports(self) -> list[PortConflict]:
        """Each port it needs, as the conflict it would be if something else held it."""
        return [
            PortConflict(self.name, getattr(self.settings, name), f"TICKSTREAM_{name.upper()}")
            for name in self.port_settings
        ]

    @property
    @abstractmethod
    def url(self) -> str:
        """Where users reach it."""

    @abstractmethod
    def identity(self) -> Identity:
        """How its process shows in /proc, to tell it from anything else."""

    @abstractmethod
    def command(self) -> list[str]:
        """The command line that runs it in the foreground."""

    @abstractmethod
    async def probe(self) -> None:
        """Raise unless it answers its protocol right now."""

    def prepare(self) -> None:
        """Blocking one-time set-up before start (folders, config files, initialisation)."""
        self.home.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str] | None:
        """Its environment; None inherits ours."""
        return None

    def user(self) -> str | None:
        """The system user it must run as; None runs it as us."""
        return None

    async def provision(self) -> list[str]:
        """Idempotent set-up once it answers; returns what was created."""
        return []

    def running_pid(self) -> int | None:
        """Its pid when the process recorded in its pid file is alive and ours."""
        return running_pid(self.pid_file, self.identity())
