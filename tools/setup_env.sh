# Sourced by ./run and ./test: the virtual environment, the Python
# dependencies and the sao web client, each installed only when missing
# or out of date.
# shellcheck shell=bash

SACCOS_ROOT=${SACCOS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SAO_VERSION=8.0.11
VENV="$SACCOS_ROOT/.venv"

saccos_python() {
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    echo "python3.11 or python3 is required" >&2
    return 1
}

saccos_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating the virtual environment in .venv"
        "$(saccos_python)" -m venv "$VENV"
        "$VENV/bin/pip" install -q --upgrade pip
    fi
    local stamp="$VENV/.saccos-installed"
    local want
    want=$(sha1sum "$SACCOS_ROOT/pyproject.toml" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "==> installing Python dependencies (Tryton 8.0 series)"
        "$VENV/bin/pip" install -q -e "$SACCOS_ROOT[test]"
        echo "$want" > "$stamp"
    fi
    export PATH="$VENV/bin:$PATH"
}

saccos_sao() {
    # sao loads its libraries from its own node_modules: install it as a
    # package of its own, not as a dependency of a wrapper project.
    local sao="$SACCOS_ROOT/sao"
    if [ -f "$sao/.saccos-sao-$SAO_VERSION" ]; then
        return
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "npm is required to install the sao web client" >&2
        return 1
    fi
    echo "==> installing the sao web client $SAO_VERSION from npm"
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack -q "tryton-sao@$SAO_VERSION" >/dev/null \
        && tar xzf tryton-sao-*.tgz)
    rm -rf "$sao"
    mv "$tmp/package" "$sao"
    rm -rf "$tmp"
    (cd "$sao" && npm install -q --omit=dev --legacy-peer-deps \
        --no-audit --no-fund >/dev/null)
    touch "$sao/.saccos-sao-$SAO_VERSION"
}

saccos_modules() {
    # Every module of the suite, from addons/*/tryton.cfg
    local cfg
    for cfg in "$SACCOS_ROOT"/addons/*/tryton.cfg; do
        basename "$(dirname "$cfg")"
    done | paste -sd, -
}

saccos_addons_hash() {
    (cd "$SACCOS_ROOT" && find addons -type f \
        \( -name '*.py' -o -name '*.xml' -o -name '*.cfg' \) \
        -not -path '*/__pycache__/*' -print0 | sort -z \
        | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}

saccos_pg_reachable() {
    # $1: a postgresql:// URI of the server
    "$VENV/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys
import psycopg
uri = sys.argv[1].rstrip('/') + '/postgres'
psycopg.connect(uri, connect_timeout=3).close()
PY
}

saccos_pg_createdb() {
    # $1: server URI, $2: database name; created when missing
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys
import psycopg
uri, name = sys.argv[1].rstrip('/') + '/postgres', sys.argv[2]
with psycopg.connect(uri, autocommit=True) as conn:
    if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s",
            (name,)).fetchone():
        conn.execute('CREATE DATABASE "%s"' % name)
PY
}
