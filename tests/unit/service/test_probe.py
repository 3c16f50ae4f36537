"""The container health probe finds which service it is checking."""

from __future__ import annotations

from pathlib import Path

from shared.service.probe import main, package_of_pid1


def test_package_is_read_from_the_main_command(tmp_path: Path) -> None:
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"/app/.venv/bin/python\0-m\0market_data_engine\0")
    assert package_of_pid1(cmdline) == "market_data_engine"


def test_other_commands_are_not_services(tmp_path: Path) -> None:
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"tickstream\0migrate\0")
    assert package_of_pid1(cmdline) is None
    assert package_of_pid1(tmp_path / "missing") is None


def test_unknown_service_is_unhealthy() -> None:
    assert main(["not_a_service"]) == 1
