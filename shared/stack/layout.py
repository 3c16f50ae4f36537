"""The folders and files of the local stack under its one directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StackLayout:
    """Paths under the stack directory: ``<root>/<component>/``, ``logs/`` and ``run/``."""

    root: Path

    @classmethod
    def at(cls, root: Path) -> StackLayout:
        return cls(root.expanduser().resolve())

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    def home(self, component: str) -> Path:
        """The data and configuration folder of one component."""
        return self.root / component

    def log(self, component: str) -> Path:
        return self.logs / f"{component}.log"

    @property
    def lock_file(self) -> Path:
        return self.run / "stack.lock"

    def pid_file(self, component: str) -> Path:
        return self.run / f"{component}.pid"

    def create(self) -> None:
        """Create the stack folders; other users (postgres) must be able to traverse them."""
        for folder in (self.root, self.logs, self.run):
            folder.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
