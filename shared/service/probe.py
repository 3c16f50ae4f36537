"""Container health check: ``python -m shared.service.probe [package]`` exits 0 if alive.

One image runs all six services, so the image's HEALTHCHECK cannot name a port. Without
an argument the probe finds the package from the container's main command
(``python -m <package>`` as PID 1) and asks that service's ``/health``.
"""

from __future__ import annotations

import itertools
import sys
import urllib.request
from pathlib import Path

from shared.settings import SERVICE_PORTS, CommonSettings


def package_of_pid1(cmdline: Path = Path("/proc/1/cmdline")) -> str | None:
    """The package after ``-m`` in the main process's command line, if it is a service."""
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return None
    for flag, value in itertools.pairwise(args):
        if flag == b"-m" and value.decode() in SERVICE_PORTS:
            return value.decode()
    return None


def probe(package: str, timeout_s: float = 3.0) -> bool:
    """True if the service's ``/health`` answers 200."""
    port = CommonSettings().service_port(package)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout_s) as r:
            return int(r.status) == 200
    except OSError:
        return False


def main(argv: list[str]) -> int:
    """Exit status 0 when healthy, 1 otherwise."""
    package = argv[0] if argv else package_of_pid1()
    if package not in SERVICE_PORTS:
        print(f"unknown service {package!r}; expected one of {sorted(SERVICE_PORTS)}")
        return 1
    return 0 if probe(package) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
