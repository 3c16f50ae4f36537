#!/usr/bin/env bash
# Install what Tickstream's local stack and tests need, skipping what is already there:
# uv and the project's virtual environment; PostgreSQL, Redis, InfluxDB, Prometheus, Maven,
# Java 17 and Chromium from the distribution's packages (Debian or Ubuntu, as root or with
# sudo). Safe to run again: with everything installed it only checks, in a second or two.
set -euo pipefail

cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export UV_PYTHON_DOWNLOADS=never
export PATH="$HOME/.local/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo --preserve-env=DEBIAN_FRONTEND "$@"
    else
        echo "need root or sudo to run: $*" >&2
        exit 1
    fi
}

java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\.\{0,1\}\([0-9]*\).*/\1 \2/p' | head -n1 |
        awk '{ print ($1 == 1) ? $2 : $1 }'
}

missing=()
need() { missing+=("$1"); }

ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || command -v postgres >/dev/null || need postgresql
command -v redis-server >/dev/null || need redis-server
command -v influxd >/dev/null || need influxdb
command -v prometheus >/dev/null || need prometheus
command -v mvn >/dev/null || need maven
if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then need openjdk-17-jre-headless; fi
command -v chromium >/dev/null || need chromium
command -v chromedriver >/dev/null || need chromium-driver
if ! command -v uv >/dev/null && ! python3 -m pip --version >/dev/null 2>&1 && ! command -v pipx >/dev/null; then
    need pipx
fi

if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    # Packages must not start their own system services: the stack runs its own servers on
    # the same ports. policy-rc.d stops the postinst scripts from starting them.
    policy=/usr/sbin/policy-rc.d
    placed_policy=0
    if [ ! -e "$policy" ]; then
        as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
        placed_policy=1
    fi
    trap 'if [ "$placed_policy" -eq 1 ]; then as_root rm -f "$policy"; fi' EXIT
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
    if [ -d /run/systemd/system ]; then # keep them from starting at boot, too
        for unit in "${missing[@]}"; do
            case "$unit" in
            postgresql | redis-server | influxdb | prometheus)
                as_root systemctl disable --now "$unit" >/dev/null 2>&1 || true
                ;;
            esac
        done
    fi
fi

if ! command -v uv >/dev/null; then
    say "installing uv"
    if command -v pipx >/dev/null; then
        pipx install uv
    elif [ -e "$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')/EXTERNALLY-MANAGED" ]; then
        python3 -m pip install --user --break-system-packages uv
    else
        python3 -m pip install --user uv
    fi
fi

uv sync --frozen --quiet
say "ready: $(uv --version), $(java -version 2>&1 | head -n1), $(mvn -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g')"
