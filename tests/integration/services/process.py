"""Run one service as ``python -m <package>`` on a free port and watch its readiness."""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from shared.settings import ServiceSettings
from tests.infra import Endpoints

# Short checks so an outage shows within a second or two instead of the default pace.
FAST_CHECKS = {
    "TICKSTREAM_DEPENDENCY_CHECK_INTERVAL_S": "0.25",
    "TICKSTREAM_DEPENDENCY_CHECK_TIMEOUT_S": "1.5",
    "TICKSTREAM_SHUTDOWN_TIMEOUT_S": "15",
}
READY_TIMEOUT_S = 60.0
EXIT_TIMEOUT_S = 30.0


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def service_env(package: str, port: int, infra: Endpoints, **overrides: str) -> dict[str, str]:
    """The environment of a service process: this machine's, without stray TICKSTREAM_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TICKSTREAM_")}
    env.update(
        {
            "TICKSTREAM_ENVIRONMENT": "test",
            "TICKSTREAM_JWT_SECRET": "integration-test-secret-not-a-placeholder",
            "TICKSTREAM_HTTP_HOST": "127.0.0.1",
            f"TICKSTREAM_{package.upper()}_PORT": str(port),
            "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
            "TICKSTREAM_POSTGRES_DSN": infra.postgres_dsn,
            "TICKSTREAM_REDIS_URL": infra.redis_url,
            "TICKSTREAM_INFLUX_URL": infra.influx_url,
            "TICKSTREAM_INFLUX_DATABASE": infra.influx_database,
            **FAST_CHECKS,
        }
    )
    env.update(overrides)
    return env


class ServiceProcess:
    """One service process; its output goes to a log file shown when a check fails."""

    def __init__(self, package: str, env: dict[str, str], workdir: Path) -> None:
        self.package = package
        self.port = int(env[f"TICKSTREAM_{package.upper()}_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"{package}.log"
        # The work dir holds no .env file, so only the environment above configures it.
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", package],
                cwd=workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    async def ready(self, client: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
        """(status, body) of ``/ready``; (0, {}) while the process does not answer."""
        try:
            response = await client.get(f"{self.url}/ready", timeout=2.0)
        except httpx.TransportError:
            return 0, {}
        return response.status_code, response.json()

    async def wait_ready_status(
        self, client: httpx.AsyncClient, wanted: int, timeout_s: float = READY_TIMEOUT_S
    ) -> dict[str, Any]:
        """Poll ``/ready`` until it answers ``wanted``; fail with the service's log if not."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        status, body = 0, dict[str, Any]()
        while asyncio.get_running_loop().time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{self.package} exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            status, body = await self.ready(client)
            if status == wanted:
                return body
            await asyncio.sleep(0.2)
        raise AssertionError(
            f"{self.package} /ready stayed {status} (wanted {wanted}): {body}\n{self.log_tail()}"
        )

    def terminate(self, timeout_s: float = EXIT_TIMEOUT_S) -> int:
        """Send SIGTERM and wait for the exit status (killing it if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"{self.package} ignored SIGTERM for {timeout_s}s:\n{self.log_tail()}"
            ) from None


def down_dependencies(body: dict[str, Any]) -> list[str]:
    """Names of the dependencies a readiness body reports down."""
    return [d["name"] for d in body.get("dependencies", []) if not d["up"]]


def declared_dependencies(package: str) -> list[str]:
    """The dependencies the package's settings class declares."""
    module = importlib.import_module(f"{package}.settings")
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, ServiceSettings)
            and getattr(value, "service_name", None) == package
        ):
            return [str(dependency) for dependency in value.dependencies]
    raise LookupError(f"{package}.settings defines no ServiceSettings for {package}")
