"""Apache Kafka's jars, resolved from Maven Central by the project in ``deploy/local``."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

from shared.stack.errors import StackError

STAMP = ".pom.sha256"
MIN_JAVA = 17


def pom_path(repo_root: Path) -> Path:
    return repo_root / "deploy" / "local" / "pom.xml"


def ensure_jars(repo_root: Path, libs: Path) -> bool:
    """Copy the broker's runtime jars into ``libs`` unless they match the pom already.

    Resolves into a fresh folder and swaps it in, so a changed Kafka version never leaves
    old jars on the class path. Returns True when it resolved.
    """
    pom = pom_path(repo_root)
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    stamp = libs / STAMP
    if stamp.exists() and stamp.read_text().strip() == digest:
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StackError("Maven (mvn) is not installed; run `make setup`")
    staging = libs.with_name(libs.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(
        [
            *(mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(pom)),
            *("dependency:copy-dependencies", "-DincludeScope=runtime"),
            f"-DoutputDirectory={staging}",
        ],
        check=False,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-30:]
        raise StackError("resolving Kafka's jars with Maven failed:\n" + "\n".join(output))
    (staging / STAMP).write_text(digest + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    staging.rename(libs)
    return True


def java_binary() -> str:
    """The ``java`` on PATH, checked to be at least Java 17 (Kafka 4 needs it)."""
    java = shutil.which("java")
    if java is None:
        raise StackError("Java is not installed; run `make setup`")
    output = subprocess.run([java, "-version"], check=False, capture_output=True, text=True).stderr
    major = java_major(output)
    if major is None or major < MIN_JAVA:
        raise StackError(f"Kafka needs Java {MIN_JAVA} or newer; `{java} -version` says: {output}")
    return java


def java_major(version_output: str) -> int | None:
    """The major version from ``java -version`` output (``"17.0.15"`` -> 17, ``"1.8.0"`` -> 8)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major
