"""Unit tests of the stack see the defaults, whatever the developer's shell or .env says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("TICKSTREAM_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # away from any .env file
