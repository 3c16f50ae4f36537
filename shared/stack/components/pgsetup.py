"""Where the PostgreSQL binaries are and which user may run them."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
from pathlib import Path

from shared.stack.errors import StackError

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"


def bin_dir() -> Path:
    """The newest Debian PostgreSQL ``bin`` folder, else the folder of ``postgres`` on PATH."""
    versions = sorted(
        (p for p in DEBIAN_ROOT.glob("*/bin") if (p / "postgres").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    found = shutil.which("postgres")
    if found is None:
        raise StackError("PostgreSQL is not installed; run `make setup`")
    return Path(found).parent


def system_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the ``postgres`` system user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError as exc:
        raise StackError("running as root needs the `postgres` system user") from exc
    return SYSTEM_USER


def ensure_reachable(folder: Path, user: str) -> None:
    """Raise unless ``user`` can traverse every folder above ``folder``."""
    entry = pwd.getpwnam(user)
    groups = {g.gr_gid for g in grp.getgrall() if user in g.gr_mem} | {entry.pw_gid}
    for parent in folder.resolve().parents:
        info = parent.stat()
        if info.st_uid == entry.pw_uid:
            bit = stat.S_IXUSR
        elif info.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            raise StackError(
                f"PostgreSQL runs as `{user}`, who cannot enter {parent}; "
                "set TICKSTREAM_STACK_DIR to a folder outside it (e.g. /var/tmp/tickstream)"
            )


def user_ids(user: str) -> tuple[int, int]:
    """(uid, gid) of a system user."""
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid
