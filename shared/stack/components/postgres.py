"""PostgreSQL from the distribution's package: one cluster under the stack folder."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from shared.stack import probes
from shared.stack.components.base import Component
from shared.stack.components.pgsetup import (
    bin_dir,
    cluster_home,
    prepare_fallback,
    system_user,
    user_ids,
)
from shared.stack.errors import StackError
from shared.stack.process import Identity
from shared.stack.settings import HOST

# Unix socket paths are limited to 107 bytes; past that the server listens on TCP only.
MAX_SOCKET_PATH = 100


class PostgresComponent(Component):
    """``postgres -D <stack>/postgres/data`` on 127.0.0.1, run as ``postgres`` when we are root."""

    stop_signal = signal.SIGINT  # "fast" shutdown: roll back sessions, checkpoint, exit

    @property
    def home(self) -> Path:
        """``<stack>/postgres``, or a folder under /var/lib/tickstream when the ``postgres``
        user cannot enter the stack folder (the stack folder then links to it)."""
        return cluster_home(super().home, self.layout.root, self.user())

    @property
    def port_settings(self) -> tuple[str, ...]:
        return ("postgres_port",)

    @property
    def url(self) -> str:
        return self.settings.postgres_dsn

    @property
    def data_dir(self) -> str:
        return str(self.home / "data")

    @property
    def admin_dsn(self) -> str:
        """The DSN of the ``postgres`` database, which exists before ours does."""
        s = self.settings
        return f"postgresql://{s.db_user}:{s.db_password}@{HOST}:{s.postgres_port}/postgres"

    def identity(self) -> Identity:
        return Identity(("postgres", f"-D {self.data_dir}"))

    def user(self) -> str | None:
        return system_user()

    def prepare(self) -> None:
        default = self.layout.home(self.name)
        if self.home != default:
            prepare_fallback(self.home, default)
        super().prepare()
        run_dir = self.home / "run"
        run_dir.mkdir(exist_ok=True)
        user = self.user()
        if user is not None:
            for path in (self.home, run_dir):
                os.chown(path, *user_ids(user))
        if not (self.home / "data" / "PG_VERSION").exists():
            self._initdb(user)

    def _initdb(self, user: str | None) -> None:
        password_file = self.home / "initdb.pw"
        password_file.write_text(self.settings.db_password + "\n")
        if user is not None:
            os.chown(password_file, *user_ids(user))
        try:
            result = subprocess.run(
                [
                    str(bin_dir() / "initdb"),
                    *("-D", self.data_dir, "-U", self.settings.db_user, "-E", "UTF8"),
                    *("--locale=C", f"--pwfile={password_file}"),
                    *("--auth-local=trust", "--auth-host=scram-sha-256"),
                ],
                check=False,
                capture_output=True,
                text=True,
                user=user,
                group=user,
                extra_groups=[] if user else None,
                cwd=self.home,
            )
        finally:
            password_file.unlink()
        if result.returncode != 0:
            raise StackError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def command(self) -> list[str]:
        socket_dir = str(self.home / "run")
        socket_path = f"{socket_dir}/.s.PGSQL.{self.settings.postgres_port}"
        return [
            str(bin_dir() / "postgres"),
            *("-D", self.data_dir, "-p", str(self.settings.postgres_port)),
            *("-k", socket_dir if len(socket_path) <= MAX_SOCKET_PATH else ""),
            *("-c", f"listen_addresses={HOST}", "-c", "max_connections=200"),
        ]

    async def probe(self) -> None:
        await probes.postgres(self.admin_dsn)

    async def provision(self) -> list[str]:
        """Create the stack's database unless it exists."""
        import asyncpg

        database = self.settings.database
        conn = await asyncpg.connect(self.admin_dsn, timeout=probes.PROBE_TIMEOUT_S)
        try:
            found = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
            if found:
                return []
            await conn.execute(f'CREATE DATABASE "{database}" OWNER "{self.settings.db_user}"')
        finally:
            await conn.close()
        return [f"database {database}"]
