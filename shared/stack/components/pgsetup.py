"""Where the PostgreSQL binaries are and which user may run them."""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import shutil
import stat
from pathlib import Path

from shared.stack.errors import StackError

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SYSTEM_USER = "postgres"
# Where the cluster lives when the ``postgres`` user cannot enter the stack folder (a
# checkout under /root, say): one folder per stack, found again from the stack's path.
FALLBACK_ROOT = Path("/var/lib/tickstream")


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


def blocking_parent(folder: Path, user: str) -> Path | None:
    """The first folder above ``folder`` that ``user`` cannot traverse, or None.

    ``folder`` itself is not followed, so a link to a fallback folder does not hide
    that the stack folder is out of reach.
    """
    entry = pwd.getpwnam(user)
    groups = {g.gr_gid for g in grp.getgrall() if user in g.gr_mem} | {entry.pw_gid}
    above = folder.parent.resolve()
    for parent in (above, *above.parents):
        if not parent.exists():
            continue  # created later by the stack, traversable
        info = parent.stat()
        if info.st_uid == entry.pw_uid:
            bit = stat.S_IXUSR
        elif info.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not info.st_mode & bit:
            return parent
    return None


def cluster_home(default: Path, stack_root: Path, user: str | None) -> Path:
    """``default`` unless ``user`` cannot reach it; then a folder of this stack under
    ``FALLBACK_ROOT``, which every user can traverse."""
    if user is None or blocking_parent(default, user) is None:
        return default
    digest = hashlib.sha256(str(stack_root.resolve()).encode()).hexdigest()[:16]
    return FALLBACK_ROOT / digest / default.name


def prepare_fallback(home: Path, link: Path) -> None:
    """Create the fallback folders (traversable) and a link to them from the stack folder."""
    for folder in (home.parent.parent, home.parent):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
    if not link.is_symlink() and not link.exists():
        link.symlink_to(home, target_is_directory=True)


def user_ids(user: str) -> tuple[int, int]:
    """(uid, gid) of a system user."""
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid
